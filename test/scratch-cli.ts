// The CLI as a test runs it against fixture systems: in a scratch working folder, removed after
// the file's tests, so the traces a check saves under reports/ never land beside the fixtures.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { memoryIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export function scratchCli(): { cwd: string; run(args: string[]): Promise<CliRun> } {
  const cwd = mkdtempSync(join(tmpdir(), "archverify-cli-"));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  return {
    cwd,
    async run(args) {
      const io = memoryIO(cwd);
      const code = await main(args, io);
      return { code, out: io.out, err: io.err };
    },
  };
}
