// Reporters by name (after knip): the CLI's --format looks them up here.
import type { Reporter } from "./types.js";
import { json } from "./reporters/json.js";
import { text } from "./reporters/text.js";

export const reporters: Readonly<Record<string, Reporter>> = {
  text,
  json,
};

export function reporterNames(): string[] {
  return Object.keys(reporters);
}
