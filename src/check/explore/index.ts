/**
 * Exhaustive exploration of a scenario's reachable system states.
 *
 * `checkScenario(model, inputs, options)` runs the search with the reductions asked for
 * (all on by default) and says which ones applied:
 * - keys: per-key searches combined as a product when every handler call is shown independent of
 *   the other keys' parts (keyed.ts, independence.ts), else the whole system, with the reason;
 * - symmetry: a key with another's inputs up to renaming takes a renamed copy of its run when
 *   every call of that run, re-run renamed, gives the renamed result (key-runs.ts);
 * - por: sleep sets over deliveries to different consumers (search.ts).
 */
import type { SystemInput, SystemModel } from "../../model/system/index.js";
import { exploreByKey, type KeyReduction } from "./keyed.js";
import { explore } from "./search.js";
import type { ExploreOptions, ExploreResult } from "./types.js";

export interface Reductions {
  keys: boolean;
  symmetry: boolean;
  por: boolean;
}

export interface ScenarioCheck extends ExploreResult {
  reductions: Reductions;
  /** What the key reduction did (absent when not asked for). */
  keyReduction?: KeyReduction;
}

export function checkScenario(
  model: SystemModel,
  inputs: readonly SystemInput[],
  options: ExploreOptions & { reductions?: Partial<Reductions> } = {},
): ScenarioCheck {
  const reductions: Reductions = { keys: true, symmetry: true, por: true, ...options.reductions };
  const base: ExploreOptions = { ...options, por: reductions.por };
  if (reductions.keys) {
    const started = performance.now();
    const { result, reduction } = exploreByKey(model, inputs, base, reductions.symmetry);
    if (result) return { ...result, reductions, keyReduction: reduction };
    // Fallback: the whole system, within what is left of the budget.
    const spent = performance.now() - started;
    const rest = options.timeBudgetMs === undefined ? {} : { timeBudgetMs: Math.max(1, options.timeBudgetMs - spent) };
    const whole = explore(model, inputs, { ...base, ...rest });
    whole.stats.elapsedMs += spent;
    return { ...whole, reductions, keyReduction: reduction };
  }
  return { ...explore(model, inputs, base), reductions };
}

export { explore } from "./search.js";
export { exploreByKey, type KeyReduction } from "./keyed.js";
export type { CutReason, ExploreOptions, ExploreResult, ExploreStats, SearchOrder, Violation, ViolationKind } from "./types.js";
