// Key independence and symmetry: when the events of different keys (orders) touch disjoint
// parts of every service state, and no handler call depends on another key's part, the reachable
// states are exactly the product of the states reachable from each key's inputs alone, so N keys
// cost N searches of one key (plus the checks) instead of one search of their product.
//
// Nothing is assumed or sampled (independence.ts): every distinct handler call of every key is
// re-run under read tracking, calls that reach other keys' parts are re-run in every combination
// of those parts, the predicates are judged on combined states (product-predicates.ts), a key
// whose run is a renamed copy of another's has every call of that run re-run renamed
// (key-runs.ts), and each counterexample is replayed in the whole system. When a check fails the
// caller searches the whole system, and `reason` says which check failed and where.
import type { Event } from "../../model/handler.js";
import { diffServices, type SystemInput, type SystemModel, type TransitionRef } from "../../model/system/index.js";
import { partsOf, verifyCalls } from "./independence.js";
import { Refuted, renamedRun, searchKey, type KeyRun, type Reached } from "./key-runs.js";
import { productPredicateViolations, type PredicateViolation } from "./product-predicates.js";
import { renamer, swapOf } from "./renaming.js";
import type { ExploreOptions, ExploreResult, Violation } from "./types.js";

export interface KeyReduction {
  applied: boolean;
  /** Why it was not applied (or which check refuted it). */
  reason?: string;
  keys: number;
  /** Keys searched (the others are renamed copies of a searched key's run). */
  explored: number;
  /** Symmetry classes among keys (same inputs up to renaming). */
  symmetryClasses: number;
  /** Keys whose run is a verified renamed copy (symmetry saved their searches, not their checks). */
  copies: number;
  /** Distinct handler calls of the per-key runs, each re-run under read tracking. */
  callsChecked: number;
  /** Handler runs under tracking: each call once, and calls that reach other keys' parts once per combination of those parts. */
  contextRuns: number;
  /** Handler calls re-run renamed to verify the symmetric copies. */
  symmetryRuns: number;
  /** Predicate evaluations on combined states. */
  predicateRuns: number;
  /** States of the product (what the unreduced search would store), as a number. */
  productStates: number;
  productTransitions: number;
}

function inputKeys(model: SystemModel, inputs: readonly SystemInput[]): string[] | string {
  const keys: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const ch = model.topology.channels.get(input.channel);
    if (!ch) return `input ${i + 1} names unknown channel ${input.channel}`;
    if (ch.ordering === "total") return `channel ${ch.name} is totally ordered: its messages of different keys are ordered against each other`;
    const k = model.eventKey(input.channel, input.event as Event);
    if (k === undefined) return `input ${i + 1} (${String(input.event.type)} on ${input.channel}) has no key${ch.key ? ` at ${ch.key}` : " (the channel declares no key)"}`;
    keys.push(k);
  }
  return keys;
}

/** The names a key's inputs carry (its key and its events' ids) and its inputs with placeholders
 * for them: keys with equal texts are candidates for symmetry. */
function signature(model: SystemModel, key: string, inputs: readonly SystemInput[]): { text: string; names: string[] } {
  const names = [...new Set([key, ...inputs.map((x) => model.eventId(x.event as Event))])];
  const placeholders = new Map<string, string>();
  names.forEach((n, i) => placeholders.set(n, `\u0000${i}`).set(`\u0000${i}`, n));
  const rename = renamer(placeholders);
  return { text: model.codec.encode(inputs.map((x) => ({ channel: x.channel, event: rename(x.event) }))), names };
}

