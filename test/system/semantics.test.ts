import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createSystemModel, inMemoryServices, type SystemModel, type SystemState } from "../../src/model/system/index.js";
import type { Event } from "../../src/model/handler.js";
import { topology } from "./helpers.js";

type Rec = { exists: boolean; paid: boolean; reserved: number };
const orders = (bug: boolean) => ({
  initialState: (): Record<string, Rec> => ({}),
  handle: (s: Record<string, Rec>, e: Event) => {
    const o = String(e.orderId);
    const cur = s[o] ?? { exists: false, paid: false, reserved: 0 };
    if (e.type === "OC") return { state: { ...s, [o]: bug ? { exists: true, paid: false, reserved: 0 } : { ...cur, exists: true } } };
    if (e.type === "PC") return { state: { ...s, [o]: { ...cur, paid: true } } };
    return { state: { ...s, [o]: { ...cur, reserved: 1 } } };
  },
});

function ordersModel(opts: { bug?: boolean; ordering?: "none" | "total" | "per-key"; duplicates?: number } = {}) {
  return createSystemModel({
    topology: topology({ net: { events: ["OC", "PC", "IR"], consumers: ["c"], ordering: opts.ordering ?? "none", key: "orderId" } }),
    runtime: { services: inMemoryServices({ c: orders(opts.bug ?? false) }) },
    bounds: { duplicates: opts.duplicates ?? 1 },
  });
}
const inputs = (n: number) =>
  Array.from({ length: n }, (_, i) => ["OC", "PC", "IR"].map((type) => ({ channel: "net", event: { type, id: `${type}${i}`, orderId: `o${i}` } }))).flat();

/** Brute force: every state reachable, by key. */
function reachable(model: SystemModel, init: SystemState): Map<string, SystemState> {
  const seen = new Map([[model.key(init), init]]);
  const todo = [init];
  while (todo.length > 0) {
    const s = todo.pop()!;
    for (const t of model.enabled(s)) {
      const n = model.step(s, t).state;
      const k = model.key(n);
      if (!seen.has(k)) {
        seen.set(k, n);
        todo.push(n);
      }
    }
  }
  return seen;
}

