// No false alarms: every CORRECT fixture and example checks clean at error
// severity (whatever rule family it was written for), and every BROKEN one is
// still caught, by the rules that should catch it. Runs the whole `check` the
// way a user does, with fewer property runs to stay quick.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { memoryIO } from "../src/cli/io.js";
import type { Report } from "../src/report/types.js";

const ROOT = resolve(import.meta.dirname, "..");

async function errorRules(spec: string, extra: string[] = []): Promise<{ code: number; errors: string[]; report: Report }> {
  const io = memoryIO(ROOT);
  const code = await main(["check", spec, "--format", "json", "--runs", "30", ...extra], io);
  expect(io.err).toBe("");
  const report = JSON.parse(io.out) as Report;
  const errors = [...new Set(report.findings.filter((f) => f.severity === "error").map((f) => f.ruleId))].sort();
  return { code, errors, report };
}

/** Correct specs, with the error-severity rules still allowed on each (known issues fixed elsewhere). */
const CORRECT: [string, string[]][] = [
  ["test/fixtures/systems/counter/fixed.yaml", []],
  ["test/fixtures/systems/lost-compensation/fixed.yaml", []],
  ["test/fixtures/systems/overwrite-on-create/fixed.yaml", []],
  ["test/fixtures/systems/overwrite-on-create/fixed-by-ordering.yaml", []],
  ["test/fixtures/systems/ping-pong/fixed.yaml", []],
  ["test/fixtures/systems/redelivery-loop/fixed.yaml", []],
  ["test/fixtures/systems/restart-dedup/fixed.yaml", []],
  ["test/fixtures/systems/retry-until-ready/fixed.yaml", []],
  ["test/fixtures/systems/status-order/fixed.yaml", []],
  ["test/fixtures/systems/status-order/fixed-by-ordering.yaml", []],
  ["bench/orders-model/safe.yaml", []],
  ["bench/orders-model/counter-dedup.yaml", []],
  ["specs/order-system.yaml", []],
  ["specs/examples/clean.yaml", []],
  ["test/fixtures/drift/clean/spec.yaml", []],
  ["test/fixtures/contracts/compatible/spec.yaml", []],
];

/** Broken specs and the error-severity rules that must catch them (others may too), and extra arguments. */
const BROKEN: [string, string[], string[]?][] = [
  ["test/fixtures/systems/counter/broken.yaml", ["convergence", "idempotence"]],
  ["test/fixtures/systems/lost-compensation/broken.yaml", ["convergence", "model-quiescence"]],
  ["test/fixtures/systems/overwrite-on-create/broken.yaml", ["commutation", "convergence"]],
  ["test/fixtures/systems/ping-pong/broken.yaml", ["termination"]],
  ["test/fixtures/systems/redelivery-loop/broken.yaml", ["handler-throws", "termination"]],
  ["test/fixtures/systems/restart-dedup/broken.yaml", ["convergence"]],
  ["test/fixtures/systems/status-order/broken.yaml", ["commutation", "convergence"]],
  ["bench/orders-model/bug.yaml", ["commutation", "convergence"]],
  ["bench/orders-model/counter.yaml", ["convergence", "idempotence"]],
  ["bench/orders-model/bug-dedup.yaml", ["commutation", "convergence"]],
  ["specs/order-system-seed.yaml", ["convergence", "handler-throws", "termination"]],
  ["test/fixtures/handlers/handlers.yaml", ["commutation", "handler-mutates-input", "handler-nondeterministic", "idempotence"]],
];

describe("correct systems check clean at error severity", () => {
  it.each(CORRECT)("%s", async (spec, allowed) => {
    const { code, errors } = await errorRules(spec);
    expect(errors.filter((r) => !allowed.includes(r))).toEqual([]);
    expect(code).toBe(errors.length > 0 ? 1 : 0);
  });
});

describe("broken systems are still caught", () => {
  it.each(BROKEN)("%s", async (spec, expected, extra) => {
    const { code, errors } = await errorRules(spec, extra);
    expect(code).toBe(1);
    expect(errors).toEqual(expect.arrayContaining(expected));
  });

  it("the deliberately throwing handler is still reported, as a warning that says why (no scenario sends its event)", async () => {
    const { report } = await errorRules("test/fixtures/handlers/handlers.yaml");
    const thrown = report.findings.filter((f) => f.ruleId === "handler-throws");
    expect(thrown.map((f) => `${f.subject} ${f.severity}`)).toEqual(["throwing StockReleased warning"]);
    expect(thrown[0]!.message).toContain("no scenario to tell real traffic from generated events");
  });
});
