// `archverify check | head -1`: once the reader closes the pipe the rest of the
// report is dropped quietly and the exit code is the check's own.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { untilClosed } from "../../src/cli/io.js";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "archverify-pipe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runClosingStdout(args: string[]): Promise<{ code: number | null; err: string; firstChunk: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, "bin/archverify.js"), ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let err = "";
    let firstChunk = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.once("data", (d: Buffer) => {
      firstChunk = d.toString();
      child.stdout.destroy();
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, err, firstChunk }));
  });
}

describe("a closed stdout", () => {
  it("ends the output quietly and keeps the exit code", async () => {
    const lines = ["archverify: 1", "services:"];
    // Thousands of info findings (orphans): far more output than a pipe buffer holds.
    for (let i = 0; i < 1000; i++) lines.push(`  service-with-a-long-name-${i}: { description: nothing calls this service at all }`);
    writeFileSync(join(dir, "infos.yaml"), `${lines.join("\n")}\n`);
    for (const format of ["text", "json"]) {
      const run = await runClosingStdout(["check", "infos.yaml", "--format", format]);
      expect(run.firstChunk.length).toBeGreaterThan(0);
      expect(run.err).toBe("");
      expect(run.code).toBe(0);
    }
  }, 60_000);

  it("drops writes after EPIPE and still throws other write errors", () => {
    const written: string[] = [];
    let failWith: string | undefined;
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (failWith) callback(Object.assign(new Error(failWith), { code: failWith }));
        else {
          written.push(chunk.toString());
          callback();
        }
      },
    });
    const write = untilClosed(stream);
    write("a");
    failWith = "EPIPE";
    stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    write("b");
    expect(written).toEqual(["a"]);
    const other = new Writable({ write: (_c, _e, cb) => cb() });
    untilClosed(other);
    expect(() => other.emit("error", Object.assign(new Error("disk full"), { code: "ENOSPC" }))).toThrow("disk full");
  });
});
