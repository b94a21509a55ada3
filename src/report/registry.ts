// Reporters by name (after knip): the CLI's --format looks them up here.
import type { Reporter } from "./types.js";
import { github } from "./reporters/github.js";
import { html } from "./reporters/html.js";
import { json } from "./reporters/json.js";
import { junit } from "./reporters/junit.js";
import { markdown } from "./reporters/markdown.js";
import { sarif } from "./reporters/sarif.js";
import { text } from "./reporters/text.js";

export const reporters: Readonly<Record<string, Reporter>> = {
  text,
  json,
  markdown,
  sarif,
  junit,
  github,
  html,
};

export function reporterNames(): string[] {
  return Object.keys(reporters);
}
