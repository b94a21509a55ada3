// `--output` to a path that cannot be written is a clean environment error
// (exit 2, the path and what is wrong), never an internal error.
import { lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { writeFileAtomic } from "../../src/util/atomic-write.js";
import { scratch } from "../spec/helpers.js";

const SPEC = "archverify: 1\nservices:\n  a: { calls: [ { to: b } ] }\n  b: {}\n";

async function checkTo(dir: string, output: string) {
  const io = memoryIO(dir);
  const code = await main(["check", "spec.yaml", "--output", output], io);
  return { code, err: io.err };
}

describe("check --output", () => {
  it("refuses a path under a regular file, naming the file in the way", async () => {
    const dir = scratch({ "spec.yaml": SPEC, "notes.txt": "x" });
    const run = await checkTo(dir, "notes.txt/report.txt");
    expect(run.code).toBe(2);
    expect(run.err).toBe(`archverify: cannot write ${join(dir, "notes.txt/report.txt")}: ${join(dir, "notes.txt")} is a file, not a folder; expected the path of a file in a folder you can write (a missing folder is created)\n`);
  });

  it("refuses a folder as the output file", async () => {
    const dir = scratch({ "spec.yaml": SPEC });
    mkdirSync(join(dir, "reports"));
    const run = await checkTo(dir, "reports");
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^archverify: cannot write .*reports: it is a folder; expected /);
    expect(run.err).not.toMatch(/internal error|\n\s+at /);
  });

  it("creates missing folders and writes the report", async () => {
    const dir = scratch({ "spec.yaml": SPEC });
    const run = await checkTo(dir, "out/deeper/report.txt");
    expect(run).toEqual({ code: 0, err: "" });
    expect(readFileSync(join(dir, "out/deeper/report.txt"), "utf8")).toContain("a");
  });
});

describe("writeFileAtomic", () => {
  it("writes into a device instead of renaming a file over it", () => {
    // Through a link in a scratch folder, so that a regression replaces the link, never the device.
    const dir = scratch();
    const link = join(dir, "null");
    symlinkSync("/dev/null", link);
    writeFileAtomic(link, "report\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync(link).isCharacterDevice()).toBe(true);
  });

  it("replaces a regular file whole", () => {
    const dir = scratch({ "r.txt": "old" });
    writeFileSync(join(dir, "r.txt"), "old");
    writeFileAtomic(join(dir, "r.txt"), "new");
    expect(readFileSync(join(dir, "r.txt"), "utf8")).toBe("new");
  });
});
