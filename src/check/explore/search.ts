// Explicit-state search over system states: BFS (shortest counterexamples) or DFS, with
// canonical state hashing, sleep-set partial-order reduction, invariant checks in every
// state, quiescence predicates and convergence at quiescent states, and cycle detection.
import { getHeapStatistics } from "node:v8";
import type { SystemInput, SystemModel, SystemState, TransitionRef } from "../../model/system/index.js";
import { findFairLasso } from "./lasso.js";
import { canonicalEnabled, replayPath } from "./paths.js";
import type { CutReason, ExploreOptions, ExploreResult, ExploreStats, Violation, ViolationKind } from "./types.js";

/** What a sleeping transition needs for the independence test. */
interface SleepEntry {
  label: number;
  consumer: string;
  crash: boolean;
  /** Ordered groups (ids) its emissions were appended to (their order would depend on interleaving). */
  groups: readonly number[];
}

interface WorkItem {
  id: number;
  state: SystemState;
  /** Re-expansion after a sleep set shrank: only these labels. */
  only?: ReadonlySet<number>;
  /** Sleep set for this re-expansion. */
  sleep?: readonly SleepEntry[];
}

/** Where a violation was seen, resolved to a path after the search. */
interface Pending {
  kind: ViolationKind;
  name: string;
  message: string;
  /** State reached (invariant, quiescence, divergence) or the state before the transition. */
  id: number;
  /** Transition index (canonical enabled order) taken from `id` (step-level findings). */
  via?: number;
  referenceId?: number;
  service?: string;
  eventType?: string;
  lostEventId?: string;
}

const NO_SLEEP: readonly SleepEntry[] = [];

function asleep(sleep: readonly SleepEntry[], label: number): boolean {
  for (const e of sleep) if (e.label === label) return true;
  return false;
}

function independent(a: SleepEntry, b: SleepEntry): boolean {
  if (a.consumer === b.consumer) return false;
  if (a.crash && b.crash) return false;
  for (const g of a.groups) if (b.groups.includes(g)) return false;
  return true;
}

const NO_GROUPS: readonly number[] = [];

function orderedGroupsAppended(before: SystemState, after: SystemState): readonly number[] {
  if (after.nextSeq === before.nextSeq) return NO_GROUPS;
  let out: number[] | undefined;
  // New messages are at the end of the inflight list (send order).
  const list = after.inflight;
  for (let i = list.length - 1; i >= 0 && list[i]!.seq >= before.nextSeq; i--) {
    const m = list[i]!;
    if (!m.ordered) continue;
    if (!out) out = [m.groupId];
    else if (!out.includes(m.groupId)) out.push(m.groupId);
  }
  return out ?? NO_GROUPS;
}

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Heap use at which the search stops and says it was cut by memory. What follows the search
 * (paths of counterexamples, the lasso check, the report) and the garbage collector working near
 * the limit need room: 30% of the heap and at least 96 MB are left (a worker started with
 * --max-old-space-size=200 stops at about 160 MB instead of dying at 260).
 */
export function defaultHeapBound(): number {
  const limit = getHeapStatistics().heap_size_limit;
  return Math.max(limit * 0.3, Math.min(limit * 0.7, limit - 96 * 1024 * 1024));
}

export function explore(model: SystemModel, inputs: readonly SystemInput[], options: ExploreOptions = {}): ExploreResult {
  return exploreGraph(model, inputs, options).result;
}

/** A finished search and the way back to any state it numbered (`onState` ids). */
export interface ExploredGraph {
  result: ExploreResult;
  /** The transitions from the initial state to state `id` (a shortest path under BFS). */
  pathTo(id: number): TransitionRef[];
}

