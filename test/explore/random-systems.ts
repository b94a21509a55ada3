// Random small systems for comparing the reduced searches with the unreduced one: one or two
// keys, one or two consumers, handlers drawn from a small family (flag, overwrite, counter,
// throw-until-created, emit-downstream, a global counter that breaks key independence).
import fc from "fast-check";
import type { Event } from "../../src/model/handler.js";
import { createSystemModel, inMemoryServices, type SystemInput, type SystemModel } from "../../src/model/system/index.js";
import type { Delivery, Ordering } from "../../src/spec/types.js";
import { topology } from "../system/helpers.js";

type Op = "flag" | "overwrite" | "count" | "needsCreated" | "emit" | "global";
type Rec = { created?: boolean; flags?: string[]; n?: number };
type S = { recs: Record<string, Rec>; total: number };

export interface RandomSystem {
  ops: Record<string, Op>;
  downstreamOp: Op;
  delivery: Delivery;
  ordering: Ordering;
  downstreamOrdering: Ordering;
  maxRedeliveries: number | undefined;
  duplicates: number;
  crashes: number;
  outbox: boolean;
  inputs: { type: string; key: string }[];
}

const op = fc.constantFrom<Op>("flag", "overwrite", "count", "needsCreated", "emit", "global");
export const randomSystem: fc.Arbitrary<RandomSystem> = fc.record({
  ops: fc.record({ A: op, B: op, C: op }),
  downstreamOp: fc.constantFrom<Op>("flag", "count", "needsCreated", "global"),
  delivery: fc.constantFrom<Delivery>("at-least-once", "at-least-once", "at-most-once", "exactly-once"),
  ordering: fc.constantFrom<Ordering>("none", "none", "per-key", "total"),
  downstreamOrdering: fc.constantFrom<Ordering>("none", "per-key"),
  maxRedeliveries: fc.option(fc.constantFrom(0, 1), { nil: undefined }),
  duplicates: fc.constantFrom(0, 1),
  crashes: fc.constantFrom(0, 0, 1),
  outbox: fc.boolean(),
  inputs: fc.array(fc.record({ type: fc.constantFrom("A", "B", "C"), key: fc.constantFrom("k1", "k2") }), { minLength: 1, maxLength: 4 }),
});

function apply(kind: Op, s: S, e: Event, emitType: string | undefined): { state: S; emit?: Event[] } {
  const k = String(e.k);
  const cur = s.recs[k] ?? {};
  const put = (r: Rec, total = s.total) => ({ recs: { ...s.recs, [k]: r }, total });
  switch (kind) {
    case "flag":
      return { state: put({ ...cur, created: true, flags: [...new Set([...(cur.flags ?? []), e.type])].sort() }) };
    case "overwrite":
      return { state: put({ created: true, flags: [e.type] }) };
    case "count":
      return { state: put({ ...cur, n: (cur.n ?? 0) + 1 }) };
    case "needsCreated":
      if (!cur.created) throw new Error(`${k} not created`);
      return { state: put({ ...cur, flags: [...new Set([...(cur.flags ?? []), e.type])].sort() }) };
    case "emit":
      return { state: put({ ...cur, created: true }), emit: emitType ? [{ type: emitType, id: `${e.id}>${emitType}`, k }] : [] };
    case "global":
      return { state: { recs: s.recs, total: s.total + 1 } };
  }
}

export function buildRandom(sys: RandomSystem): { model: SystemModel; inputs: SystemInput[] } {
  const up = {
    initialState: (): S => ({ recs: {}, total: 0 }),
    handle: (s: S, e: Event) => apply(sys.ops[e.type as "A"] ?? "flag", s, e, "D"),
  };
  const down = {
    initialState: (): S => ({ recs: {}, total: 0 }),
    handle: (s: S, e: Event) => apply(sys.downstreamOp, s, e, undefined),
  };
  const model = createSystemModel({
    topology: topology(
      {
        main: { delivery: sys.delivery, ordering: sys.ordering, key: "k", events: ["A", "B", "C"], consumers: ["up"], ...(sys.maxRedeliveries !== undefined ? { maxRedeliveries: sys.maxRedeliveries } : {}) },
        side: { ordering: sys.downstreamOrdering, key: "k", events: ["D"], consumers: ["down"], maxRedeliveries: 1 },
      },
      { up: sys.outbox },
    ),
    runtime: {
      services: inMemoryServices({ up, down }),
      invariants: { countAtMostTwo: (st) => Object.values((st.up as S).recs).every((r) => (r.n ?? 0) <= 2) || "a counter passed 2" },
      quiescence: {
        downstreamSawEveryCreated: (st) =>
          Object.entries((st.up as S).recs).every(([k, r]) => !r.created || (st.down as S).recs[k] !== undefined || (st.down as S).total > 0) || "a created record never reached down",
      },
    },
    bounds: { duplicates: sys.duplicates, crashes: sys.crashes },
  });
  const inputs = sys.inputs.map((x, i) => ({ channel: "main", event: { type: x.type, id: `e${i}`, k: x.key } }));
  return { model, inputs };
}
