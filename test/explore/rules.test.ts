import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runRules } from "../../src/check/runner.js";
import { modelRules } from "../../src/check/rules/model/index.js";
import { readTrace } from "../../src/check/simulate/trace-format.js";
import type { CheckOptions } from "../../src/check/types.js";
import { loadSpec } from "../../src/spec/load.js";
import { createSystemModel, inMemoryService, topologyFromSpec } from "../../src/model/system/index.js";
import { bug, outcomes, type OrderEvent } from "../../bench/model-check/handlers.js";
import { main } from "../../src/cli/main.js";
import { memoryIO } from "../../src/cli/io.js";

const reportsDir = mkdtempSync(join(tmpdir(), "archverify-model-"));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));
const options: CheckOptions = { seed: 1, allCycles: false, maxCycles: 100, reportsDir };
const bench = (name: string) => join(import.meta.dirname, "../../bench/model-check", name);

describe("model rules on the orders spec", () => {
  it("pass on the SAFE handlers and record that the space was fully explored", async () => {
    const spec = await loadSpec(bench("orders-safe.yaml"));
    const r = await runRules(spec, options, modelRules);
    expect(r.findings).toEqual([]);
    const stats = r.stats.explore as { scenarios: Record<string, { explored: string }> };
    expect(Object.values(stats.scenarios).map((s) => s.explored)).toEqual(["fully", "fully", "fully", "fully"]);
  });

  it("find the BUG with a shortest trace per scenario, saved as a replayable trace file", async () => {
    const spec = await loadSpec(bench("orders-bug.yaml"));
    const r = await runRules(spec, options, modelRules);
    const quiescence = r.findings.filter((f) => f.ruleId === "model-quiescence");
    expect(quiescence.map((f) => f.witness!.length)).toEqual([3, 6, 9, 30]);
    expect(r.findings.filter((f) => f.ruleId === "model-convergence")).toHaveLength(4);
    const file = join(reportsDir, "model-quiescence--orders-2--everyOrderComplete.json");
    const trace = readTrace(file);
    expect(trace).toMatchObject({ kind: "trace", rule: "model-quiescence", scenario: "orders-2", violation: { kind: "quiescence" } });
    const model = createSystemModel({
      topology: topologyFromSpec(spec),
      runtime: { services: new Map([["consumer", inMemoryService("consumer", { initialState: bug.initialState, handle: (st, e) => bug.handle(st, e as unknown as OrderEvent) })]]), quiescence: outcomes },
    });
    const run = model.replay(trace.inputs, trace.transitions);
    expect(run.unmatched).toBeUndefined();
    expect(model.quiescenceFailures(run.states.at(-1)!).map((f) => f.name)).toEqual(["everyOrderComplete"]);
  });

  it("save a lasso with its loop start, so `archverify replay` follows the loop and says it still loops", async () => {
    const spec = await loadSpec(join(import.meta.dirname, "../fixtures/systems/redelivery-loop/broken.yaml"));
    const r = await runRules(spec, options, modelRules);
    const lasso = r.findings.find((f) => f.ruleId === "model-termination")!;
    const loopStart = (lasso.counterexample as { loopStart: number }).loopStart;
    expect(loopStart).toBeGreaterThanOrEqual(0);
    const file = join(reportsDir, basename((lasso.counterexample as { file: string }).file));
    const trace = readTrace(file);
    expect(trace.violation).toMatchObject({ kind: "nontermination", loopStart });
    const io = memoryIO(reportsDir);
    expect(await main(["replay", file], io)).toBe(1);
    expect(io.out).toContain(`${String(loopStart + 1).padStart(3)}. `);
    expect(io.out).toMatch(/<- loop starts/);
    expect(io.out).toMatch(/still fails: .*repeat forever/);
  });
});
