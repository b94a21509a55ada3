// Non-termination is judged under a fair broker: a loop that starves a message in flight is not
// a finding; a loop a fair broker can take forever is, whatever reductions the search uses.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkScenario, explore, type Reductions, type Violation } from "../../src/check/explore/index.js";
import { createSystemModel, inMemoryServices, type SystemInput, type SystemModel } from "../../src/model/system/index.js";
import type { Event } from "../../src/model/handler.js";
import type { Ordering } from "../../src/spec/types.js";
import { topology } from "../system/helpers.js";
import { buildRandom, randomSystem } from "./random-systems.js";

type Payments = { orders: Record<string, number>; charged: Record<string, number> };
/** Throws on PaymentRequested until the order is known (retry until ready). */
const payment = {
  initialState: (): Payments => ({ orders: {}, charged: {} }),
  handle: (s: Payments, e: Event) => {
    const o = String(e.orderId);
    if (e.type === "OrderAccepted") return { state: { ...s, orders: { ...s.orders, [o]: 30 } } };
    if (s.orders[o] === undefined) throw new Error(`order ${o} not known yet`);
    return { state: { ...s, charged: { ...s.charged, [o]: s.orders[o]! } } };
  },
};

function retryModel(ordering: Ordering, duplicates = 1): SystemModel {
  return createSystemModel({
    topology: topology({ pay: { ordering, key: "orderId", events: ["OrderAccepted", "PaymentRequested"], consumers: ["payment"] } }),
    runtime: { services: inMemoryServices({ payment }) },
    bounds: { duplicates },
  });
}
const retryInputs = (orders: string[]): SystemInput[] =>
  orders.flatMap((o) => [
    { channel: "pay", event: { type: "PaymentRequested", id: `r-${o}`, orderId: o } },
    { channel: "pay", event: { type: "OrderAccepted", id: `a-${o}`, orderId: o } },
  ]);

const ALL: Reductions = { keys: true, por: true, symmetry: true };
const NONE: Reductions = { keys: false, por: false, symmetry: false };

/** Replays a lasso and checks that its loop closes and starves no message in flight throughout it. */
function expectFairLoop(model: SystemModel, inputs: readonly SystemInput[], v: Violation): void {
  const run = model.replay(inputs, v.path);
  expect(run.unmatched).toBeUndefined();
  const start = v.loopStart!;
  expect(start).toBeLessThan(v.path.length);
  expect(model.key(run.states[start]!)).toBe(model.key(run.states.at(-1)!));
  const deliverable = (i: number) => new Set(model.enabled(run.states[i]!).map((t) => t.message.entry));
  let throughout = deliverable(start);
  for (let i = start + 1; i < run.states.length; i++) {
    const here = deliverable(i);
    throughout = new Set([...throughout].filter((m) => here.has(m)));
  }
  const actedOn = new Set(run.steps.slice(start).map((s) => s.transition.message.entry));
  expect([...throughout].filter((m) => !actedOn.has(m))).toEqual([]);
}

describe("termination under a fair broker", () => {
  it("a handler that throws until another message arrives is not a loop: the broker delivers that message", () => {
    for (const reductions of [ALL, NONE]) {
      const r = checkScenario(retryModel("none"), retryInputs(["o1"]), { reductions });
      expect(r.stats.complete).toBe(true);
      expect(r.violations.filter((v) => v.kind === "lasso")).toEqual([]);
    }
    const two = checkScenario(retryModel("none"), retryInputs(["o1", "o2"]), { reductions: ALL });
    expect(two.keyReduction?.applied).toBe(true);
    expect(two.violations.filter((v) => v.kind === "lasso")).toEqual([]);
  });

  it("behind it on an ordered channel, that message can never be delivered: a real loop (the head blocks its group)", () => {
    const model = retryModel("per-key");
    const inputs = retryInputs(["o1"]);
    const lasso = explore(model, inputs).violations.find((v) => v.kind === "lasso")!;
    expect(lasso.loopStart).toBe(0);
    expect(lasso.path.map((t) => t.type)).toEqual(["PaymentRequested"]);
    expectFairLoop(model, inputs, lasso);
  });

  it("finds a poison message's loop even when sleep sets would put its redelivery to sleep after an independent delivery", () => {
    const boom = { initialState: () => 0, handle: (): never => { throw new Error("unknown event"); } };
    const fine = { initialState: () => 0, handle: (n: number) => ({ state: n + 1 }) };
    const model = createSystemModel({
      topology: topology({ q: { events: ["X"], consumers: ["p"] }, r: { events: ["Y"], consumers: ["q"] } }),
      runtime: { services: inMemoryServices({ p: boom, q: fine }) },
      bounds: { duplicates: 0 },
    });
    const inputs = [{ channel: "q", event: { type: "X", id: "x" } }, { channel: "r", event: { type: "Y", id: "y" } }];
    for (const por of [true, false]) {
      const lasso = explore(model, inputs, { por }).violations.find((v) => v.kind === "lasso")!;
      // The loop starts once Y is delivered: before that, X throwing forever would starve Y.
      expect(lasso.path.map((t) => t.id)).toEqual(["y", "x"]);
      expect(lasso.loopStart).toBe(1);
      expectFairLoop(model, inputs, lasso);
    }
  });

  it("places one key's loop after the other keys' quiescence when the key reduction applies", () => {
    const model = retryModel("per-key");
    const inputs = [
      { channel: "pay", event: { type: "OrderAccepted", id: "a-o1", orderId: "o1" } },
      ...retryInputs(["o2"]),
    ];
    const r = checkScenario(model, inputs, { reductions: ALL });
    expect(r.keyReduction?.applied).toBe(true);
    const lasso = r.violations.find((v) => v.kind === "lasso")!;
    expect(lasso.path.slice(0, lasso.loopStart).map((t) => t.id)).toEqual(["a-o1"]);
    expectFairLoop(model, inputs, lasso);
  });

  it("every reduction finds a fair loop exactly when the unreduced search does, and every loop reported is fair", () => {
    fc.assert(
      fc.property(randomSystem, (sys) => {
        const { model, inputs } = buildRandom(sys);
        const plain = checkScenario(model, inputs, { reductions: NONE }).violations.find((v) => v.kind === "lasso");
        for (const reductions of [ALL, { ...NONE, por: true }]) {
          const reduced = checkScenario(model, inputs, { reductions }).violations.find((v) => v.kind === "lasso");
          expect(reduced !== undefined).toBe(plain !== undefined);
          if (reduced) expectFairLoop(model, inputs, reduced);
        }
        if (plain) expectFairLoop(model, inputs, plain);
      }),
      { numRuns: 400, seed: 5 },
    );
  });
});