describe("system semantics", () => {
  it("puts the inputs in flight, one message per consumer, with ids", () => {
    const m = ordersModel();
    const s = m.initialState([{ channel: "net", event: { type: "OC", orderId: "o1" } }]);
    expect(s.inflight.map((x) => [x.seq, x.consumer, x.event.id, x.key])).toEqual([[0, "c", "input-1", "o1"]]);
    expect(m.isQuiescent(s)).toBe(false);
  });

  it("offers deliver and deliver-with-lost-ack once per message on at-least-once channels", () => {
    const m = ordersModel();
    let s = m.initialState(inputs(1));
    expect(m.enabled(s)).toHaveLength(6);
    const dup = m.enabled(s).find((t) => t.ackLost && t.message.event.type === "OC")!;
    s = m.step(s, dup).state;
    const again = m.enabled(s).filter((t) => t.message.event.type === "OC");
    expect(again.map((t) => Boolean(t.ackLost))).toEqual([false]);
  });

  it("the 1-order model has the SAFE verdict and the BUG counterexample PC, OC, IR", () => {
    for (const bug of [false, true]) {
      const m = ordersModel({ bug });
      const all = reachable(m, m.initialState(inputs(1)));
      const finals = [...all.values()].filter((s) => m.isQuiescent(s)).map((s) => m.serviceKey(s, "c"));
      // BUG: OC last, first, after PC only, after IR only.
      expect(new Set(finals).size).toBe(bug ? 4 : 1);
    }
    const m = ordersModel({ bug: true });
    const r = m.replay(inputs(1), ["PC", "OC", "IR"].map((type, i) => ({ action: "deliver" as const, channel: "net", consumer: "c", type, id: `${type}0`, seq: [1, 0, 2][i]! })));
    expect(r.unmatched).toBeUndefined();
    expect(r.states.at(-1)!.services.c).toEqual({ o0: { exists: true, paid: false, reserved: 1 } });
  });

  it("total ordering offers only the oldest message; a lost ack redelivers at the head", () => {
    const m = ordersModel({ ordering: "total" });
    let s = m.initialState(inputs(2));
    expect(m.enabled(s).map((t) => t.message.event.id)).toEqual(["OC0", "OC0"]);
    s = m.step(s, m.enabled(s).find((t) => t.ackLost)!).state;
    expect(m.enabled(s).map((t) => t.message.event.id)).toEqual(["OC0"]);
  });

  it("per-key ordering offers the oldest message of each key", () => {
    const m = ordersModel({ ordering: "per-key", duplicates: 0 });
    const s = m.initialState(inputs(3));
    expect(m.enabled(s).map((t) => t.message.event.id)).toEqual(["OC0", "OC1", "OC2"]);
  });

  it("the key does not depend on the order messages were sent in", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(8), { maxLength: 6 }), fc.array(fc.nat(8), { maxLength: 6 }), (a, b) => {
        const m = ordersModel();
        const ev = (n: number) => ({ channel: "net", event: { type: ["OC", "PC", "IR"][n % 3]!, id: `e${n}`, orderId: `o${n % 2}` } });
        const sa = m.initialState(a.map(ev));
        const sb = m.initialState(b.map(ev));
        const sameMultiset = [...a].sort().join() === [...b].sort().join();
        expect(m.key(sa) === m.key(sb)).toBe(sameMultiset);
      }),
    );
  });

  it("a handler that throws leaves the message in flight, then dead-letters it past maxRedeliveries", () => {
    const boom = { initialState: () => 0, handle: (): never => { throw new Error("unknown event"); } };
    for (const [max, attempts] of [[0, 1], [2, 3]] as const) {
      const m = createSystemModel({
        topology: topology({ q: { events: ["X"], consumers: ["s"], maxRedeliveries: max } }),
        runtime: { services: inMemoryServices({ s: boom }) },
        bounds: { duplicates: 0 },
      });
      let s = m.initialState([{ channel: "q", event: { type: "X", id: "x" } }]);
      const outcomes: string[] = [];
      while (!m.isQuiescent(s)) {
        const r = m.step(s, m.enabled(s)[0]!);
        outcomes.push(r.outcome);
        s = r.state;
      }
      expect(outcomes).toHaveLength(attempts);
      expect(outcomes.at(-1)).toBe("dead-lettered");
      expect(s.deadLetters.map((d) => d.error)).toEqual(["Error: unknown event"]);
    }
    const m = createSystemModel({
      topology: topology({ q: { events: ["X"], consumers: ["s"] } }),
      runtime: { services: inMemoryServices({ s: boom }) },
    });
    const s = m.initialState([{ channel: "q", event: { type: "X", id: "x" } }]);
    const r = m.step(s, m.enabled(s)[0]!);
    expect(r.outcome).toBe("threw");
    expect(m.key(r.state)).toBe(m.key(s));
  });

  it("a crash between commit and publication loses emissions without an outbox and keeps them with one", () => {
    const creator = {
      initialState: () => ({ created: [] as string[] }),
      handle: (s: { created: string[] }, e: Event) =>
        s.created.includes(String(e.orderId)) ? { state: s } : { state: { created: [...s.created, String(e.orderId)] }, emit: [{ type: "Created", id: `c-${String(e.orderId)}`, orderId: e.orderId }] },
    };
    const sink = { initialState: () => 0, handle: (n: number) => ({ state: n + 1 }) };
    for (const outbox of [true, false]) {
      const m = createSystemModel({
        topology: topology({ cmd: { events: ["Place"], consumers: ["order"] }, ev: { events: ["Created"], consumers: ["ship"] } }, { order: outbox }),
        runtime: { services: inMemoryServices({ order: creator, ship: sink }) },
        bounds: { duplicates: 0, crashes: 1 },
      });
      let s = m.initialState([{ channel: "cmd", event: { type: "Place", id: "p", orderId: "o1" } }]);
      const crash = m.enabled(s).find((t) => t.crash)!;
      const r = m.step(s, crash);
      expect(r.lost.length).toBe(outbox ? 0 : 1);
      s = r.state;
      expect(s.crashes).toBe(1);
      expect(m.enabled(s).some((t) => t.crash)).toBe(false);
      while (!m.isQuiescent(s)) s = m.step(s, m.enabled(s)[0]!).state;
      expect(s.services.ship).toBe(outbox ? 1 : 0);
    }
  });

  it("at-most-once channels may drop; exactly-once ones neither drop nor duplicate", () => {
    const sink = { initialState: () => 0, handle: (n: number) => ({ state: n + 1 }) };
    const m = createSystemModel({
      topology: topology({ a: { delivery: "at-most-once", events: ["A"], consumers: ["s"] }, b: { delivery: "exactly-once", events: ["B"], consumers: ["s"] } }),
      runtime: { services: inMemoryServices({ s: sink }) },
      bounds: { crashes: 1 },
    });
    const s = m.initialState([{ channel: "a", event: { type: "A" } }, { channel: "b", event: { type: "B" } }]);
    const kinds = m.enabled(s).map((t) => `${t.message.event.type}:${t.action}${t.ackLost ? "+ackLost" : ""}${t.crash ? "+crash" : ""}`);
    expect(kinds).toEqual(["A:deliver", "A:deliver+crash", "A:drop", "B:deliver"]);
  });

  it("reports emissions of undeclared types as unroutable", () => {
    const m = createSystemModel({
      topology: topology({ a: { events: ["A"], consumers: ["s"] } }),
      runtime: { services: inMemoryServices({ s: { initialState: () => 0, handle: (n: number) => ({ state: n, emit: [{ type: "Nope", id: "z" }] }) } }) },
      bounds: { duplicates: 0 },
    });
    const s = m.initialState([{ channel: "a", event: { type: "A" } }]);
    const r = m.step(s, m.enabled(s)[0]!);
    expect(r.unroutable.map((e) => e.type)).toEqual(["Nope"]);
    expect(m.isQuiescent(r.state)).toBe(true);
  });

  it("evaluates invariants and quiescence predicates, a throwing predicate counts as broken", () => {
    const m = createSystemModel({
      topology: topology({ a: { events: ["A"], consumers: ["s"] } }),
      runtime: {
        services: inMemoryServices({ s: { initialState: () => 0, handle: (n: number) => ({ state: n + 1 }) } }),
        invariants: { small: (st) => (st.s as number) < 1 || `s is ${String(st.s)}`, fine: () => true },
        quiescence: { boom: () => { throw new Error("x"); } },
      },
      bounds: { duplicates: 0 },
    });
    const s0 = m.initialState([{ channel: "a", event: { type: "A" } }]);
    expect(m.invariantFailures(s0)).toEqual([]);
    const s1 = m.step(s0, m.enabled(s0)[0]!).state;
    expect(m.invariantFailures(s1)).toEqual([{ name: "small", message: "s is 1" }]);
    expect(m.quiescenceFailures(s1)[0]!.message).toContain("threw");
  });
});
