// Message quality on inputs users really write: plain words instead of zod's,
// one problem per YAML mistake at the line that is wrong, no file contents
// echoed, includes introduced the same way, refused tags and duplicate calls.
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { plainExpectation } from "../../src/spec/zod-issues.js";
import { check, scratch } from "./helpers.js";

async function errors(files: Record<string, string>, spec = "spec.yaml"): Promise<string[]> {
  const result = await check(scratch(files), spec);
  expect(result.code).toBe(2);
  expect(result.err).not.toMatch(/\n\s+at /);
  return result.err.trim().split("\n");
}

describe("bounds in plain words", () => {
  it("says what an empty path or a negative count should be", async () => {
    expect(await errors({ "spec.yaml": 'archverify: 1\ninclude: [""]\n' })).toEqual([
      'spec.yaml:2:11: `include[0]` is the string ""; expected a non-empty string (further spec files whose sections are added to this one (paths relative to this file))',
    ]);
    const channel = "archverify: 1\nservices: { a: {} }\nchannels:\n  c: { events: [E], producers: [a], maxRedeliveries: -1 }\n";
    expect(await errors({ "spec.yaml": channel })).toEqual([
      "spec.yaml:4:54: `channels.c.maxRedeliveries` is the number -1; expected a number >= 0 (redeliveries of one message before the broker dead-letters it (default: never))",
    ]);
  });

  it("words every bound zod can report without zod's phrasing", () => {
    const schemas = [z.string().min(1), z.string().min(3), z.string().max(2), z.string().length(2), z.array(z.string()).min(1), z.array(z.string()).max(1), z.number().min(0), z.number().gt(0), z.number().max(9), z.number().lt(9), z.number().multipleOf(5)];
    const inputs: unknown[] = ["", "abcd", ["a", "b"], [], -1, 0, 10, 7];
    for (const schema of schemas) {
      for (const input of inputs) {
        const result = schema.safeParse(input);
        for (const issue of result.success ? [] : result.error.issues) {
          if (issue.code === "invalid_type") continue;
          const text = plainExpectation(issue);
          expect(text).toMatch(/^a (non-empty string|non-empty list|string of|list of|number [<>]=? -?\d|multiple of)/);
          expect(text).not.toMatch(/too small|too big|expected/i);
        }
      }
    }
  });
});

describe("YAML syntax errors", () => {
  it("names the over-indented line once, not the line it continues twice", async () => {
    expect(await errors({ "spec.yaml": "archverify: 1\n services:\n  a: {}\n" })).toEqual([
      "spec.yaml:2:2: YAML syntax error: this line is indented more than line 1, so YAML reads it as part of the value on that line; expected each key of a mapping at the same indentation (or a value written on one line)",
    ]);
  });

  it("reports one mistake once", async () => {
    const lines = await errors({ "spec.yaml": "archverify: 1\nservices:\n  order:\n    calls: - {to: x}\n" });
    expect(lines).toEqual(["spec.yaml:4:12: YAML syntax error: Unexpected block-seq-ind on same line with key; expected valid YAML"]);
  });

  it("still reports mistakes on separate lines", async () => {
    const lines = await errors({ "spec.yaml": "archverify: 1\n services:\n  a: {}\nchannels: [\n" });
    expect(lines.map((l) => l.split(": YAML")[0])).toEqual(["spec.yaml:2:2", "spec.yaml:5:1"]);
  });

  it("refuses a tag it does not know, where the tag is written", async () => {
    expect(await errors({ "spec.yaml": "archverify: 1\nservices:\n  order: !custom { calls: [] }\n  b: !!binary aGVsbG8=\n" })).toEqual([
      "spec.yaml:3:10: unsupported YAML tag !custom; expected a value without a tag (a spec holds plain mappings, lists, strings, numbers, booleans and nulls)",
      "spec.yaml:4:6: unsupported YAML tag !!binary; expected a value without a tag (a spec holds plain mappings, lists, strings, numbers, booleans and nulls)",
    ]);
    const ok = await check(scratch({ "spec.yaml": "archverify: 1\nservices:\n  a: { description: !!str 12, external: !!bool true }\n" }), "spec.yaml");
    expect(ok.err).toBe("");
  });
});

