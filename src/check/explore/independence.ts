// Deciding from the handlers' behaviour that keys are independent, so that the states reachable
// from all inputs are exactly the product of the states reachable from each key's inputs.
//
// 1. Parts. What a key's calls change (a structural diff per call, entry by entry) defines its
//    part of each service state: the shallowest paths it writes (its roots). Two keys' roots must
//    be disjoint: a record both write (a global counter, a 'last order' record) refutes.
// 2. Calls. Every distinct handler call of every key's search is run again under read tracking
//    on its own state. A call that never touches another key's part (an entry at another key's
//    root, or the key set of a container where another key adds or removes entries) runs the
//    same in every product state, so it is independent when it also keeps the other keys' parts:
//    each of their roots lies in a container it returned untouched. A call that does touch
//    another key's part is run again in every combination of those keys' parts (their distinct
//    values, with records replaced by opaque stand-ins it may copy but not look into, found
//    lazily: only the keys it touches), and must give its own result with the others' parts
//    kept, and the same emissions. A call that looks into another key's record refutes.
// Everything is checked on every call, nothing sampled; a failure names the call and the part.
import type { Event } from "../../model/handler.js";
import { rootPath, type Access, type PathKey, type SystemModel } from "../../model/system/index.js";
import { ancestors, covers, describePath, diffWrites, kindOf, parentPath, sameValue, valueAt, withValuesAt, type Writes } from "../../model/system/footprint.js";
import { emissionsText, Refuted, type KeyCall, type KeyRun } from "./key-runs.js";

/** Handler runs allowed for the combinations of other keys' parts, per scenario. */
export const CONTEXT_RUN_CAP = 400_000;

/** Each key's part of the service states. */
export interface Parts {
  /** Roots of each key, per service. */
  roots: Map<string, Map<string, PathKey[]>>;
  /** The key owning each root. */
  owner: Map<PathKey, string>;
  /** Containers where keys add or remove entries (outside their own roots), and which keys. */
  keyWriters: Map<PathKey, Set<string>>;
}

export interface IndependenceCounters {
  callsChecked: number;
  contextRuns: number;
}

/** Roots and containers of every key; refutes when two keys write the same place. */
export function partsOf(model: SystemModel, runs: readonly KeyRun[]): Parts {
  const roots = new Map<string, Map<string, PathKey[]>>();
  const owner = new Map<PathKey, string>();
  const keyWriters = new Map<PathKey, Set<string>>();
  for (const run of runs) {
    const perService = new Map<string, Writes>();
    for (const c of run.calls) {
      if ("error" in c.outcome) continue;
      let w = perService.get(c.service);
      if (!w) perService.set(c.service, (w = { writes: new Set(), keyWrites: new Set() }));
      diffWrites(c.before, c.outcome.state, rootPath(c.service), w);
    }
    const mine = new Map<string, PathKey[]>();
    for (const [service, w] of perService) {
      const all = [...w.writes].sort();
      const minimal = all.filter((p) => ![...ancestors(p)].some((a) => w.writes.has(a)));
      mine.set(service, minimal);
      for (const p of minimal) {
        const other = owner.get(p) ?? [...ancestors(p)].map((a) => owner.get(a)).find((k) => k !== undefined);
        if (other !== undefined && other !== run.key) throw new Refuted(`keys ${other} and ${run.key} both change ${describePath(p)}`);
        owner.set(p, run.key);
      }
      for (const c of w.keyWrites) {
        if (minimal.some((r) => covers(r, c))) continue;
        let set = keyWriters.get(c);
        if (!set) keyWriters.set(c, (set = new Set()));
        set.add(run.key);
      }
    }
    roots.set(run.key, mine);
  }
  // A root of one key inside another key's root (the other way round was checked above).
  for (const [p, k] of owner) {
    for (const a of ancestors(p)) {
      const o = owner.get(a);
      if (o !== undefined && o !== k) throw new Refuted(`keys ${o} and ${k} both change ${describePath(a)}`);
    }
  }
  return { roots, owner, keyWriters };
}

