// Key independence and symmetry: when the events of different keys (orders) touch disjoint
// parts of every service state, the reachable states are the product of the states reachable
// from each key's inputs alone, so N keys cost about N searches of one key instead of one search
// of their product. Nothing here is assumed: every step of every per-key search is checked
// (it changes only its key's part and emits only events of its key), reads are checked on
// sampled combinations with other keys' states, predicates are checked to decompose on sampled
// combined states, and each counterexample is replayed in the whole system. Keys with the same
// inputs up to renaming are explored once (symmetry), verified by replaying sampled paths
// renamed. When a check fails the caller falls back to the search of the whole system.
import type { Event } from "../../model/handler.js";
import { diffServices, type StepResult, type SystemInput, type SystemModel, type SystemState, type Transition, type TransitionRef } from "../../model/system/index.js";
import { CONFLICT, merge, renamer, strip, type Tags } from "./projection.js";
import { explore } from "./search.js";
import type { ExploreOptions, ExploreResult, Violation } from "./types.js";

export interface KeyReduction {
  applied: boolean;
  /** Why it was not applied (or what failed the verification). */
  reason?: string;
  keys: number;
  /** Keys explored (the others were symmetric copies). */
  explored: number;
  /** Symmetry classes among keys (same inputs up to renaming). */
  symmetryClasses: number;
  /** Steps whose write locality was checked. */
  stepsChecked: number;
  /** Sampled reads checked against other keys' states. */
  readsChecked: number;
  /** Sampled combined states on which the predicates were checked to decompose. */
  predicateChecks: number;
  /** Renamed paths replayed to verify symmetry. */
  symmetryChecks: number;
  /** States of the product (what the unreduced search would store), as a number. */
  productStates: number;
  productTransitions: number;
}

interface KeyRun {
  key: string;
  /** Made by renaming another key's run (symmetry): no search of its own. */
  copy?: true;
  inputs: SystemInput[];
  result: ExploreResult;
  tags: Set<string>;
  /** Service states of sampled visited states (for read and predicate checks). */
  sampled: SystemState[];
  sampledQuiescent: SystemState[];
  /** Sampled steps to re-run against other keys' states. */
  steps: { before: SystemState; transition: Transition; result: StepResult }[];
}

class Refuted extends Error {}

const SAMPLE_STEPS = 48;
const SAMPLE_STATES = 24;

/** Deterministic reservoir sampling (a fixed LCG: same search, same sample). */
function reservoir<T>(size: number) {
  const items: T[] = [];
  let seen = 0;
  let rng = 0x2545f491;
  return {
    items,
    offer(x: T) {
      seen++;
      if (items.length < size) items.push(x);
      else {
        rng = (Math.imul(rng, 1103515245) + 12345) >>> 0;
        const j = rng % seen;
        if (j < size) items[j] = x;
      }
    },
  };
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

/** Inputs of one key with its key and event ids replaced by placeholders: equal signatures, symmetric keys. */
function signature(model: SystemModel, key: string, inputs: readonly SystemInput[]): { text: string; names: string[] } {
  const names = [key, ...inputs.map((x) => (x.event.id === undefined ? undefined : String(x.event.id))).filter((x): x is string => x !== undefined)];
  const rename = renamer(new Map(names.map((n, i) => [n, `\u0000${i}`])));
  return { text: model.codec.encode(inputs.map((x) => ({ channel: x.channel, event: rename(x.event) }))), names };
}

function otherTags(runs: readonly KeyRun[], except: KeyRun): Set<string> {
  const out = new Set<string>();
  for (const r of runs) if (r !== except) for (const t of r.tags) out.add(t);
  return out;
}

/** Explores each key alone; returns undefined (with the reason) when independence cannot be verified. */
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
    stepsChecked: 0,
    readsChecked: 0,
    predicateChecks: 0,
    symmetryChecks: 0,
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

  const byKey = new Map(distinct.map((k) => [k, inputs.filter((_, i) => keysOrReason[i] === k)]));
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
  try {
    for (const cls of classes.values()) {
      const rep = exploreOneKey(model, cls.rep, byKey.get(cls.rep)!, options, reduction, statesSoFar, started);
      statesSoFar += rep.result.stats.states;
      runs.push(rep);
      reduction.explored++;
      for (const other of cls.members.slice(1)) {
        const sig = signature(model, other, byKey.get(other)!);
        const copy = symmetricCopy(model, rep, cls.names, sig.names, other, byKey.get(other)!, reduction);
        runs.push(copy ?? exploreOneKey(model, other, byKey.get(other)!, options, reduction, statesSoFar, started));
        if (!copy) {
          statesSoFar += runs.at(-1)!.result.stats.states;
          reduction.explored++;
        }
      }
    }
    for (const run of runs) checkReads(model, run, runs, reduction);
    checkPredicates(model, runs, reduction);
  } catch (error) {
    if (error instanceof Refuted) return fail(error.message);
    throw error;
  }
  const product = combine(model, inputs, runs, reduction, performance.now() - started);
  if (typeof product === "string") return fail(product);
  reduction.applied = true;
  return { result: product, reduction };
}

