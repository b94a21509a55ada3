// The explorer's speed comes from caches: a fast path of the canonical encoding, service-state
// encodings computed once per object and only when asked for, handler calls and predicate
// verdicts remembered per encoded state, state keys written as code units. Each must give
// exactly what the plain computation gives.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeValue } from "../../src/model/runtime/codec.js";
import { createSystemModel, inMemoryServices, plainCodec, type SystemModel, type SystemState } from "../../src/model/system/index.js";
import type { ValueCodec } from "../../src/model/runtime-types.js";
import type { Event } from "../../src/model/handler.js";
import { buildRandom, randomSystem } from "../explore/random-systems.js";
import { topology } from "./helpers.js";

/** The canonical encoding as first written (with cycle bookkeeping on every object): the oracle. */
function reference(v: unknown, seen = new Set<object>()): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? (Object.is(v, -0) ? "0" : String(v)) : `#${String(v)}`;
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "#undefined";
    case "bigint":
      return `${v}n`;
    case "symbol":
      return `#${String(v)}`;
    case "function":
      return `#function`;
  }
  if (v === null) return "null";
  const o = v as object;
  if (seen.has(o)) return "#cycle";
  seen.add(o);
  try {
    if (Array.isArray(o)) return `[${o.map((x) => reference(x, seen)).join(",")}]`;
    if (o instanceof Date) return `#Date(${o.getTime()})`;
    if (o instanceof Map) return `#Map{${[...o].map(([k, x]) => `${reference(k, seen)}=>${reference(x, seen)}`).sort().join(",")}}`;
    if (o instanceof Set) return `#Set[${[...o].map((x) => reference(x, seen)).sort().join(",")}]`;
    if (ArrayBuffer.isView(o)) return `#${o.constructor.name}[${Array.from(o as unknown as ArrayLike<number>).join(",")}]`;
    const keys = Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined).sort();
    const body = keys.map((k) => `${JSON.stringify(k)}:${reference((o as Record<string, unknown>)[k], seen)}`).join(",");
    const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
    return `${proto && proto !== Object.prototype ? (proto.constructor?.name ?? "") : ""}{${body}}`;
  } finally {
    seen.delete(o);
  }
}

class Point {
  constructor(
    readonly x: number,
    readonly y: unknown,
  ) {}
}

const leaf = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, 1.5, 10n),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.integer({ min: 0, max: 3 }).map((t) => new Date(t * 1000)),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.array(tie("v"), { maxLength: 3 }).map((xs) => {
      const holey = [...xs];
      holey.length += 1;
      return holey;
    }),
    fc.dictionary(fc.constantFrom("x", "y", "z", "a b", "__proto__x"), tie("v"), { maxKeys: 3 }).map((d) => ({ ...d })),
    fc.dictionary(fc.constantFrom("x", "y"), tie("v"), { maxKeys: 2 }).map((d) => Object.assign(Object.create(null) as object, d)),
    fc.array(fc.tuple(fc.constantFrom("k1", "k2", 3), tie("v")), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(tie("v"), { maxLength: 3 }).map((e) => new Set(e)),
    fc.tuple(fc.integer(), tie("v")).map(([x, y]) => new Point(x, y)),
    fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }).map((xs) => Uint8Array.from(xs)),
  ),
})).v;

function nested(depth: number, leafValue: unknown): unknown {
  let v = leafValue;
  for (let i = 0; i < depth; i++) v = i % 3 === 0 ? [v] : i % 3 === 1 ? { d: v } : new Map([["m", v]]);
  return v;
}

describe("canonical encoding fast path", () => {
  it("gives the reference encoding on random values", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(encodeValue(v)).toBe(reference(v));
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the reference encoding on deep values, cycles and shared parts", () => {
    for (const depth of [63, 64, 65, 66, 200]) expect(encodeValue(nested(depth, { z: 1 }))).toBe(reference(nested(depth, { z: 1 })));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic, list: [cyclic] };
    expect(encodeValue(cyclic)).toBe(reference(cyclic));
    expect(encodeValue(cyclic)).toContain("#cycle");
    const shared = { s: 1 };
    const dag = { a: shared, b: [shared, shared] };
    expect(encodeValue(dag)).toBe(reference(dag));
    expect(encodeValue(dag)).not.toContain("#cycle");
  });
});

