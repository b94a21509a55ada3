// Shrinking past fast-check: fast-check shrinks the choices that drove a run,
// which leaves a locally minimal choice list but not always the schedule a
// person wants to read (a duplicate picked first instead of in place). Here
// the schedule itself is improved by local edits (drop a fault, remove a step,
// swap two steps that are out of send order), each kept only when the run
// still breaks the same property and the schedule is strictly smaller:
// fewest deliveries, then fewest faults (duplicates, crashes, drops), then
// fewest inversions of send order.
import type { SystemInput, SystemModel, TransitionRef } from "../../model/system/index.js";
import { refsChooser, runSchedule, type Property, type RunOptions, type RunResult } from "./run.js";

export interface Cost {
  deliveries: number;
  faults: number;
  inversions: number;
}

export function scheduleCost(refs: readonly TransitionRef[]): Cost {
  let faults = 0;
  const firstSeqs: number[] = [];
  const seen = new Set<number>();
  for (const r of refs) {
    if (r.ackLost || r.crash || r.action === "drop") faults++;
    if (!seen.has(r.seq)) {
      seen.add(r.seq);
      firstSeqs.push(r.seq);
    }
  }
  let inversions = 0;
  for (let i = 0; i < firstSeqs.length; i++) for (let j = i + 1; j < firstSeqs.length; j++) if (firstSeqs[i]! > firstSeqs[j]!) inversions++;
  return { deliveries: refs.length, faults, inversions };
}

function lessThan(a: Cost, b: Cost): boolean {
  if (a.deliveries !== b.deliveries) return a.deliveries < b.deliveries;
  if (a.faults !== b.faults) return a.faults < b.faults;
  return a.inversions < b.inversions;
}

/** Schedules up to this length also try moving each delivery to every other place. */
const MOVE_LIMIT = 40;

function* candidates(refs: readonly TransitionRef[]): Generator<TransitionRef[]> {
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i]!;
    if (r.ackLost || r.crash || r.action === "drop") {
      const { ackLost: _a, crash: _c, ...plain } = r;
      yield [...refs.slice(0, i), { ...plain, action: "deliver" }, ...refs.slice(i + 1)];
    }
  }
  for (let i = 0; i < refs.length; i++) yield [...refs.slice(0, i), ...refs.slice(i + 1)];
  // One delivery first, everything else in send order: the schedules with the fewest inversions.
  for (let i = 1; i < refs.length; i++) yield [refs[i]!];
  if (refs.length <= MOVE_LIMIT) {
    for (let i = 0; i < refs.length; i++) {
      for (let j = 0; j < refs.length; j++) {
        if (j === i || j === i + 1) continue;
        const rest = [...refs.slice(0, i), ...refs.slice(i + 1)];
        const at = j < i ? j : j - 1;
        yield [...rest.slice(0, at), refs[i]!, ...rest.slice(at)];
      }
    }
  }
  for (let i = 0; i + 1 < refs.length; i++) {
    if (refs[i]!.seq > refs[i + 1]!.seq) yield [...refs.slice(0, i), refs[i + 1]!, refs[i]!, ...refs.slice(i + 2)];
  }
}

/**
 * Improves a failing run until no single edit helps or `maxEvaluations` runs
 * were spent. Deterministic: candidates are tried in a fixed order.
 */
export function minimizeRun(
  model: SystemModel,
  inputs: readonly SystemInput[],
  failing: RunResult,
  property: Property,
  options: RunOptions,
  maxEvaluations = 4000,
): RunResult {
  let best = failing;
  let bestRefs = failing.transitions.map((t) => model.toRef(t));
  let bestCost = scheduleCost(bestRefs);
  let evaluations = 0;
  let improved = true;
  while (improved && evaluations < maxEvaluations) {
    improved = false;
    for (const candidate of candidates(bestRefs)) {
      if (++evaluations > maxEvaluations) break;
      const run = runSchedule(model, inputs, refsChooser(model, candidate, true), options);
      if (run.property !== property) continue;
      const refs = run.transitions.map((t) => model.toRef(t));
      const cost = scheduleCost(refs);
      if (!lessThan(cost, bestCost)) continue;
      best = run;
      bestRefs = refs;
      bestCost = cost;
      improved = true;
      break;
    }
  }
  return best;
}
