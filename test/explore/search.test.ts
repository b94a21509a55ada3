import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkScenario, explore } from "../../src/check/explore/index.js";
import { createSystemModel, inMemoryServices, type SystemModel, type SystemState } from "../../src/model/system/index.js";
import type { Event } from "../../src/model/handler.js";
import { topology } from "../system/helpers.js";
import { buildRandom, randomSystem } from "./random-systems.js";

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
const done = (st: Record<string, unknown>) => Object.values(st.c as Record<string, Rec>).every((r) => r.exists && r.paid && r.reserved === 1);
function ordersModel(bug: boolean) {
  return createSystemModel({
    topology: topology({ net: { events: ["OC", "PC", "IR"], consumers: ["c"], key: "orderId" } }),
    runtime: { services: inMemoryServices({ c: orders(bug) }), quiescence: { done } },
  });
}
const inputs = (n: number) =>
  Array.from({ length: n }, (_, i) => ["OC", "PC", "IR"].map((type) => ({ channel: "net", event: { type, id: `${type}${i}`, orderId: `o${i}` } }))).flat();

/** Brute-force oracle: depth of every reachable state by plain BFS without any of the explorer's
 * machinery (states that break an invariant are expanded too). */
function depths(model: SystemModel, init: SystemState): Map<string, { depth: number; state: SystemState }> {
  const seen = new Map([[model.key(init), { depth: 0, state: init }]]);
  let layer = [init];
  for (let d = 1; layer.length > 0; d++) {
    const next: SystemState[] = [];
    for (const s of layer) {
      for (const t of model.enabled(s)) {
        const n = model.step(s, t).state;
        const k = model.key(n);
        if (!seen.has(k)) {
          seen.set(k, { depth: d, state: n });
          next.push(n);
        }
      }
    }
    layer = next;
  }
  return seen;
}

