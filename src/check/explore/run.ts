// The exhaustive check as the model rules see it: one sandboxed exploration of every scenario
// per check (shared by the model-* rules through ctx.cached), bounds from the command line,
// fault bounds and reductions from the `model-exhaustive` rule's options.
import { inputError } from "../../errors.js";
import { runInSandbox, type SandboxTimeout } from "../../model/runtime/sandbox.js";
import type { SystemBounds } from "../../model/system/index.js";
import type { CheckContext } from "../types.js";
import type { Reductions } from "./index.js";
import type { ExploreJobInput, ExploreJobMessage, ScenarioExploration } from "./job.js";
import type { SearchOrder } from "./types.js";
import { DEFAULT_MAX_DEPTH as SIMULATION_MAX_DEPTH } from "../simulate/system.js";

export const EXPLORE_RULE = "model-exhaustive";
/** Default state bound per check: a search that would need more says it was cut. */
export const DEFAULT_MAX_STATES = 2_000_000;
/**
 * Default depth bound: the simulation's (`--max-depth` sets both). A schedule that long which
 * still reaches new states is an endless exchange (a counter that grows forever) or a scenario
 * far beyond what an exhaustive search can cover; walking on would only fill the state bound
 * (2M states, tens of seconds) before saying the same: cut. The simulation's termination rule
 * reports such a scenario; the reference systems' deepest scenario is 18 transitions deep.
 */
export const DEFAULT_MAX_DEPTH = SIMULATION_MAX_DEPTH;

export interface ExploreSettings {
  bounds: SystemBounds;
  order: SearchOrder;
  reductions: Reductions;
}

export type ExplorationOutcome =
  | { ok: true; scenarios: ScenarioExploration[]; settings: ExploreSettings; elapsedMs: number }
  | { ok: false; timeout: SandboxTimeout; settings: ExploreSettings };

const JOB = new URL("./job.ts", import.meta.url).href;

/** `rules: [{ name: model-exhaustive, options: { duplicates: 1, crashes: 1, search: bfs, reductions: { keys: true, por: true, symmetry: true } } }]` */
export function exploreSettings(ctx: CheckContext): ExploreSettings {
  const options = ctx.ruleOptions(EXPLORE_RULE);
  const loc = ctx.spec.rules.get(EXPLORE_RULE)?.loc;
  const bad = (what: string, expected: string) => inputError(`${EXPLORE_RULE} option ${what}`, { ...(loc ? { location: loc } : {}), expected });
  const count = (name: string, fallback: number): number => {
    const v = options[name];
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw bad(`${name} must be a whole number >= 0, got ${JSON.stringify(v)}`, `${name}: 0, 1, 2, ...`);
    return v;
  };
  const search = options.search ?? "bfs";
  if (search !== "bfs" && search !== "dfs") throw bad(`search must be bfs or dfs, got ${JSON.stringify(search)}`, "search: bfs");
  const reductions: Reductions = { keys: true, por: true, symmetry: true };
  const r = options.reductions;
  if (r !== undefined) {
    if (r === null || typeof r !== "object" || Array.isArray(r)) throw bad("reductions must be a map", "reductions: { keys: true, por: true, symmetry: true }");
    for (const [k, v] of Object.entries(r)) {
      if (!(k in reductions) || typeof v !== "boolean") throw bad(`reductions.${k} is not a known reduction switch`, "keys, por or symmetry: true|false");
      reductions[k as keyof Reductions] = v;
    }
  }
  return { bounds: { duplicates: count("duplicates", 1), crashes: count("crashes", 1) }, order: search, reductions };
}

/** Runs (once per check) the exploration of every scenario; undefined when there is nothing to explore. */
export function explorationFor(ctx: CheckContext): Promise<ExplorationOutcome | undefined> {
  return ctx.cached("explore/scenarios", () => runExploration(ctx));
}

async function runExploration(ctx: CheckContext): Promise<ExplorationOutcome | undefined> {
  const { spec, options } = ctx;
  const settings = exploreSettings(ctx);
  const handled = [...spec.services.values()].some((s) => s.handler && !s.external);
  if (spec.scenarios.size === 0 || !handled) return undefined;
  const started = performance.now();
  const input: ExploreJobInput = {
    spec,
    bounds: settings.bounds,
    order: settings.order,
    reductions: settings.reductions,
    maxStates: options.maxStates ?? DEFAULT_MAX_STATES,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
  };
  const progress = options.progress;
  const result = await runInSandbox<ExploreJobInput, ScenarioExploration[]>(JOB, input, {
    ...(progress ? { onMessage: (m) => progress((m as ExploreJobMessage).line) } : {}),
  });
  if (!result.ok) return { ok: false, timeout: result.timeout, settings };
  const elapsedMs = performance.now() - started;
  ctx.recordStats("explore", {
    bounds: settings.bounds,
    search: settings.order,
    reductions: settings.reductions,
    scenarios: Object.fromEntries(result.value.map((s) => [s.scenario, scenarioStats(s)])),
    elapsedMs: Math.round(elapsedMs),
  });
  return { ok: true, scenarios: result.value, settings, elapsedMs };
}

function scenarioStats(s: ScenarioExploration) {
  const { stats, keyReduction } = s.check;
  return {
    explored: stats.complete ? "fully" : `cut (${stats.cut})`,
    states: stats.states,
    transitions: stats.transitions,
    depth: stats.depth,
    quiescentStates: stats.quiescentStates,
    porSkipped: stats.porSkipped,
    ms: Math.round(stats.elapsedMs),
    ...(keyReduction
      ? {
          keys: keyReduction.applied
            ? {
                applied: true,
                keys: keyReduction.keys,
                searched: keyReduction.explored,
                symmetricCopies: keyReduction.copies,
                handlerRunsChecked: keyReduction.contextRuns + keyReduction.symmetryRuns,
                predicateRuns: keyReduction.predicateRuns,
                productStates: keyReduction.productStates,
                productTransitions: keyReduction.productTransitions,
              }
            : { applied: false, reason: keyReduction.reason },
        }
      : {}),
  };
}
