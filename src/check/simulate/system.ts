// The convergence simulation of a whole spec: every scenario, within the
// budgets. Pure and synchronous given a SystemModel, so it runs the same in
// the sandbox worker, in tests with in-memory handlers and in the bench.
import type { SystemInput, SystemModel } from "../../model/system/index.js";
import { simulateScenario, type ScenarioSimulation } from "./simulate.js";

export interface SystemSimulationOptions {
  runs: number;
  seed: number;
  maxDepth: number;
  /** Milliseconds for all scenarios together (undefined: no time limit). */
  timeBudgetMs?: number;
  /** Scenarios by name, inputs in publishing order. */
  scenarios: ReadonlyArray<{ name: string; inputs: SystemInput[]; of?: string }>;
  onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress {
  scenario: string;
  /** 0-based index of the scenario, and how many there are. */
  index: number;
  count: number;
  runsDone: number;
  runs: number;
}

export interface SystemSimulation {
  scenarios: ScenarioSimulation[];
  runs: number;
  interrupted: boolean;
  /** Milliseconds spent sampling (timing, not part of the verdict). */
  sampleMs: number;
}

export const DEFAULT_RUNS = 1000;
export const DEFAULT_MAX_DEPTH = 1000;

/** A per-scenario seed that does not depend on the order of the scenarios in the spec. */
export function scenarioSeed(seed: number, scenario: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < scenario.length; i++) {
    h ^= scenario.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ seed) | 0;
}

export function simulateSystem(model: SystemModel, options: SystemSimulationOptions): SystemSimulation {
  const deadline = options.timeBudgetMs === undefined ? undefined : Date.now() + options.timeBudgetMs;
  const out: SystemSimulation = { scenarios: [], runs: 0, interrupted: false, sampleMs: 0 };
  const count = options.scenarios.length;
  options.scenarios.forEach(({ name, inputs, of }, index) => {
    if (deadline !== undefined && Date.now() >= deadline) {
      out.interrupted = true;
      out.scenarios.push({ scenario: name, ...(of ? { of } : {}), inputs, runs: 0, interrupted: true, counterexamples: [], deadLetters: [], sampleMs: 0 });
      return;
    }
    const progress = options.onProgress;
    const result = simulateScenario(model, name, inputs, {
      runs: options.runs,
      seed: scenarioSeed(options.seed, name),
      maxDepth: options.maxDepth,
      ...(deadline !== undefined ? { deadline } : {}),
      ...(progress ? { onProgress: (runsDone: number) => progress({ scenario: name, index, count, runsDone, runs: options.runs }), progressEvery: 250 } : {}),
    });
    out.scenarios.push(of ? { ...result, of } : result);
    out.runs += result.runs;
    out.interrupted ||= result.interrupted;
    out.sampleMs += result.sampleMs;
  });
  return out;
}
