// Golden files for every reporter: the input report is fixed, the expected
// outputs live beside it. Regenerate on purpose with `npm run golden:update`.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reporters } from "../../src/report/registry.js";
import type { Report } from "../../src/report/types.js";

const dir = join(import.meta.dirname, "../golden/reporters");
const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report;
const extension: Record<string, string> = { text: "txt", json: "json", markdown: "md", sarif: "sarif", junit: "xml", github: "txt", html: "html" };
const update = process.env.UPDATE_GOLDEN === "1";

describe("reporter golden files", () => {
  for (const [name, reporter] of Object.entries(reporters)) {
    it(`${name} matches its golden file`, () => {
      const actual = reporter(report, { color: false, cwd: "/repo" });
      const file = join(dir, `expected.${name}.${extension[name] ?? "txt"}`);
      if (update) writeFileSync(file, actual);
      expect(actual).toBe(readFileSync(file, "utf8"));
    });
  }
});