function exploreOneKey(
  model: SystemModel,
  key: string,
  inputs: SystemInput[],
  options: ExploreOptions,
  reduction: KeyReduction,
  statesSoFar: number,
  started: number,
): KeyRun {
  const tags = new Set<string>([key, ...inputs.map((x, i) => (x.event.id === undefined ? `input-${i + 1}` : String(x.event.id)))]);
  const steps = reservoir<KeyRun["steps"][number]>(SAMPLE_STEPS);
  const encodeStripped = (v: unknown) => model.codec.encode(strip(v, tags));
  const onStep = (before: SystemState, t: Transition, r: StepResult) => {
    options.onStep?.(before, t, r);
    for (const e of [...r.published, ...r.lost, ...r.unroutable]) {
      tags.add(model.eventId(e));
      const channel = model.topology.eventChannel.get(e.type);
      if (channel === undefined) continue;
      const ch = model.topology.channels.get(channel)!;
      if (ch.ordering === "total") throw new Refuted(`${t.message.consumer} emits ${e.type} on totally ordered channel ${channel}`);
      const k = model.eventKey(channel, e);
      if (k !== key) throw new Refuted(`handling ${t.message.event.type} of key ${key}, ${t.message.consumer} emits ${e.type} with key ${k ?? "(none)"}`);
    }
    if (r.outcome === "handled") {
      const svc = t.message.consumer;
      if (encodeStripped(before.services[svc]) !== encodeStripped(r.state.services[svc])) {
        throw new Refuted(`handling ${t.message.event.type} of key ${key} changes a part of ${svc}'s state that is not key ${key}'s`);
      }
    }
    reduction.stepsChecked++;
    steps.offer({ before, transition: t, result: r });
  };
  const budget = options.maxStates === undefined ? undefined : Math.max(1, options.maxStates - statesSoFar);
  const timeBudgetMs = options.timeBudgetMs === undefined ? undefined : Math.max(1, options.timeBudgetMs - (performance.now() - started));
  const result = explore(model, inputs, {
    ...options,
    ...(budget !== undefined ? { maxStates: budget } : {}),
    ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}),
    label: `${options.label ?? "explore"} key ${key}`,
    onStep,
    samplePaths: SAMPLE_STATES,
  });
  const sampled: SystemState[] = [];
  const sampledQuiescent: SystemState[] = [];
  for (const s of result.samples ?? []) {
    const run = model.replay(inputs, s.path);
    const last = run.states.at(-1)!;
    (s.quiescent ? sampledQuiescent : sampled).push(last);
  }
  return { key, inputs, result, tags, sampled, sampledQuiescent, steps: steps.items };
}

