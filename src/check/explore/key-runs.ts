// The per-key searches of the key reduction: each key's inputs explored alone, remembering every
// distinct handler call it made and every distinct tuple of service states it reached (with the
// depth of its first state and a path to it), so independence and the predicates can be decided
// on the product afterwards. A key whose inputs equal another's up to renaming may get a renamed
// copy of that key's run instead, when every handler call of the run, renamed, gives the renamed
// result (symmetry); otherwise it is searched like the others.
import type { Event } from "../../model/handler.js";
import type { StepResult, SystemInput, SystemModel, SystemState, Transition, TransitionRef } from "../../model/system/index.js";
import { renamer } from "./renaming.js";
import { exploreGraph } from "./search.js";
import type { ExploreOptions, ExploreResult, Violation } from "./types.js";

/** Thrown when the reduction cannot be verified; the message says why. */
export class Refuted extends Error {}

/** One distinct handler call of a key's search (per service state and event). */
export interface KeyCall {
  service: string;
  before: unknown;
  event: Event;
  /** What the call gave in the search (untracked). */
  outcome: { state: unknown; emit: Event[] } | { error: string };
}

/** A distinct tuple of service states a key's search reached. */
export interface Reached {
  services: Readonly<Record<string, unknown>>;
  /** Depth of its first state (the shortest under BFS). */
  depth: number;
  path(): TransitionRef[];
}

export interface KeyRun {
  key: string;
  inputs: SystemInput[];
  /** Made by renaming this key's run (symmetry): no search of its own. */
  copyOf?: string;
  /** Stats and the violations other than predicates (those are judged on the product). */
  result: ExploreResult;
  calls: KeyCall[];
  /** Every distinct tuple of service states reached, and those of quiescent states, shallowest first. */
  reached: Reached[];
  quiescent: Reached[];
}

const byDepth = (a: Reached, b: Reached) => a.depth - b.depth;

/** Emissions of a step in one canonical form (order-free): what a call's emissions are compared by. */
export function emissionsText(model: SystemModel, emit: readonly Event[]): string {
  return emit
    .map((e) => model.codec.encode(e))
    .sort()
    .join("\u0000");
}

export function searchKey(model: SystemModel, key: string, inputs: SystemInput[], options: ExploreOptions): KeyRun {
  const calls: KeyCall[] = [];
  const seenCalls = new Set<string>();
  const reached = new Map<string, { id: number; depth: number; services: Readonly<Record<string, unknown>> }>();
  const quiescent = new Map<string, { id: number; depth: number; services: Readonly<Record<string, unknown>> }>();
  const tuple = (s: SystemState) => model.serviceNames.map((n) => model.serviceId(s, n)).join(",");
  const onState = (id: number, s: SystemState, depth: number, isQuiescent: boolean) => {
    options.onState?.(id, s, depth, isQuiescent);
    const t = tuple(s);
    const seen = reached.get(t);
    if (!seen || depth < seen.depth) reached.set(t, { id, depth, services: s.services });
    if (isQuiescent) {
      const q = quiescent.get(t);
      if (!q || depth < q.depth) quiescent.set(t, { id, depth, services: s.services });
    }
  };
  const onStep = (before: SystemState, t: Transition, r: StepResult) => {
    options.onStep?.(before, t, r);
    checkEmissions(model, key, t, r);
    if (r.outcome === "dropped") return;
    const service = t.message.consumer;
    const id = `${service}\u0000${model.serviceId(before, service)}\u0000${t.message.content}`;
    if (seenCalls.has(id)) return;
    seenCalls.add(id);
    const event = t.message.event;
    calls.push({
      service,
      before: before.services[service],
      event,
      outcome: r.outcome === "handled" ? { state: r.state.services[service], emit: [...r.published, ...r.unroutable, ...r.lost] } : { error: r.error ?? "handler failed" },
    });
  };
  const { samplePaths: _samples, ...rest } = options;
  const graph = exploreGraph(model, inputs, { ...rest, label: `${options.label ?? "explore"} key ${key}`, onStep, onState, predicates: false });
  const list = (m: typeof reached): Reached[] => [...m.values()].map((x) => ({ services: x.services, depth: x.depth, path: () => graph.pathTo(x.id) })).sort(byDepth);
  return { key, inputs, result: graph.result, calls, reached: list(reached), quiescent: list(quiescent) };
}

