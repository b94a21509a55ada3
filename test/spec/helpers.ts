// Shared helpers for the spec tests: a scratch folder per test and a CLI run.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, expect } from "vitest";
import { ArchverifyError, ArchverifyErrors } from "../../src/errors.js";
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

/**
 * What the loader may throw: typed diagnostics, each with a message and a line and column in a
 * file that exists. Anything else is re-thrown, so the fuzz tests fail on it.
 */
export function expectLocatedDiagnostics(error: unknown): void {
  const list = error instanceof ArchverifyErrors ? error.errors : error instanceof ArchverifyError ? [error] : undefined;
  if (!list) throw error;
  expect(list.length).toBeGreaterThan(0);
  for (const e of list) {
    expect(e).toBeInstanceOf(ArchverifyError);
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.location, e.message).toBeDefined();
    expect(existsSync(e.location?.file ?? ""), `${e.location?.file}: ${e.message}`).toBe(true);
    expect(e.location?.line).toBeGreaterThanOrEqual(1);
    expect(e.location?.column).toBeGreaterThanOrEqual(1);
  }
}