/** A run of `other` made by renaming the representative's, verified on its sampled paths. */
function symmetricCopy(
  model: SystemModel,
  rep: KeyRun,
  repNames: string[],
  otherNames: string[],
  otherKey: string,
  otherInputs: SystemInput[],
  reduction: KeyReduction,
): KeyRun | undefined {
  if (repNames.length !== otherNames.length) return undefined;
  const rename = renamer(new Map(repNames.map((n, i) => [n, otherNames[i]!])));
  const renameRef = (r: TransitionRef): TransitionRef => ({ ...r, id: rename(r.id) as string });
  const sampled: SystemState[] = [];
  const sampledQuiescent: SystemState[] = [];
  const paths = [...(rep.result.samples ?? []).map((s) => s.path), ...rep.result.violations.map((v) => v.path)];
  for (const path of paths) {
    const mine = model.replay(rep.inputs, path);
    const theirs = model.replay(otherInputs, path.map(renameRef));
    reduction.symmetryChecks++;
    if (theirs.unmatched !== undefined || mine.states.length !== theirs.states.length) return undefined;
    for (let i = 0; i < mine.states.length; i++) {
      const a = mine.states[i]!;
      const b = theirs.states[i]!;
      for (const svc of model.serviceNames) {
        if (model.codec.encode(rename(a.services[svc])) !== model.codec.encode(b.services[svc])) return undefined;
      }
    }
    const last = theirs.states.at(-1)!;
    (model.isQuiescent(last) ? sampledQuiescent : sampled).push(last);
  }
  const renameViolation = (v: Violation): Violation => {
    const out: Violation = { ...v, path: v.path.map(renameRef), message: rename(v.message) as string };
    if (v.reference) out.reference = v.reference.map(renameRef);
    if (v.finalState) out.finalState = rename(v.finalState) as Record<string, unknown>;
    if (v.diff) out.diff = rename(v.diff) as typeof v.diff;
    return out;
  };
  const result: ExploreResult = {
    ...rep.result,
    inputs: otherInputs,
    violations: rep.result.violations.map(renameViolation),
    ...(rep.result.firstQuiescent ? { firstQuiescent: rep.result.firstQuiescent.map(renameRef) } : {}),
  };
  const tags = new Set([...rep.tags].map((t) => rename(t) as string));
  return { key: otherKey, copy: true, inputs: otherInputs, result, tags, sampled, sampledQuiescent, steps: [] };
}

/** Re-runs sampled steps of `run` with other keys' parts filled in from their sampled states. */
function checkReads(model: SystemModel, run: KeyRun, runs: readonly KeyRun[], reduction: KeyReduction): void {
  const others = runs.filter((r) => r !== run && r.sampled.length + r.sampledQuiescent.length > 0);
  if (others.length === 0) return;
  const foreign = otherTags(runs, run);
  const enc = (v: unknown, tags: Tags) => model.codec.encode(strip(v, tags));
  run.steps.forEach((s, i) => {
    const other = others[i % others.length]!;
    const pool = [...other.sampled, ...other.sampledQuiescent];
    const ctx = pool[(i * 7) % pool.length]!;
    const svc = s.transition.message.consumer;
    const combined = merge(s.before.services[svc], ctx.services[svc], run.tags, other.tags, model.codec.equal);
    if (combined === CONFLICT) throw new Refuted(`${svc}'s state of key ${run.key} and of key ${other.key} disagree on a shared part`);
    // No serviceIds: the model re-encodes the combined service state.
    const b = s.before;
    const state: SystemState = { services: { ...b.services, [svc]: combined }, inflight: b.inflight, crashes: b.crashes, deadLetters: b.deadLetters, nextSeq: b.nextSeq };
    const r = model.step(state, s.transition);
    reduction.readsChecked++;
    const expected = s.result;
    if (r.outcome !== expected.outcome) {
      throw new Refuted(`${svc} handles ${s.transition.message.event.type} of key ${run.key} differently when key ${other.key} has progressed (${expected.outcome} alone, ${r.outcome} together)`);
    }
    if (r.outcome !== "handled") return;
    const ownAlone = enc(expected.state.services[svc], foreign);
    const ownTogether = enc(r.state.services[svc], foreign);
    const theirsBefore = enc(combined, run.tags);
    const theirsAfter = enc(r.state.services[svc], run.tags);
    const emits = (x: StepResult) => model.codec.encode([x.published, x.lost, x.unroutable]);
    if (ownAlone !== ownTogether || theirsBefore !== theirsAfter || emits(r) !== emits(expected)) {
      throw new Refuted(`${svc} handles ${s.transition.message.event.type} of key ${run.key} differently when key ${other.key} has progressed (it reads another key's part)`);
    }
  });
}