/** Every event a step of key `key` emits must be of that key, on a channel not ordered across keys. */
function checkEmissions(model: SystemModel, key: string, t: Transition, r: StepResult): void {
  for (const e of [...r.published, ...r.lost, ...r.unroutable]) {
    const channel = model.topology.eventChannel.get(e.type);
    if (channel === undefined) continue;
    const ch = model.topology.channels.get(channel)!;
    if (ch.ordering === "total") throw new Refuted(`${t.message.consumer} emits ${e.type} on totally ordered channel ${channel}`);
    const k = model.eventKey(channel, e);
    if (k !== key) throw new Refuted(`handling ${t.message.event.type} of key ${key}, ${t.message.consumer} emits ${e.type} with key ${k ?? "(none)"}`);
  }
}

/**
 * The run of `key` as the renamed run of `rep`, when renaming (`pairs`: the two keys' names
 * swapped) commutes with every handler call `rep`'s search made: the call on the renamed state
 * and event gives the renamed state and emissions, and renaming twice gives the values back (so
 * the renaming is one-to-one on them). The transitions around the calls (delivery, ordering,
 * redelivery) treat every key alike, so the two searches are then the same graph, renamed.
 * Undefined when a check fails: the key is searched instead.
 */
export function renamedRun(
  model: SystemModel,
  rep: KeyRun,
  key: string,
  inputs: SystemInput[],
  pairs: ReadonlyMap<string, string>,
  counter: { symmetryRuns: number },
): KeyRun | undefined {
  const rename = renamer(pairs);
  const enc = (v: unknown) => model.codec.encode(v);
  const involutive = (v: unknown) => enc(rename(rename(v))) === enc(v);
  if (enc(rename(rep.inputs)) !== enc(inputs)) return undefined;
  const init = model.initialState([]).services;
  if (enc(rename(init)) !== enc(init)) return undefined;
  const sameEvent = (e: Event, r: Event): boolean => {
    if (e.type !== r.type) return false;
    if (enc(rename(model.eventId(e))) !== enc(model.eventId(r))) return false;
    const channel = model.topology.eventChannel.get(e.type);
    return channel === undefined || enc(rename(model.eventKey(channel, e) ?? null)) === enc(model.eventKey(channel, r) ?? null);
  };
  const calls: KeyCall[] = [];
  for (const c of rep.calls) {
    const before = rename(c.before);
    const event = rename(c.event) as Event;
    if (!involutive(c.before) || !involutive(c.event) || !sameEvent(c.event, event)) return undefined;
    const { outcome } = model.trackCall(c.service, before, event);
    counter.symmetryRuns++;
    if (outcome.error !== undefined || "error" in c.outcome) {
      if (outcome.error === undefined || !("error" in c.outcome)) return undefined;
      calls.push({ service: c.service, before, event, outcome: { error: outcome.error } });
      continue;
    }
    const mine = c.outcome;
    if (!involutive(mine.state) || enc(rename(mine.state)) !== enc(outcome.state)) return undefined;
    if (mine.emit.length !== outcome.emit.length || !mine.emit.every((e) => involutive(e))) return undefined;
    const renamedEmit = mine.emit.map((e) => rename(e) as Event);
    if (emissionsText(model, renamedEmit) !== emissionsText(model, outcome.emit)) return undefined;
    if (!mine.emit.every((e, i) => sameEvent(e, renamedEmit[i]!))) return undefined;
    calls.push({ service: c.service, before, event, outcome: { state: outcome.state, emit: outcome.emit } });
  }
  const renameRef = (r: TransitionRef): TransitionRef => ({ ...r, id: rename(r.id) as string });
  const renameReached = (x: Reached): Reached => ({ services: rename(x.services) as Record<string, unknown>, depth: x.depth, path: () => x.path().map(renameRef) });
  const renameViolation = (v: Violation): Violation => {
    const out: Violation = { ...v, path: v.path.map(renameRef), message: rename(v.message) as string };
    if (v.reference) out.reference = v.reference.map(renameRef);
    if (v.finalState) out.finalState = rename(v.finalState) as Record<string, unknown>;
    if (v.diff) out.diff = rename(v.diff) as typeof v.diff;
    return out;
  };
  const result: ExploreResult = {
    ...rep.result,
    inputs,
    violations: rep.result.violations.map(renameViolation),
    ...(rep.result.firstQuiescent ? { firstQuiescent: rep.result.firstQuiescent.map(renameRef) } : {}),
  };
  return { key, inputs, copyOf: rep.key, result, calls, reached: rep.reached.map(renameReached), quiescent: rep.quiescent.map(renameReached) };
}
