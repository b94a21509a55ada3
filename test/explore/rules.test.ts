import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
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
const options: CheckOptions = { seed: 1, allCycles: false, maxCycles: 100, reportsDir, cwd: process.cwd() };
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
    const file = join(reportsDir, "orders-bug--model-quiescence--orders-2--everyOrderComplete.json");
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

  it("name traces by spec stem, rule and scenario; a fixed spec removes its own stale traces and no other spec's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "archverify-traces-"));
    try {
      const reports = join(dir, "reports");
      const handlers = relative(join(dir, "a"), bench("handlers.ts")).split("\\").join("/");
      const specText = (variant: string) => readFileSync(bench("orders-bug.yaml"), "utf8").replaceAll("handlers.ts#", `${handlers}#`).replace(`${handlers}#bug`, `${handlers}#${variant}`);
      const write = (folder: string, variant: string) => {
        mkdirSync(join(dir, folder), { recursive: true });
        writeFileSync(join(dir, folder, "orders.yaml"), specText(variant));
        return join(dir, folder, "orders.yaml");
      };
      const opts = { ...options, reportsDir: reports };
      const run = async (file: string) => runRules(await loadSpec(file), opts, modelRules);
      const a = write("a", "bug");
      const found = await run(a);
      const files = readdirSync(reports).sort();
      expect(files).toContain("orders--model-quiescence--orders-1--everyOrderComplete.json");
      expect(files.every((f) => f.startsWith("orders--model-"))).toBe(true);
      expect(found.findings.map((f) => basename((f.counterexample as { file: string }).file)).sort()).toEqual(files);
      // Another spec with the same stem and scenarios passes: a's traces are not its to remove.
      await run(write("b", "safe"));
      expect(readdirSync(reports).sort()).toEqual(files);
      // a fixed: its traces go.
      writeFileSync(a, specText("safe"));
      expect((await run(a)).findings).toEqual([]);
      expect(readdirSync(reports)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stop an endless exchange at the default depth bound at once, and say why in model-exhaustive", async () => {
    const spec = await loadSpec(join(import.meta.dirname, "../fixtures/systems/ping-pong/broken.yaml"));
    const r = await runRules(spec, options, modelRules);
    const stats = r.stats.explore as { scenarios: Record<string, { explored: string; states: number; depth: number }> };
    expect(stats.scenarios.serve).toMatchObject({ explored: "cut (max-depth)", depth: 1000 });
    expect(stats.scenarios.serve!.states).toBeLessThan(2000);
    const cut = r.findings.filter((f) => f.ruleId === "model-exhaustive");
    expect(cut.map((f) => f.message)).toEqual([expect.stringMatching(/^scenario serve: schedules longer than 1000 transitions \(--max-depth\) still reach new states/)]);
    expect(r.findings.filter((f) => f.ruleId === "model-termination")).toEqual([]);
  });

  it("say a counterexample is the shortest only when the search was breadth-first", async () => {
    const dir = mkdtempSync(join(tmpdir(), "archverify-dfs-"));
    try {
      const text = readFileSync(bench("orders-bug.yaml"), "utf8")
        .replace("handlers.ts#bug", `${bench("handlers.ts")}#bug`)
        .replace("quiescence: handlers.ts#outcomes", `quiescence: ${bench("handlers.ts")}#outcomes`);
      const messages = async (search: string) => {
        const file = join(dir, `orders-${search}.yaml`);
        writeFileSync(file, text.replace("options: { duplicates: 1, crashes: 0 }", `options: { duplicates: 1, crashes: 0, search: ${search} }`));
        const r = await runRules(await loadSpec(file), { ...options, reportsDir: dir }, modelRules);
        return r.findings.filter((f) => f.ruleId === "model-quiescence").map((f) => f.message);
      };
      const bfs = await messages("bfs");
      const dfs = await messages("dfs");
      expect(bfs.length).toBeGreaterThan(0);
      expect(bfs.every((m) => m.includes("(shortest)"))).toBe(true);
      expect(dfs.length).toBe(bfs.length);
      expect(dfs.some((m) => m.includes("shortest)") && !m.includes("not necessarily"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