describe("files that are not specs", () => {
  it("does not echo the lines of a file that is not a spec", async () => {
    const secret = "root:$6$abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz:19000:0:99999:7:::";
    const lines = await errors({ "spec.yaml": "archverify: 1\ninclude: [ passwd ]\n", passwd: `${secret}\ndaemon:*:19000:0:99999:7:::\n` });
    expect(lines).toEqual([
      "passwd:1:1: this file is not an archverify spec: none of its 2 top-level keys is a spec section; expected a mapping with sections such as services and channels. check the path that names this file",
    ]);
  });

  it("cuts a long unknown key, and keeps the hint for a near miss", async () => {
    const long = `k${"x".repeat(200)}`;
    const lines = await errors({ "spec.yaml": `archverify: 1\nservcies: {}\n${long}: 1\n` });
    expect(lines[0]).toMatch(/unknown key "servcies" in the spec; .* did you mean "services"\?$/);
    expect(lines[1]).toContain(`unknown key "${long.slice(0, 57)}..." in the spec`);
  });
});

describe("includes", () => {
  it("introduces every problem with an included file the same way", async () => {
    const dir = scratch({ "spec.yaml": "archverify: 1\ninclude: [ missng.yaml, loop, folder ]\n", "missing.yaml": "{}\n" });
    symlinkSync("loop", join(dir, "loop"));
    mkdirSync(join(dir, "folder"));
    const io = memoryIO(dir);
    expect(await main(["check", "spec.yaml"], io)).toBe(2);
    expect(io.err.trim().split("\n")).toEqual([
      'spec.yaml:2:12: include missng.yaml: the file does not exist; expected the path of a YAML spec file. did you mean "missing.yaml"?',
      "spec.yaml:2:25: include loop: the file is a loop of symbolic links; expected the path of a YAML spec file. a link in the path leads back to itself",
      "spec.yaml:2:31: include folder: the path is a folder; expected a YAML spec file",
    ]);
  });
});

describe("references", () => {
  it("flags a service called twice, with both places", async () => {
    expect(await errors({ "spec.yaml": "archverify: 1\nservices:\n  a: { calls: [ { to: b }, { to: b, protocol: http } ] }\n  b: {}\n" })).toEqual([
      'spec.yaml:3:34: called service "b" is listed twice in the calls of service "a"; expected each called service once (first at line 3, column 23)',
    ]);
  });

  it("hints the one name a short name stands for, and nothing for a one-letter name", async () => {
    const spec = "archverify: 1\ncontexts: { ordering: {}, billing: {} }\ncontextMap: [ { upstream: billing, downstream: order, pattern: conformist } ]\nlayers: [ a ]\nservices: { s: { layer: b } }\n";
    expect(await errors({ "spec.yaml": spec })).toEqual([
      'spec.yaml:3:48: the context map names unknown context "order"; expected one of billing, ordering. did you mean "ordering"?',
      'spec.yaml:5:25: service "s" is in unknown layer "b"; expected one of a',
    ]);
  });
});

describe("several formats", () => {
  it("refuses two formats on stdout", async () => {
    const dir = scratch({ "spec.yaml": "archverify: 1\nservices: { a: {} }\n" });
    const io = memoryIO(dir);
    expect(await main(["check", "spec.yaml", "--format", "text", "--format", "json"], io)).toBe(2);
    expect(io.out).toBe("");
    expect(io.err).toBe(
      "archverify: --format text and --format json would all go to stdout, one after the other; expected at most one format on stdout. give the others --output FILE (each --output goes with the --format before it)\n",
    );
  });
});
