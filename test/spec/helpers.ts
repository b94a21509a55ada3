// Shared helpers for the spec tests: a scratch folder per test and a CLI run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

const scratchDirs: string[] = [];

afterEach(() => {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder holding `files` (relative path -> content). */
export function scratch(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "archverify-spec-"));
  scratchDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

/** `archverify check <spec>` run in `cwd`, as the CLI would. */
export async function check(cwd: string, spec: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO(cwd);
  const code = await main(["check", spec], io);
  return { code, out: io.out, err: io.err };
}

export { VALID_SPEC } from "./valid-spec.js";