/** Service states of several keys' states, combined. */
function combineServices(model: SystemModel, parts: { run: KeyRun; state: SystemState }[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const svc of model.serviceNames) {
    let acc = parts[0]!.state.services[svc];
    let accTags = new Set(parts[0]!.run.tags);
    for (const p of parts.slice(1)) {
      const m = merge(acc, p.state.services[svc], accTags, p.run.tags, model.codec.equal);
      if (m === CONFLICT) return undefined;
      acc = m;
      accTags = new Set([...accTags, ...p.run.tags]);
    }
    out[svc] = acc;
  }
  return out;
}

/** Predicates must decompose: on combined states, broken iff broken in some key's own state. */
function checkPredicates(model: SystemModel, runs: readonly KeyRun[], reduction: KeyReduction): void {
  const verdict = (names: readonly string[], preds: SystemModel["invariants"], services: Record<string, unknown>) =>
    names.map((n) => {
      try {
        return preds[n]!(services) === true;
      } catch {
        return false;
      }
    });
  const check = (kind: "invariant" | "quiescence", pick: (r: KeyRun) => SystemState[]) => {
    const preds = kind === "invariant" ? model.invariants : model.quiescence;
    const names = Object.keys(preds).sort();
    if (names.length === 0) return;
    const pools = runs.map(pick);
    if (pools.some((p) => p.length === 0)) return;
    const width = Math.max(...pools.map((p) => p.length));
    for (let i = 0; i < width; i++) {
      const parts = runs.map((run, r) => ({ run, state: pools[r]![(i * (r + 1)) % pools[r]!.length]! }));
      const combined = combineServices(model, parts);
      if (!combined) throw new Refuted("the keys' states disagree on a shared part");
      const together = verdict(names, preds, combined);
      const alone = parts.map((p) => verdict(names, preds, p.state.services as Record<string, unknown>));
      reduction.predicateChecks++;
      names.forEach((n, j) => {
        const expected = alone.every((a) => a[j]);
        if (together[j] !== expected) throw new Refuted(`${kind} ${n} does not decompose by key: it ${together[j] ? "holds" : "is broken"} on a combination of keys' states that are each ${expected ? "fine" : "broken"}`);
      });
    }
  };
  check("invariant", (r) => [...r.sampled, ...r.sampledQuiescent]);
  check("quiescence", (r) => r.sampledQuiescent);
}

/** The product's verdicts, each counterexample replayed in the whole system. */
function combine(
  model: SystemModel,
  inputs: readonly SystemInput[],
  runs: readonly KeyRun[],
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
      // Work done: the searched keys (symmetric copies cost replays, not searches).
      states: runs.reduce((a, r) => a + (r.copy ? 0 : r.result.stats.states), 0),
      transitions: runs.reduce((a, r) => a + (r.copy ? 0 : r.result.stats.transitions), 0),
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
  if (loopNotPlaced && ![...best.values()].some((b) => b.v.kind === "lasso")) return "a key loops while another key never reaches quiescence";
  for (const { v, path, reference, loopStart } of best.values()) {
    const run = model.replay(inputs, path);
    if (run.unmatched !== undefined) return `the ${v.kind} counterexample of one key does not replay in the whole system`;
    const last = run.states.at(-1)!;
    const out: Violation = { ...v, path: run.steps.map((s, i) => ({ ...model.toRef(s.transition), ...(path[i]!.duplicate ? { duplicate: true } : {}) })) };
    if (loopStart !== undefined) out.loopStart = loopStart;
    out.finalState = Object.fromEntries(model.serviceNames.map((n) => [n, model.codec.toJSON(last.services[n])]));
    if (v.kind === "invariant" && !model.invariantFailures(last).some((f) => f.name === v.name)) return `invariant ${v.name} broken by one key alone holds in the whole system`;
    if (v.kind === "quiescence" && !(model.isQuiescent(last) && model.quiescenceFailures(last).some((f) => f.name === v.name))) {
      return `quiescence predicate ${v.name} broken by one key alone holds in the whole system`;
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