/** A stand-in for another key's record: the call may copy it, never look into it. */
const opaqueMarkers = new WeakSet<object>();
function marker(kind: string, path: PathKey): object {
  const m = Object.freeze({ "\u0000opaque": `${kind}:${path}` });
  opaqueMarkers.add(m);
  return m;
}
const isOpaque = (v: unknown) => typeof v === "object" && v !== null && opaqueMarkers.has(v);

/** A key's part of one service state, as a list of (root, present, value). */
type Part = { path: PathKey; present: boolean; value: unknown }[];

function partOf(state: unknown, roots: readonly PathKey[]): Part {
  return roots.map((path) => ({ path, ...valueAt(state, path) }));
}

function overlay(state: unknown, part: Part): unknown {
  const out = withValuesAt(state, part);
  if (out === undefined) throw new Refuted(`the container of ${describePath(part[0]!.path)} is missing where another key's part would go`);
  return out;
}

/** Checks every call of every key (see the header). */
/** `deadline`: performance.now() past which the checks give up (what is left of the time budget). */
export function verifyCalls(model: SystemModel, runs: readonly KeyRun[], parts: Parts, counters: IndependenceCounters, deadline = Number.POSITIVE_INFINITY): void {
  // The distinct parts of each key's records in each service, records made opaque.
  const patterns = new Map<string, Map<string, Part[]>>();
  const patternsOf = (run: KeyRun, service: string): Part[] => {
    let byService = patterns.get(run.key);
    if (!byService) patterns.set(run.key, (byService = new Map()));
    let list = byService.get(service);
    if (list) return list;
    const roots = parts.roots.get(run.key)?.get(service) ?? [];
    const seen = new Map<string, Part>();
    const states = [model.initialState([]).services[service], ...run.calls.filter((c) => c.service === service).flatMap((c) => ("error" in c.outcome ? [c.before] : [c.before, c.outcome.state]))];
    for (const s of states) {
      const part = partOf(s, roots).map((x) => {
        const k = x.present ? kindOf(x.value) : "absent";
        return k === "plain" || k === "map" || k === "set" ? { path: x.path, present: true, value: marker(k, x.path) } : x;
      });
      const text = model.codec.encode(part.map((x) => [x.path, x.present, x.present && isOpaque(x.value) ? (x.value as Record<string, string>)["\u0000opaque"] : x.value]));
      if (!seen.has(text)) seen.set(text, part);
    }
    list = [...seen.values()];
    byService.set(service, list);
    return list;
  };
  const byKey = new Map(runs.map((r) => [r.key, r]));
  for (const run of runs) {
    for (const call of run.calls) {
      counters.callsChecked++;
      verifyCall(model, run, call, parts, byKey, patternsOf, counters, deadline);
    }
  }
}

class NeedKeys extends Error {}