export function exploreGraph(model: SystemModel, inputs: readonly SystemInput[], options: ExploreOptions = {}): ExploredGraph {
  const started = performance.now();
  const order = options.order ?? "bfs";
  const por = options.por ?? true;
  const termination = options.termination ?? true;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const maxHeap = options.maxHeapBytes ?? defaultHeapBound();
  const deadline = options.timeBudgetMs === undefined ? Number.POSITIVE_INFINITY : started + options.timeBudgetMs;

  const ids = new Map<string, number>();
  const parent: number[] = [];
  const via: number[] = [];
  const depth: number[] = [];
  const sleepOf: (readonly SleepEntry[] | null)[] = [];
  const expanded: boolean[] = [];
  /** DFS under a depth bound: states left unexpanded at the bound (expanded after all when a
   * shorter path reaches them later). */
  const atBound = new Set<number>();
  // The graph for the termination check: every enabled transition of every expanded state, with
  // its target (-1 when not explored: asleep, or past the state bound) and the message it acts on.
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const edgeVia: number[] = [];
  const edgeMessage: number[] = [];
  const edge = (from: number, to: number, index: number, message: number) => {
    edgeFrom.push(from);
    edgeTo.push(to);
    edgeVia.push(index);
    edgeMessage.push(message);
  };

  const pending = new Map<string, Pending>();
  const note = (p: Pending) => {
    const k = `${p.kind}\u0000${p.name}`;
    if (!pending.has(k)) pending.set(k, p);
  };

  const stats: ExploreStats = {
    states: 0,
    transitions: 0,
    depth: 0,
    quiescentStates: 0,
    outcomes: 0,
    complete: true,
    elapsedMs: 0,
    porSkipped: 0,
    copiesSkipped: 0,
  };
  let cut: CutReason | undefined;
  const outcomes = new Set<string>();
  let reference: { id: number; services: string[] } | undefined;
  const quiescentIds: number[] = [];

  const predicates = options.predicates ?? true;
  /** Checks a newly discovered state. A state that breaks an invariant is expanded like any other:
   * what lies behind it (another invariant, a quiescent state that fails) is reported too. */
  const visit = (id: number, s: SystemState): void => {
    if (predicates) for (const f of model.invariantFailures(s)) note({ kind: "invariant", name: f.name, message: f.message, id });
    const quiescent = model.isQuiescent(s);
    options.onState?.(id, s, depth[id]!, quiescent);
    if (quiescent) {
      stats.quiescentStates++;
      if (predicates) for (const f of model.quiescenceFailures(s)) note({ kind: "quiescence", name: f.name, message: f.message, id });
      const services = model.serviceNames.map((n) => model.serviceKey(s, n));
      outcomes.add(services.join("\u0000"));
      if (!reference) reference = { id, services };
      else {
        const differing = model.serviceNames.filter((_, i) => services[i] !== reference!.services[i]);
        if (differing.length > 0) {
          note({
            kind: "divergence",
            name: "convergence",
            message: `two schedules of the same inputs end in different states of ${differing.join(", ")}`,
            id,
            referenceId: reference.id,
          });
        }
      }
    }
  };

  const add = (s: SystemState, k: string, from: number, viaIndex: number, sleep: readonly SleepEntry[] | null): number => {
    const id = parent.length;
    ids.set(k, id);
    parent.push(from);
    via.push(viaIndex);
    const d = from < 0 ? 0 : depth[from]! + 1;
    depth.push(d);
    if (d > stats.depth) stats.depth = d;
    sleepOf.push(sleep && sleep.length > 0 ? sleep : null);
    expanded.push(false);
    return id;
  };

  const work: WorkItem[] = [];
  let head = 0;
  const push = (w: WorkItem) => work.push(w);
  const pop = (): WorkItem | undefined => {
    if (order === "dfs") return work.pop();
    if (head >= work.length) return undefined;
    const w = work[head++]!;
    if (head > 65536 && head * 2 > work.length) {
      work.splice(0, head);
      head = 0;
    }
    return w;
  };

  const init = model.initialState(inputs);
  const initId = add(init, model.key(init), -1, -1, null);
  visit(initId, init);
  push({ id: initId, state: init });

  let lastProgress = started;
  let counter = 0;
  try {
    for (let item = pop(); item !== undefined; item = pop()) {
      if (++counter % 256 === 0) {
        const now = performance.now();
        if (now > deadline) cut = "time";
        else if (getHeapStatistics().used_heap_size > maxHeap) cut = "memory";
        if (cut) break;
        if (options.progress && now - lastProgress > 200) {
          lastProgress = now;
          const rate = Math.round(parent.length / ((now - started) / 1000));
          options.progress(`${options.label ?? "explore"}: ${fmt(parent.length)} states, ${fmt(stats.transitions)} transitions, depth ${stats.depth}, ${fmt(rate)} states/s`);
        }
      }
      const { id, state: s } = item;
      const { transitions: enabled, labels } = canonicalEnabled(model, s, stats);
      if (enabled.length === 0) continue;
      if (depth[id]! >= maxDepth) {
        atBound.add(id);
        continue;
      }
      atBound.delete(id);
      const only = item.only;
      let sleep: readonly SleepEntry[];
      if (only) sleep = item.sleep ?? NO_SLEEP;
      else {
        expanded[id] = true;
        sleep = sleepOf[id] ?? NO_SLEEP;
      }
      const explored: SleepEntry[] = [];
      for (let i = 0; i < enabled.length; i++) {
        const t = enabled[i]!;
        const label = labels[i]!;
        if (only ? !only.has(label) : sleep.length > 0 && asleep(sleep, label)) {
          if (!only) {
            stats.porSkipped++;
            if (termination) edge(id, -1, i, t.message.entry);
          }
          continue;
        }
        const r = model.step(s, t);
        stats.transitions++;
        options.onStep?.(s, t, r);
        if (r.outcome === "dead-lettered") {
          note({ kind: "dead-letter", name: `${t.message.consumer}/${t.message.event.type}`, message: r.error ?? "handler failed", id, via: i, service: t.message.consumer, eventType: t.message.event.type });
        }
        for (const e of r.unroutable) {
          note({ kind: "unroutable", name: `${t.message.consumer}/${String(e.type)}`, message: `${t.message.consumer} emitted ${String(e.type)}, which no channel declares`, id, via: i, service: t.message.consumer, eventType: String(e.type) });
        }
        for (const e of r.lost) {
          note({ kind: "lost-event", name: `${t.message.consumer}/${e.type}`, message: `${t.message.consumer} crashed after committing its state and before publishing ${e.type}; without an outbox the event is lost`, id, via: i, service: t.message.consumer, eventType: e.type, lostEventId: model.eventId(e) });
        }
        let entry: SleepEntry | undefined;
        let childSleep: SleepEntry[] | null = null;
        if (por) {
          entry = { label, consumer: t.message.consumer, crash: Boolean(t.crash), groups: orderedGroupsAppended(s, r.state) };
          for (const e of sleep) if (independent(e, entry)) (childSleep ??= []).push(e);
          for (const e of explored) if (independent(e, entry)) (childSleep ??= []).push(e);
        }
        const k = model.key(r.state);
        let child = ids.get(k);
        if (child === undefined) {
          if (parent.length >= maxStates) {
            cut ??= "max-states";
            if (termination) edge(id, -1, i, t.message.entry);
            continue;
          }
          child = add(r.state, k, id, i, childSleep);
          visit(child, r.state);
          push({ id: child, state: r.state });
        } else if (order === "dfs" && depth[child]! > depth[id]! + 1 && maxDepth !== Number.POSITIVE_INFINITY) {
          // DFS reached this state first by a longer path; under a depth bound what lies behind it
          // may be within reach after all: shorten its path and expand it (again).
          depth[child] = depth[id]! + 1;
          parent[child] = id;
          via[child] = i;
          sleepOf[child] = null;
          push({ id: child, state: r.state });
        } else if (por) {
          const old = sleepOf[child];
          // The child's sleep set shrinks to what this path also lets sleep; what woke up is
          // explored from the child again.
          if (old && !old.every((e) => childSleep !== null && asleep(childSleep, e.label))) {
            const kept = childSleep === null ? [] : old.filter((e) => asleep(childSleep!, e.label));
            sleepOf[child] = kept.length > 0 ? kept : null;
            if (expanded[child]) {
              const again = new Set(old.filter((e) => !(childSleep !== null && asleep(childSleep, e.label))).map((e) => e.label));
              push({ id: child, state: r.state, only: again, sleep: kept });
            }
          }
        }
        // A transition into a state that is not expanded must not put its siblings' successors to
        // sleep: the commuted path through that state is never taken. Nor must a self-loop (a
        // redelivery that throws): it would be missing from the successors, and with it the loop
        // they can be stuck in once everything else is delivered.
        if (entry && child !== id) explored.push(entry);
        if (termination) edge(id, child, i, t.message.entry);
      }
    }
  } catch (error) {
    // A table grown past what the engine allows (Map or array size): out of memory, said as a cut.
    if (!(error instanceof RangeError)) throw error;
    cut = "memory";
  }
  if (cut === undefined && atBound.size > 0) cut = "max-depth";
  let lassoLoop: number[] | undefined;
  /** Sleep sets left edges out and the graph has only unfair cycles: decided again without them. */
  let recheck = false;
  if (termination && cut !== "time" && cut !== "memory") {
    const { lasso, cyclic } = findFairLasso({ states: parent.length, from: edgeFrom, to: edgeTo, via: edgeVia, message: edgeMessage, depth });
    if (lasso) {
      pending.set("lasso", {
        kind: "lasso",
        name: "termination",
        message: lassoMessage(lasso.loop.length),
        id: lasso.entry,
        via: -1,
      });
      lassoLoop = lasso.loop;
    } else recheck = cyclic && por && stats.porSkipped > 0;
  }
  edgeFrom.length = edgeTo.length = edgeVia.length = edgeMessage.length = 0;

  stats.states = parent.length;
  stats.outcomes = outcomes.size;
  stats.complete = cut === undefined;
  if (cut) stats.cut = cut;
  const violations = resolveViolations(model, inputs, [...pending.values()], parent, via, lassoLoop);
  if (recheck) {
    // A sleeping transition is an edge the graph lacks, and a fair loop may need it (a redelivery
    // loop that starves a message only on the path the sleep sets kept). Rare: only graphs whose
    // cycles are all unfair get here; the full graph decides.
    const left = options.timeBudgetMs === undefined ? {} : { timeBudgetMs: Math.max(1, options.timeBudgetMs - (performance.now() - started)) };
    const { samplePaths: _samples, onStep: _onStep, ...rest } = options;
    const full = explore(model, inputs, { ...rest, ...left, por: false, termination: true });
    stats.transitions += full.stats.transitions;
    if (full.stats.cut === "time" || full.stats.cut === "memory") {
      stats.complete = false;
      stats.cut ??= full.stats.cut;
    }
    const lasso = full.violations.find((v) => v.kind === "lasso");
    if (lasso) {
      violations.push(lasso);
      sortViolations(violations);
    }
  }
  const result: ExploreResult = { inputs: [...inputs], stats, violations };
  if (reference) result.firstQuiescent = replayPath(model, inputs, chainTo(reference.id, parent, via)).refs;
  if (options.samplePaths) {
    const n = parent.length;
    const every = Math.max(1, Math.floor(n / options.samplePaths));
    const chosen = new Set<number>();
    for (let id = 0; id < n && chosen.size < options.samplePaths; id += every) chosen.add(id);
    for (const id of quiescentIds.slice(0, options.samplePaths)) chosen.add(id);
    result.samples = [...chosen].sort((a, b) => a - b).map((id) => {
      const run = replayPath(model, inputs, chainTo(id, parent, via));
      return { path: run.refs, quiescent: model.isQuiescent(run.last) };
    });
  }
  stats.elapsedMs = performance.now() - started;
  return { result, pathTo: (id) => replayPath(model, inputs, chainTo(id, parent, via)).refs };
}

