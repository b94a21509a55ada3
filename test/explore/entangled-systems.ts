// Random small systems whose keys are sometimes independent and sometimes entangled in the ways
// the key reduction must notice: a handler reading another key's record (directly or by going
// through all records), records shared by keys (a global counter, a 'last key' record, the
// 'first key seen'), behaviour that depends on the key itself (parity, comparison: symmetry must
// not hold), containers copied whole (a spread, a Map, a Set: independent, but only provably so by
// running the call with the other keys' entries present), and predicates relating keys (mutual
// exclusion, all keys alike). Each op is one way a handler treats an event of key k.
import fc from "fast-check";
import type { Event } from "../../src/model/handler.js";
import { createSystemModel, inMemoryServices, type SystemInput, type SystemModel } from "../../src/model/system/index.js";
import type { Delivery, Ordering } from "../../src/spec/types.js";
import { topology } from "../system/helpers.js";

export type EntangledOp =
  | "flag" // own record: add the event type to its flags
  | "count" // own record: n + 1
  | "needsCreated" // throws until the own record was created
  | "emit" // own record created, emits D of the same key downstream
  | "peekAny" // own flag 'saw' when some other record is created (reads others through all records)
  | "peekNext" // own flag 'saw' when the next key's record exists (reads one other record directly)
  | "total" // shared counter
  | "last" // shared record: the last key handled
  | "first" // shared record: the first key seen; own flag when it is this key
  | "parity" // even keys overwrite their record, odd ones add a flag (breaks symmetry)
  | "compare" // keys below k2 count, the others flag (breaks symmetry)
  | "spreadAll" // rebuilds every record (copies), then flags its own: independent
  | "mapCount" // own entry of a Map counted up, the Map copied whole: independent
  | "setMark" // the event id added to a shared Set copied whole: independent
  | "dropOthers"; // rebuilds the records with its own only (drops the others': a write to theirs)

type Rec = { created?: boolean; flags?: string[]; n?: number };
export type EntangledState = { recs: Record<string, Rec>; total: number; last?: string; first?: string; counts: Map<string, number>; marks: Set<string> };

export interface EntangledSystem {
  ops: Record<"A" | "B" | "C", EntangledOp>;
  downstreamOp: EntangledOp;
  delivery: Delivery;
  ordering: Ordering;
  duplicates: number;
  maxRedeliveries: number | undefined;
  invariant: "none" | "countAtMostTwo" | "exclusiveB" | "firstIsCreated";
  quiescence: "none" | "downstreamSaw" | "allAlike" | "nobodySaw";
  inputs: { type: "A" | "B" | "C"; key: string }[];
}

const ops: EntangledOp[] = ["flag", "count", "needsCreated", "emit", "peekAny", "peekNext", "total", "last", "first", "parity", "compare", "spreadAll", "mapCount", "setMark", "dropOthers"];
const op = fc.constantFrom(...ops);
const eventType = fc.constantFrom<"A" | "B" | "C">("A", "B", "C");

export const entangledSystem: fc.Arbitrary<EntangledSystem> = fc.record({
  ops: fc.record({ A: op, B: op, C: op }),
  downstreamOp: fc.constantFrom<EntangledOp>("flag", "count", "peekAny", "total", "spreadAll", "setMark"),
  delivery: fc.constantFrom<Delivery>("at-least-once", "at-least-once", "at-most-once", "exactly-once"),
  ordering: fc.constantFrom<Ordering>("none", "none", "per-key"),
  duplicates: fc.constantFrom(0, 1),
  maxRedeliveries: fc.option(fc.constantFrom(0, 1), { nil: undefined }),
  invariant: fc.constantFrom("none", "countAtMostTwo", "exclusiveB", "firstIsCreated"),
  quiescence: fc.constantFrom("none", "downstreamSaw", "allAlike", "nobodySaw"),
  inputs: fc.oneof(
    fc.array(fc.record({ type: eventType, key: fc.constantFrom("k1", "k2", "k3") }), { minLength: 2, maxLength: 5 }),
    // The same events for every key: symmetry applies unless the handlers tell the keys apart.
    fc
      .tuple(fc.array(eventType, { minLength: 1, maxLength: 2 }), fc.constantFrom(["k1", "k2"], ["k1", "k2", "k3"]))
      .map(([types, keys]) => keys.flatMap((key) => types.map((type) => ({ type, key })))),
  ),
});

const withFlag = (r: Rec, f: string): Rec => ({ ...r, created: true, flags: [...new Set([...(r.flags ?? []), f])].sort() });
const keyNumber = (k: string) => Number(k.slice(1));

