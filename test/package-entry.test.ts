// The package entry works from plain Node: `import("archverify")` without any loader flag.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

it("import('archverify') exposes the library API to plain Node", () => {
  const root = join(import.meta.dirname, "..");
  const run = spawnSync(process.execPath, [join(root, "test/fixtures/package-entry/use.mjs")], { cwd: root, encoding: "utf8", timeout: 120_000 });
  expect(run.stderr).toBe("");
  const out = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as { ok: boolean; rules: string[]; services: string[] };
  expect(out.ok).toBe(false);
  expect(out.rules).toContain("convergence");
  expect(out.services).toContain("order");
});
