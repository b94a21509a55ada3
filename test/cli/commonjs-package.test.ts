// Handlers of a CommonJS package (no "type": "module", tsc's "module": "commonjs")
// load through the CLI as they are, and are really run: the non-idempotent
// deposit is caught.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

it("checks the handlers of a CommonJS package", () => {
  const root = join(import.meta.dirname, "../..");
  const fixture = join(root, "test/fixtures/commonjs-package");
  const run = spawnSync(process.execPath, [join(root, "bin/archverify.js"), "check", "--format", "json", "--no-color"], {
    cwd: fixture,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, CI: "true" },
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(1);
  const report = JSON.parse(run.stdout) as { findings: { ruleId: string; message: string }[] };
  const idempotence = report.findings.filter((f) => f.ruleId === "idempotence");
  expect(idempotence.length).toBeGreaterThan(0);
  expect(idempotence[0]?.message).toContain("Deposited");
});