/** A copy of `s` that shares nothing with it and carries no cached encodings. */
function fresh(s: SystemState): SystemState {
  return { services: structuredClone(s.services), inflight: s.inflight, crashes: s.crashes, deadLetters: s.deadLetters, nextSeq: s.nextSeq };
}

const describeStep = (model: SystemModel, r: ReturnType<SystemModel["step"]>) => ({
  outcome: r.outcome,
  error: r.error,
  services: model.serviceNames.map((n) => model.codec.encode(r.state.services[n])),
  inflight: r.state.inflight.map((m) => [m.seq, m.entry, m.acksLost, m.failures]),
  crashes: r.state.crashes,
  dead: r.state.deadLetters.map((d) => d.enc),
  emitted: model.codec.encode([r.published, r.lost, r.unroutable]),
  invariants: model.invariantFailures(r.state),
  quiescence: model.isQuiescent(r.state) ? model.quiescenceFailures(r.state) : [],
});

/** A consumer whose dedup set is volatile (lost on restart) and which emits downstream. */
function restartingModel() {
  type S = { seen: string[]; n: number };
  return createSystemModel({
    topology: topology({ in: { events: ["A"], consumers: ["c"], key: "k" }, out: { events: ["B"], consumers: ["d"], key: "k" } }, { c: false }),
    runtime: {
      services: inMemoryServices({
        c: {
          initialState: (): S => ({ seen: [], n: 0 }),
          handle: (s: S, e: Event) =>
            s.seen.includes(e.id) ? { state: s } : { state: { seen: [...s.seen, e.id].sort(), n: s.n + 1 }, emit: [{ type: "B", id: `${e.id}>B`, k: e.k }] },
          restart: (s: S) => ({ seen: [], n: s.n }),
        },
        d: { initialState: () => 0, handle: (n: number) => ({ state: n + 1 }) },
      }),
      invariants: { atMostTwo: (st) => (st.c as S).n <= 2 || "more than two handled" },
    },
    bounds: { duplicates: 1, crashes: 1 },
  });
}