/** Explores each key alone; returns no result (with the reason) when independence is refuted. */
export function exploreByKey(
  model: SystemModel,
  inputs: readonly SystemInput[],
  options: ExploreOptions,
  symmetry = true,
): { result?: ExploreResult; reduction: KeyReduction } {
  const reduction: KeyReduction = {
    applied: false,
    keys: 0,
    explored: 0,
    symmetryClasses: 0,
    copies: 0,
    callsChecked: 0,
    contextRuns: 0,
    symmetryRuns: 0,
    predicateRuns: 0,
    productStates: 0,
    productTransitions: 0,
  };
  const fail = (reason: string) => ({ reduction: { ...reduction, applied: false, reason } });
  const distinctKeys = new Set(inputs.map((x) => model.eventKey(x.channel, x.event as Event)));
  if (distinctKeys.size < 2 && !distinctKeys.has(undefined)) return fail(distinctKeys.size === 1 ? "all inputs have the same key" : "no inputs");
  const keysOrReason = inputKeys(model, inputs);
  if (typeof keysOrReason === "string") return fail(keysOrReason);
  const distinct = [...new Set(keysOrReason)].sort();
  reduction.keys = distinct.length;
  if (model.bounds.crashes > 0) return fail("the crash bound is shared by all keys");

  // Per-key inputs with the ids the model gives them (input-N by position in the whole scenario).
  const withIds = inputs.map(model.withInputId);
  const byKey = new Map(distinct.map((k) => [k, withIds.filter((_, i) => keysOrReason[i] === k)]));
  const classes = new Map<string, { rep: string; names: string[]; members: string[] }>();
  for (const k of distinct) {
    const sig = signature(model, k, byKey.get(k)!);
    const c = symmetry ? classes.get(sig.text) : undefined;
    if (c) c.members.push(k);
    else classes.set(symmetry ? sig.text : k, { rep: k, names: sig.names, members: [k] });
  }
  reduction.symmetryClasses = classes.size;

  const runs: KeyRun[] = [];
  const started = performance.now();
  let statesSoFar = 0;
  const search = (key: string): KeyRun => {
    const budget = options.maxStates === undefined ? {} : { maxStates: Math.max(1, options.maxStates - statesSoFar) };
    const time = options.timeBudgetMs === undefined ? {} : { timeBudgetMs: Math.max(1, options.timeBudgetMs - (performance.now() - started)) };
    const run = searchKey(model, key, byKey.get(key)!, { ...options, ...budget, ...time });
    statesSoFar += run.result.stats.states;
    reduction.explored++;
    return run;
  };
  let predicateViolations: PredicateViolation[];
  try {
    for (const cls of classes.values()) {
      const rep = search(cls.rep);
      runs.push(rep);
      for (const other of cls.members.slice(1)) {
        const pairs = swapOf(cls.names, signature(model, other, byKey.get(other)!).names);
        const copy = pairs && rep.result.stats.complete ? renamedRun(model, rep, other, byKey.get(other)!, pairs, reduction) : undefined;
        if (copy) reduction.copies++;
        runs.push(copy ?? search(other));
      }
    }
    runs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const parts = partsOf(model, runs);
    const deadline = options.timeBudgetMs === undefined ? undefined : started + options.timeBudgetMs;
    verifyCalls(model, runs, parts, reduction, deadline);
    predicateViolations = productPredicateViolations(model, runs, parts, reduction);
  } catch (error) {
    if (error instanceof Refuted) return fail(error.message);
    throw error;
  }
  const product = combine(model, inputs, runs, predicateViolations, reduction, performance.now() - started);
  if (typeof product === "string") return fail(product);
  reduction.applied = true;
  return { result: product, reduction };
}