function apply(kind: EntangledOp, s: EntangledState, e: Event, emitType: string | undefined): { state: EntangledState; emit?: Event[] } {
  const k = String(e.k);
  const cur = s.recs[k] ?? {};
  const put = (r: Rec): EntangledState => ({ ...s, recs: { ...s.recs, [k]: r } });
  switch (kind) {
    case "flag":
      return { state: put(withFlag(cur, e.type)) };
    case "count":
      return { state: put({ ...cur, n: (cur.n ?? 0) + 1 }) };
    case "needsCreated":
      if (!cur.created) throw new Error(`${k} not created`);
      return { state: put(withFlag(cur, e.type)) };
    case "emit":
      return { state: put({ ...cur, created: true }), emit: emitType ? [{ type: emitType, id: `${e.id}>${emitType}`, k }] : [] };
    case "peekAny": {
      const saw = Object.entries(s.recs).some(([other, r]) => other !== k && r.created);
      return { state: put(withFlag(cur, saw ? "saw" : e.type)) };
    }
    case "peekNext": {
      const next = `k${(keyNumber(k) % 3) + 1}`;
      return { state: put(withFlag(cur, s.recs[next] ? "saw" : e.type)) };
    }
    case "total":
      return { state: { ...s, total: s.total + 1 } };
    case "last":
      return { state: { ...put(withFlag(cur, e.type)), last: k } };
    case "first": {
      const first = s.first ?? k;
      return { state: { ...put(withFlag(cur, first === k ? "first" : e.type)), first } };
    }
    case "parity":
      return { state: put(keyNumber(k) % 2 === 0 ? { created: true, flags: [e.type] } : withFlag(cur, e.type)) };
    case "compare":
      return { state: put(k < "k2" ? { ...cur, created: true, n: (cur.n ?? 0) + 1 } : withFlag(cur, e.type)) };
    case "spreadAll": {
      const recs = Object.fromEntries(Object.entries(s.recs).map(([key, r]) => [key, r]));
      return { state: { ...s, recs: { ...recs, [k]: withFlag(cur, e.type) } } };
    }
    case "mapCount":
      return { state: { ...s, counts: new Map(s.counts).set(k, (s.counts.get(k) ?? 0) + 1) } };
    case "setMark":
      return { state: { ...s, marks: new Set([...s.marks, String(e.id)]) } };
    case "dropOthers":
      return { state: { ...s, recs: { [k]: withFlag(cur, e.type) } } };
  }
}

const initial = (): EntangledState => ({ recs: {}, total: 0, counts: new Map(), marks: new Set() });

export function buildEntangled(sys: EntangledSystem): { model: SystemModel; inputs: SystemInput[] } {
  const up = { initialState: initial, handle: (s: EntangledState, e: Event) => apply(sys.ops[e.type as "A"] ?? "flag", s, e, "D") };
  const down = { initialState: initial, handle: (s: EntangledState, e: Event) => apply(sys.downstreamOp, s, e, undefined) };
  const recs = (st: Record<string, unknown>, svc: string) => (st[svc] as EntangledState).recs;
  const invariants = {
    countAtMostTwo: (st: Record<string, unknown>) => Object.values(recs(st, "up")).every((r) => (r.n ?? 0) <= 2) || "a counter passed 2",
    exclusiveB: (st: Record<string, unknown>) => Object.values(recs(st, "up")).filter((r) => r.flags?.includes("B")).length <= 1 || "two keys hold B",
    firstIsCreated: (st: Record<string, unknown>) => {
      const f = (st.up as EntangledState).first;
      return f === undefined || recs(st, "up")[f]?.created === true || "the first key has no record";
    },
  };
  const quiescence = {
    downstreamSaw: (st: Record<string, unknown>) =>
      Object.entries(recs(st, "up")).every(([k, r]) => !r.created || recs(st, "down")[k] !== undefined || (st.down as EntangledState).total > 0) || "a created record never reached down",
    allAlike: (st: Record<string, unknown>) => new Set(Object.values(recs(st, "up")).map((r) => JSON.stringify(r.flags ?? []))).size <= 1 || "records differ",
    nobodySaw: (st: Record<string, unknown>) => !Object.values(recs(st, "up")).some((r) => r.flags?.includes("saw")) || "a key saw another",
  };
  const pick = <T extends Record<string, unknown>>(all: T, name: string) => (name === "none" ? {} : { [name]: all[name as keyof T] });
  const model = createSystemModel({
    topology: topology({
      main: { delivery: sys.delivery, ordering: sys.ordering, key: "k", events: ["A", "B", "C"], consumers: ["up"], ...(sys.maxRedeliveries !== undefined ? { maxRedeliveries: sys.maxRedeliveries } : {}) },
      side: { ordering: "none", key: "k", events: ["D"], consumers: ["down"], maxRedeliveries: 1 },
    }),
    runtime: {
      services: inMemoryServices({ up, down }),
      invariants: pick(invariants, sys.invariant) as typeof invariants,
      quiescence: pick(quiescence, sys.quiescence) as typeof quiescence,
    },
    bounds: { duplicates: sys.duplicates, crashes: 0 },
  });
  const inputs = sys.inputs.map((x, i) => ({ channel: "main", event: { type: x.type, id: `e${i}`, k: x.key } }));
  return { model, inputs };
}