describe("remembered steps", () => {
  it("a step from a state with known encodings (remembered handler calls) equals the step from a fresh copy", () => {
    const systems = fc.oneof(
      randomSystem.map((sys) => buildRandom(sys)),
      fc.constant(null).map(() => ({ model: restartingModel(), inputs: [1, 2, 1].map((i, j) => ({ channel: "in", event: { type: "A", id: `a${i}`, k: `k${j}` } })) })),
    );
    fc.assert(
      fc.property(systems, fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), ({ model, inputs }, picks) => {
        let s = model.initialState(inputs);
        for (const pick of picks) {
          model.key(s); // the explorer computes every state's key: from now on steps are remembered
          const ts = model.enabled(s);
          if (ts.length === 0) break;
          const t = ts[pick % ts.length]!;
          const remembered = model.step(s, t);
          const again = model.step(s, t);
          const plain = model.step(fresh(s), t);
          expect(describeStep(model, remembered)).toEqual(describeStep(model, plain));
          expect(describeStep(model, again)).toEqual(describeStep(model, plain));
          expect(model.key(remembered.state)).toBe(model.key(plain.state));
          s = remembered.state;
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("encodes neither states nor messages unless a key is asked for (the simulation never asks)", () => {
    const encoded: unknown[] = [];
    const counting: ValueCodec = { ...plainCodec, encode: (v) => (encoded.push(v), plainCodec.encode(v)) };
    const { model: base, inputs } = buildRandom({
      ops: { A: "emit", B: "flag", C: "count" },
      downstreamOp: "flag",
      delivery: "at-least-once",
      ordering: "none",
      downstreamOrdering: "per-key",
      maxRedeliveries: 1,
      duplicates: 1,
      crashes: 1,
      outbox: true,
      inputs: [{ type: "A", key: "k1" }, { type: "B", key: "k2" }, { type: "C", key: "k1" }],
    });
    const model = createSystemModel({ topology: base.topology, runtime: { services: inMemoryServices({ up: { initialState: () => ({ recs: {}, total: 0 }), handle: (s: { recs: Record<string, unknown>; total: number }, e: Event) => ({ state: { ...s, recs: { ...s.recs, [String(e.k)]: e.type } }, emit: e.type === "A" ? [{ type: "D", id: `${e.id}>D`, k: e.k }] : [] }) }, down: { initialState: () => ({ recs: {}, total: 0 }), handle: (s: unknown) => ({ state: s }) } }) }, codec: counting });
    let s = model.initialState(inputs);
    for (let i = 0; i < 20 && !model.isQuiescent(s); i++) s = model.step(s, model.enabled(s)[i % model.enabled(s).length]!).state;
    // Neither states nor events (message identities) were encoded on the way.
    expect(encoded).toEqual([]);
    model.key(s);
    expect(encoded.filter((v) => typeof v === "object" && v !== null && "recs" in v).length).toBe(2);
    expect(encoded.filter((v) => !(typeof v === "object" && v !== null && ("recs" in v || "type" in v)))).toEqual([]);
  });
});

/** What a state key must identify, spelled out: service encodings, the unordered messages as a
 * sorted multiset, each ordered group's messages in send order, crashes, dead letters. */
function canonical(model: SystemModel, s: SystemState): string {
  const content = (m: SystemState["inflight"][number]) => `${m.enc}|${m.acksLost}|${m.failures}`;
  const groups = new Map<string, string[]>();
  for (const m of s.inflight) if (m.ordered) groups.set(m.group, [...(groups.get(m.group) ?? []), content(m)]);
  return JSON.stringify([
    model.serviceNames.map((n) => model.codec.encode(s.services[n])),
    s.inflight.filter((m) => !m.ordered).map(content).sort(),
    [...groups].sort(([a], [b]) => (a < b ? -1 : 1)),
    s.crashes,
    s.deadLetters.map((d) => d.enc).sort(),
  ]);
}

describe("state keys", () => {
  it("are equal exactly when the states are (random walks on random systems)", () => {
    fc.assert(
      fc.property(randomSystem, fc.array(fc.array(fc.nat(), { maxLength: 8 }), { minLength: 2, maxLength: 6 }), (sys, walks) => {
        const { model, inputs } = buildRandom(sys);
        const states: SystemState[] = [];
        for (const picks of walks) {
          let s = model.initialState(inputs);
          states.push(s);
          for (const pick of picks) {
            const ts = model.enabled(s);
            if (ts.length === 0) break;
            s = model.step(s, ts[pick % ts.length]!).state;
            states.push(s);
          }
        }
        const keys = states.map((s) => model.key(s));
        const truth = states.map((s) => canonical(model, s));
        for (let i = 0; i < states.length; i++) for (let j = 0; j < i; j++) expect(keys[i] === keys[j]).toBe(truth[i] === truth[j]);
      }),
      { numRuns: 200, seed: 11 },
    );
  });


  it("stay exact when interned numbers pass one code unit (0x7fff)", () => {
    type S = Record<string, never>;
    const model = createSystemModel({
      topology: topology({ net: { events: ["E"], consumers: ["c"], delivery: "exactly-once" } }),
      runtime: { services: inMemoryServices({ c: { initialState: (): S => ({}), handle: (s: S) => ({ state: s }) } }) },
    });
    const n = 0x8000 + 50;
    const init = model.initialState(Array.from({ length: n }, (_, i) => ({ channel: "net", event: { type: "E", id: `e${i}` } })));
    const deliver = (s: SystemState, id: string) => model.step(s, model.enabled(s).find((t) => t.message.event.id === id)!).state;
    const picks = [`e${n - 1}`, `e${n - 2}`, "e0", `e${0x7fff}`, `e${0x8000}`];
    const keys = new Set(picks.map((id) => model.key(deliver(init, id))));
    expect(keys.size).toBe(picks.length);
    expect(keys.has(model.key(init))).toBe(false);
    // Delivering two messages in either order reaches the same state.
    const pairs: [string, string][] = [
      [picks[0]!, picks[1]!],
      [picks[3]!, picks[4]!],
    ];
    for (const [a, b] of pairs) {
      expect(model.key(deliver(deliver(init, a), b))).toBe(model.key(deliver(deliver(init, b), a)));
      expect(model.key(deliver(deliver(init, a), b))).not.toBe(model.key(deliver(deliver(init, a), picks[2]!)));
    }
  });
});
