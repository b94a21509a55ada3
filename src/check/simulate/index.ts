// The convergence simulation as the property rules see it: one sandboxed run
// per check (shared by `convergence` and `termination` through ctx.cached),
// budgets from the command line, fault bounds from the rule's options.
import { inputError } from "../../errors.js";
import { runInSandbox, type SandboxTimeout } from "../../model/runtime/sandbox.js";
import type { SystemBounds } from "../../model/system/index.js";
import type { CheckContext } from "../types.js";
import type { SimulationJobInput, SimulationJobMessage } from "./job.js";
import { DEFAULT_MAX_DEPTH, DEFAULT_RUNS, type SystemSimulation } from "./system.js";

export type SimulationOutcome =
  | { ok: true; sim: SystemSimulation; bounds: SystemBounds }
  | { ok: false; timeout: SandboxTimeout; bounds: SystemBounds };

const JOB = new URL("./job.ts", import.meta.url).href;

/** Fault bounds of the simulation: `rules: [{ name: convergence, options: { duplicates: 1, crashes: 1 } }]`. */
export function simulationBounds(ctx: CheckContext): SystemBounds {
  const options = ctx.ruleOptions("convergence");
  const loc = ctx.spec.rules.get("convergence")?.loc;
  const count = (name: string, fallback: number): number => {
    const v = options[name];
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      throw inputError(`convergence option ${name} must be a whole number >= 0, got ${JSON.stringify(v)}`, {
        ...(loc ? { location: loc } : {}),
        expected: `${name}: 0, 1, 2, ...`,
      });
    }
    return v;
  };
  return { duplicates: count("duplicates", 1), crashes: count("crashes", 1) };
}

/** `copies`: also run every scenario as that many concurrent, renamed copies (default 1: off). */
export function simulationCopies(ctx: CheckContext): number {
  const v = ctx.ruleOptions("convergence").copies;
  if (v === undefined) return 1;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1 || v > 8) {
    const loc = ctx.spec.rules.get("convergence")?.loc;
    throw inputError(`convergence option copies must be a whole number from 1 to 8, got ${JSON.stringify(v)}`, { ...(loc ? { location: loc } : {}), expected: "copies: 2" });
  }
  return v;
}

/** Runs (once per check) the simulation of every scenario; undefined when there is nothing to run. */
export function simulationFor(ctx: CheckContext): Promise<SimulationOutcome | undefined> {
  return ctx.cached("simulate/convergence", () => runSimulation(ctx));
}

async function runSimulation(ctx: CheckContext): Promise<SimulationOutcome | undefined> {
  const { spec, options } = ctx;
  const bounds = simulationBounds(ctx);
  const handled = [...spec.services.values()].some((s) => s.handler && !s.external);
  if (spec.scenarios.size === 0 || !handled) return undefined;
  const input: SimulationJobInput = {
    spec,
    seed: options.seed,
    runs: options.runs ?? DEFAULT_RUNS,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    bounds,
    copies: simulationCopies(ctx),
  };
  const progress = options.progress;
  const result = await runInSandbox<SimulationJobInput, SystemSimulation>(JOB, input, {
    ...(progress
      ? {
          onMessage: (m) => {
            const { progress: p } = m as SimulationJobMessage;
            progress(`convergence: scenario ${p.index + 1}/${p.count} ${p.scenario}: ${p.runsDone}/${p.runs} runs`);
          },
        }
      : {}),
  });
  if (!result.ok) return { ok: false, timeout: result.timeout, bounds };
  const sim = result.value;
  ctx.recordStats("convergence", {
    scenarios: sim.scenarios.length,
    runs: sim.runs,
    interrupted: sim.interrupted,
    bounds,
    sampleMs: Math.round(sim.sampleMs),
  });
  return { ok: true, sim, bounds };
}
