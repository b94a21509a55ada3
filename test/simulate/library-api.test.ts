// checkSystem as a user calls it in their own vitest suite: through the
// package entry point, with a spec path, asserting on `ok` with `text` as the
// failure message.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { checkSystem } from "../../src/index.js";

const fixtures = new URL("../fixtures/systems/", import.meta.url).pathname;
const reportsDir = mkdtempSync(join(tmpdir(), "archverify-api-"));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

test("a correct system: ok, nothing to say", async () => {
  const result = await checkSystem(join(fixtures, "status-order/fixed.yaml"), { runs: 200, seed: 1, reportsDir });
  expect(result.ok, result.text).toBe(true);
  expect(result.report.summary.errors).toBe(0);
});

test("a broken system: not ok, and the text says why and how to replay it", async () => {
  // The user's own folder, not the process's: reports land under it and the replay command is relative to it.
  const result = await checkSystem(join(fixtures, "counter/broken.yaml"), { runs: 200, seed: 1, cwd: reportsDir });
  expect(result.ok).toBe(false);
  expect(result.text).toContain("invariant balanceMatchesDeposits is broken (balance 20 but deposits sum to 10)");
  expect(result.text).toContain("replay: npx archverify replay reports/broken--convergence--two-deposits.json");
  expect(existsSync(join(reportsDir, "reports/broken--convergence--two-deposits.json"))).toBe(true);
});

test("an unknown rule id is a usage error", async () => {
  await expect(checkSystem(join(fixtures, "counter/fixed.yaml"), { rules: ["convergense"] })).rejects.toThrow('unknown rule "convergense"');
});