describe("explorer", () => {
  it("finds the orders BUG with the shortest trace (3 deliveries per order) and passes SAFE", () => {
    expect(explore(ordersModel(false), inputs(1)).violations).toEqual([]);
    const r = explore(ordersModel(true), inputs(1));
    const q = r.violations.find((v) => v.kind === "quiescence")!;
    expect(q.path.length).toBe(3);
    // The trace replays: the predicate is broken at its end.
    const run = ordersModel(true).replay(inputs(1), q.path);
    expect(run.unmatched).toBeUndefined();
    expect(done(run.states.at(-1)!.services as Record<string, unknown>)).toBe(false);
    expect(r.violations.find((v) => v.kind === "divergence")!.diff!.length).toBeGreaterThan(0);
  });

  it("visits exactly the states a brute-force BFS reaches, and reports the shortest invariant trace", () => {
    fc.assert(
      fc.property(randomSystem, fc.constantFrom("bfs" as const, "dfs" as const), (sys, order) => {
        const { model, inputs } = buildRandom(sys);
        const oracle = depths(model, model.initialState(inputs));
        const r = explore(model, inputs, { order, por: false });
        expect(r.stats.states).toBe(oracle.size);
        const broken = [...oracle.values()].filter((x) => model.invariantFailures(x.state).length > 0).map((x) => x.depth);
        const v = r.violations.find((x) => x.kind === "invariant");
        expect(v !== undefined).toBe(broken.length > 0);
        if (v && order === "bfs") expect(v.path.length).toBe(Math.min(...broken));
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it("expands states that break an invariant, so a defect behind one is reported too", () => {
    type S = { audited: boolean; shipped: number };
    const svc = {
      initialState: (): S => ({ audited: true, shipped: 0 }),
      handle: (s: S, e: Event) => {
        if (e.type === "Import") return { state: { ...s, audited: false }, emit: [{ type: "Ship", id: `ship-${e.id}` }] };
        return { state: { ...s, shipped: s.audited ? 1 : 0 } };
      },
    };
    const model = createSystemModel({
      topology: topology({ imports: { delivery: "exactly-once", events: ["Import"], consumers: ["svc"] }, ships: { delivery: "exactly-once", events: ["Ship"], consumers: ["svc"] } }),
      runtime: {
        services: inMemoryServices({ svc }),
        invariants: { everythingAudited: (st) => (st.svc as S).audited || "an import was not audited" },
        quiescence: { shippedOnce: (st) => (st.svc as S).shipped === 1 || "never shipped" },
      },
    });
    const r = explore(model, [{ channel: "imports", event: { type: "Import", id: "i1" } }]);
    expect(r.stats.complete).toBe(true);
    expect(r.violations.map((v) => `${v.kind}:${v.name}:${v.path.length}`)).toEqual(["invariant:everythingAudited:1", "quiescence:shippedOnce:2"]);
  });

  it("DFS under a depth bound reaches every state BFS reaches within it, cycles or not", () => {
    fc.assert(
      fc.property(randomSystem, (sys) => {
        const { model, inputs } = buildRandom(sys);
        const bfs = explore(model, inputs, { por: false });
        // (A state at the bound is not expanded, successors or not: one more than BFS's depth.)
        const bound = explore(model, inputs, { por: false, order: "dfs", maxDepth: bfs.stats.depth + 1 });
        expect(bound.stats.complete).toBe(true);
        expect(bound.stats.states).toBe(bfs.stats.states);
        const tighter = explore(model, inputs, { por: false, order: "dfs", maxDepth: Math.max(0, bfs.stats.depth - 1) });
        if (bfs.stats.depth > 0) expect(tighter.stats).toMatchObject({ complete: false, cut: "max-depth" });
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it("reports a handler that always throws as a lasso, and a dead letter when the channel bounds redeliveries", () => {
    const boom = { initialState: () => 0, handle: (): never => { throw new Error("unknown event"); } };
    for (const max of [undefined, 1]) {
      const model = createSystemModel({
        topology: topology({ q: { events: ["X"], consumers: ["s"], ...(max !== undefined ? { maxRedeliveries: max } : {}) } }),
        runtime: { services: inMemoryServices({ s: boom }) },
      });
      const r = explore(model, [{ channel: "q", event: { type: "X", id: "x" } }]);
      const kinds = r.violations.map((v) => v.kind);
      if (max === undefined) {
        const lasso = r.violations.find((v) => v.kind === "lasso")!;
        expect(lasso.loopStart).toBe(0);
        expect(lasso.path.map((t) => t.id)).toEqual(["x"]);
      } else {
        expect(kinds).toEqual(["dead-letter"]);
        expect(r.violations[0]!.path.length).toBe(2);
      }
    }
  });

  it("finds a ping-pong cycle between two services as a lasso whose loop closes", () => {
    const ping = { initialState: () => 0, handle: (n: number, e: Event) => ({ state: n, emit: [{ type: e.type === "Ping" ? "Pong" : "Ping", id: "p" }] }) };
    const model = createSystemModel({
      topology: topology({ a: { events: ["Ping"], consumers: ["x"] }, b: { events: ["Pong"], consumers: ["y"] } }),
      runtime: { services: inMemoryServices({ x: ping, y: ping }) },
      bounds: { duplicates: 0 },
    });
    const r = explore(model, [{ channel: "a", event: { type: "Ping", id: "p" } }]);
    const lasso = r.violations.find((v) => v.kind === "lasso")!;
    const run = model.replay(r.inputs, lasso.path);
    expect(model.key(run.states[lasso.loopStart!]!)).toBe(model.key(run.states.at(-1)!));
    expect(lasso.path.length - lasso.loopStart!).toBe(2);
  });

  it("says when the space was cut by --max-states or --max-depth", () => {
    const cutStates = explore(ordersModel(false), inputs(2), { maxStates: 50 });
    expect(cutStates.stats).toMatchObject({ complete: false, cut: "max-states", states: 50 });
    const cutDepth = explore(ordersModel(false), inputs(2), { maxDepth: 2 });
    expect(cutDepth.stats).toMatchObject({ complete: false, cut: "max-depth", depth: 2 });
    expect(explore(ordersModel(false), inputs(1)).stats.complete).toBe(true);
  });

  it("searches 10 symmetric independent orders as one, and the product counts match the whole search for 2", () => {
    const ten = checkScenario(ordersModel(true), inputs(10));
    expect(ten.keyReduction).toMatchObject({ applied: true, keys: 10, explored: 1 });
    expect(ten.violations.find((v) => v.kind === "quiescence")!.path.length).toBe(30);
    const two = checkScenario(ordersModel(true), inputs(2));
    const whole = explore(ordersModel(true), inputs(2), { por: false });
    expect(two.keyReduction!.productStates).toBe(whole.stats.states);
    expect(two.keyReduction!.productTransitions).toBe(whole.stats.transitions);
  });
});