function verifyCall(
  model: SystemModel,
  run: KeyRun,
  call: KeyCall,
  parts: Parts,
  byKey: ReadonlyMap<string, KeyRun>,
  patternsOf: (run: KeyRun, service: string) => Part[],
  counters: IndependenceCounters,
  deadline: number,
): void {
  const { service, event } = call;
  const what = `handling ${event.type} of key ${run.key}, ${service}`;
  const others = [...parts.roots].filter(([k, m]) => k !== run.key && (m.get(service)?.length ?? 0) > 0).map(([k]) => k);
  const expectedEmit = "error" in call.outcome ? "" : emissionsText(model, call.outcome.emit);

  const attempt = (assigned: ReadonlyMap<string, Part>): void => {
    if ((++counters.contextRuns & 255) === 0 && performance.now() > deadline) {
      throw new Refuted("the time budget ran out while verifying that keys are independent");
    }
    if (counters.contextRuns > CONTEXT_RUN_CAP) {
      throw new Refuted(`verifying that calls which reach other keys' parts do not depend on them needs more than ${CONTEXT_RUN_CAP.toLocaleString("en-US")} handler runs`);
    }
    const laid = [...assigned.values()].flat();
    const input = laid.length === 0 ? call.before : overlay(call.before, laid);
    const need = new Set<string>();
    const guard = (a: Access) => {
      if (a.kind === "entry") {
        const k = parts.owner.get(a.path);
        if (k !== undefined && k !== run.key && !assigned.has(k)) need.add(k);
      } else {
        for (const k of parts.keyWriters.get(a.path) ?? []) if (k !== run.key && !assigned.has(k)) need.add(k);
      }
      if (need.size > 0) throw new NeedKeys();
    };
    const { tracker, outcome } = model.trackCall(service, input, event, { guard, isOpaque, record: false });
    if (tracker.opaqueTouched !== undefined) throw new Refuted(`${what} reads key ${parts.owner.get(tracker.opaqueTouched) ?? "?"}'s part at ${describePath(tracker.opaqueTouched)}`);
    if (tracker.mutated !== undefined) throw new Refuted(`${what} changes its input state at ${describePath(tracker.mutated)}`);
    if (need.size > 0) {
      branch(assigned, [...need].sort());
      return;
    }
    const context = assigned.size === 0 ? "when its reads are tracked" : `when key${assigned.size > 1 ? "s" : ""} ${[...assigned.keys()].join(", ")} ${assigned.size > 1 ? "have" : "has"} progressed`;
    if ("error" in call.outcome || outcome.error !== undefined) {
      if (!("error" in call.outcome) || outcome.error === undefined) {
        throw new Refuted(`${what} ${outcome.error !== undefined ? `throws (${outcome.error})` : "succeeds"} ${context}, unlike alone`);
      }
      return;
    }
    const expected = laid.length === 0 ? call.outcome.state : overlay(call.outcome.state, laid);
    if (!sameValue(outcome.state, expected)) {
      throw new Refuted(`${what} gives another state ${context} (it depends on or overwrites another key's part)`);
    }
    if (emissionsText(model, outcome.emit) !== expectedEmit) throw new Refuted(`${what} emits other events ${context}`);
    // Parts of keys the call never touched: kept only if they lie in a container it returned as it was.
    for (const k of others) {
      if (assigned.has(k)) continue;
      for (const root of parts.roots.get(k)!.get(service)!) {
        if (tracker.passed.has(root) || [...ancestors(root)].some((a) => tracker.passed.has(a))) continue;
        throw new Refuted(`${what} rebuilds ${describePath(parentPath(root) ?? root)} without reading it, dropping key ${k}'s part`);
      }
    }
  };

  const branch = (assigned: ReadonlyMap<string, Part>, needed: string[]): void => {
    const lists = needed.map((k) => patternsOf(byKey.get(k)!, service));
    const total = lists.reduce((a, l) => a * l.length, 1);
    if (counters.contextRuns + total > CONTEXT_RUN_CAP) {
      throw new Refuted(
        `${what} reaches the parts of key${needed.length > 1 ? "s" : ""} ${needed.join(", ")}: verifying it in each of their ${total.toLocaleString("en-US")} combinations is past the cap of ${CONTEXT_RUN_CAP.toLocaleString("en-US")} handler runs`,
      );
    }
    const index = needed.map(() => 0);
    for (;;) {
      const next = new Map(assigned);
      needed.forEach((k, i) => next.set(k, lists[i]![index[i]!]!));
      attempt(next);
      let i = needed.length - 1;
      while (i >= 0 && ++index[i]! === lists[i]!.length) index[i--] = 0;
      if (i < 0) return;
    }
  };

  attempt(new Map());
}

/** The key's part of a whole services record (all services), for combining tuples of keys. */
export function servicesPart(parts: Parts, key: string, services: Readonly<Record<string, unknown>>): { service: string; part: Part }[] {
  return [...(parts.roots.get(key) ?? new Map<string, PathKey[]>())].map(([service, roots]) => ({ service, part: partOf(services[service], roots) }));
}

/** The initial services with each given key's part laid over. */
export function combineServices(init: Readonly<Record<string, unknown>>, pieces: readonly { service: string; part: Part }[][]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...init };
  const byService = new Map<string, Part>();
  for (const piece of pieces) for (const { service, part } of piece) byService.set(service, [...(byService.get(service) ?? []), ...part]);
  for (const [service, part] of byService) if (part.length > 0) out[service] = overlay(out[service], part);
  return out;
}

export type { Part };
export type { Event };