function chainTo(id: number, parent: readonly number[], via: readonly number[]): number[] {
  const out: number[] = [];
  for (let cur = id; parent[cur]! >= 0; cur = parent[cur]!) out.push(via[cur]!);
  return out.reverse();
}

function resolveViolations(
  model: SystemModel,
  inputs: readonly SystemInput[],
  found: Pending[],
  parent: readonly number[],
  via: readonly number[],
  loop: number[] | undefined,
): Violation[] {
  const out: Violation[] = [];
  for (const p of found) {
    const indexes = chainTo(p.id, parent, via);
    if (p.via !== undefined && p.via >= 0) indexes.push(p.via);
    let loopStart: number | undefined;
    if (p.kind === "lasso" && loop) {
      loopStart = indexes.length;
      indexes.push(...loop);
    }
    const run = replayPath(model, inputs, indexes);
    const v: Violation = { kind: p.kind, name: p.name, message: p.message, path: run.refs, finalState: run.finalServices };
    if (loopStart !== undefined) v.loopStart = loopStart;
    if (p.service) v.service = p.service;
    if (p.eventType) v.eventType = p.eventType;
    if (p.referenceId !== undefined) {
      const ref = replayPath(model, inputs, chainTo(p.referenceId, parent, via));
      v.reference = ref.refs;
      v.diff = run.diff(ref.last);
    }
    if (p.kind === "lost-event" && p.lostEventId !== undefined && !run.staysLost(p.lostEventId, p.eventType!)) continue;
    out.push(v);
  }
  return sortViolations(out);
}

function sortViolations(out: Violation[]): Violation[] {
  return out.sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind < b.kind ? -1 : 1));
}

function lassoMessage(loopLength: number): string {
  return `a reachable loop of ${loopLength} transition${loopLength === 1 ? "" : "s"} never reaches quiescence and starves no message in flight (a fair broker may repeat it forever)`;
}