/** The product's verdicts, each counterexample replayed in the whole system. */
function combine(
  model: SystemModel,
  inputs: readonly SystemInput[],
  runs: readonly KeyRun[],
  predicateViolations: readonly PredicateViolation[],
  reduction: KeyReduction,
  elapsedMs: number,
): ExploreResult | string {
  const stats = runs.map((r) => r.result.stats);
  const prod = (f: (i: number) => number) => stats.reduce((acc, _, i) => acc * f(i), 1);
  reduction.productStates = prod((i) => stats[i]!.states);
  reduction.productTransitions = stats.reduce((acc, s, i) => acc + s.transitions * prod((j) => (j === i ? 1 : stats[j]!.states)), 0);
  const cut = stats.find((s) => s.cut)?.cut;
  const result: ExploreResult = {
    inputs: [...inputs],
    stats: {
      // Work done: the searched keys (symmetric copies cost renamed calls, not searches).
      states: runs.reduce((a, r) => a + (r.copyOf ? 0 : r.result.stats.states), 0),
      transitions: runs.reduce((a, r) => a + (r.copyOf ? 0 : r.result.stats.transitions), 0),
      depth: stats.reduce((a, s) => a + s.depth, 0),
      quiescentStates: prod((i) => stats[i]!.quiescentStates),
      outcomes: prod((i) => stats[i]!.outcomes),
      complete: stats.every((s) => s.complete),
      ...(cut ? { cut } : {}),
      elapsedMs,
      porSkipped: stats.reduce((a, s) => a + s.porSkipped, 0),
      copiesSkipped: stats.reduce((a, s) => a + s.copiesSkipped, 0),
    },
    violations: [],
  };
  const quiesce = runs.map((r) => r.result.firstQuiescent);
  const restQuiesce = (except: number): TransitionRef[] | undefined => {
    const out: TransitionRef[] = [];
    for (let j = 0; j < runs.length; j++) {
      if (j === except) continue;
      const q = quiesce[j];
      if (!q) return undefined;
      out.push(...q);
    }
    return out;
  };
  // The first violation of each kind and name: the key whose counterexample is shortest once
  // the other keys' parts it needs are added (quiescent kinds need every key quiescent). A loop
  // of one key is fair in the whole system only once the other keys have nothing in flight, so
  // their runs to quiescence come first.
  const best = new Map<string, { v: Violation; path: TransitionRef[]; reference?: TransitionRef[]; loopStart?: number }>();
  let loopNotPlaced = false;
  runs.forEach((run, i) => {
    for (const v of run.result.violations) {
      const needsAll = v.kind === "quiescence" || v.kind === "divergence" || v.kind === "lasso";
      let path = v.path;
      let reference = v.reference;
      let loopStart = v.loopStart;
      if (needsAll) {
        const rest = restQuiesce(i);
        if (!rest) {
          if (v.kind === "lasso") loopNotPlaced = true;
          continue;
        }
        if (v.kind === "lasso") {
          path = [...rest, ...v.path];
          loopStart = (v.loopStart ?? 0) + rest.length;
        } else path = [...v.path, ...rest];
        if (reference) reference = [...reference, ...rest];
      }
      const id = `${v.kind}\u0000${v.name}`;
      const cur = best.get(id);
      if (!cur || path.length < cur.path.length) best.set(id, { v, path, ...(reference ? { reference } : {}), ...(loopStart !== undefined ? { loopStart } : {}) });
    }
  });
  for (const p of predicateViolations) {
    const path = p.states.flatMap((s: Reached) => s.path());
    best.set(`${p.kind}\u0000${p.name}`, { v: { kind: p.kind, name: p.name, message: "", path }, path });
  }
  if (loopNotPlaced && ![...best.values()].some((b) => b.v.kind === "lasso")) return "a key loops while another key never reaches quiescence";
  for (const { v, path, reference, loopStart } of best.values()) {
    const run = model.replay(inputs, path);
    if (run.unmatched !== undefined) return `the ${v.kind} counterexample of one key does not replay in the whole system`;
    const last = run.states.at(-1)!;
    const out: Violation = { ...v, path: run.steps.map((s, i) => ({ ...model.toRef(s.transition), ...(path[i]!.duplicate ? { duplicate: true } : {}) })) };
    if (loopStart !== undefined) out.loopStart = loopStart;
    out.finalState = Object.fromEntries(model.serviceNames.map((n) => [n, model.codec.toJSON(last.services[n])]));
    if (v.kind === "invariant") {
      const failure = model.invariantFailures(last).find((f) => f.name === v.name);
      if (!failure) return `invariant ${v.name}, broken on the product, holds at the end of its counterexample in the whole system`;
      out.message = failure.message;
    }
    if (v.kind === "quiescence") {
      const failure = model.isQuiescent(last) ? model.quiescenceFailures(last).find((f) => f.name === v.name) : undefined;
      if (!failure) return `quiescence predicate ${v.name}, broken on the product, holds at the end of its counterexample in the whole system`;
      out.message = failure.message;
    }
    if (v.kind === "divergence" && reference) {
      const ref = model.replay(inputs, reference);
      const refLast = ref.states.at(-1)!;
      if (ref.unmatched !== undefined || model.key(refLast) === model.key(last)) return "a divergence of one key does not show in the whole system";
      out.reference = ref.steps.map((s) => model.toRef(s.transition));
      out.diff = diffServices(model.codec, model.serviceNames, last.services, refLast.services);
    }
    if (v.kind === "lasso" && loopStart !== undefined && model.key(run.states[loopStart]!) !== model.key(last)) {
      return "a cycle of one key does not close in the whole system";
    }
    result.violations.push(out);
  }
  result.violations.sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind < b.kind ? -1 : 1));
  const firsts = quiesce.every((q) => q !== undefined) ? quiesce.flatMap((q) => q!) : undefined;
  if (firsts) {
    const run = model.replay(inputs, firsts);
    if (run.unmatched === undefined) result.firstQuiescent = run.steps.map((s) => model.toRef(s.transition));
  }
  return result;
}
