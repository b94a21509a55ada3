// The 1-order model of orders.pml: the simulation must agree with an
// exhaustive enumeration of every schedule (the brute-force oracle) on which
// variants are broken, and its shrunk counterexample must be as short as the
// shortest violating schedule there is (RESULTS.md: BUG -> [PC, OC, IR],
// COUNTER -> [OC, PC, IR, IR(dup)]).
import { describe, expect, it } from "vitest";
import * as orders from "../../bench/orders-model/handlers.js";
import type { SystemInput, SystemModel, SystemState } from "../../src/model/system/index.js";
import { scheduleCost } from "../../src/check/simulate/minimize.js";
import { referenceRun } from "../../src/check/simulate/run.js";
import { simulateScenario } from "../../src/check/simulate/simulate.js";
import { sameValue } from "../../src/check/simulate/equal.js";
import { systemModel } from "./helpers.js";

const inputs: SystemInput[] = [
  { channel: "order-events", event: { type: "OrderCreated", id: "oc1", orderId: "o1" } },
  { channel: "order-events", event: { type: "PaymentCompleted", id: "pc1", orderId: "o1" } },
  { channel: "order-events", event: { type: "InventoryReserved", id: "ir1", orderId: "o1" } },
];

const variants = { safe: orders.safe, bug: orders.bug, bugDedup: orders.bugDedup, counter: orders.counter, counterDedup: orders.counterDedup };

function ordersModel(variant: keyof typeof variants, ordering: "none" | "total" = "none"): SystemModel {
  return systemModel({
    channels: {
      "order-events": { delivery: "at-least-once", ordering, key: "orderId", consumers: ["order"], events: ["OrderCreated", "PaymentCompleted", "InventoryReserved"] },
    },
    services: { order: variants[variant] },
    quiescence: orders.outcomes,
  });
}

/** Every complete schedule, depth first: [deliveries, faults] of each violating one. */
function exhaustive(model: SystemModel): { schedules: number; violating: Array<{ deliveries: number; faults: number }> } {
  const reference = referenceRun(model, inputs, 100).reference!;
  const violating: Array<{ deliveries: number; faults: number }> = [];
  let schedules = 0;
  const visit = (state: SystemState, deliveries: number, faults: number) => {
    const enabled = model.enabled(state);
    if (enabled.length === 0) {
      schedules++;
      const bad =
        model.quiescenceFailures(state).length > 0 ||
        model.serviceNames.some((s) => !sameValue(state.services[s], reference.final.services[s], model.codec));
      if (bad) violating.push({ deliveries, faults });
      return;
    }
    for (const t of enabled) visit(model.step(state, t).state, deliveries + 1, faults + (t.ackLost ? 1 : 0));
  };
  visit(model.initialState(inputs), 0, 0);
  return { schedules, violating };
}

describe("the 1-order orders model", () => {
  for (const variant of Object.keys(variants) as Array<keyof typeof variants>) {
    it(`${variant}: the simulation fails exactly when some schedule violates, with a shortest counterexample`, () => {
      const model = ordersModel(variant);
      const oracle = exhaustive(model);
      const result = simulateScenario(model, "one-order", inputs, { runs: 2000, seed: 7, maxDepth: 100 });
      expect(result.counterexamples.length > 0).toBe(oracle.violating.length > 0);
      const cx = result.counterexamples[0];
      if (cx) {
        const cost = scheduleCost(cx.transitions);
        const best = oracle.violating.reduce((a, b) => (b.deliveries < a.deliveries || (b.deliveries === a.deliveries && b.faults < a.faults) ? b : a));
        expect({ deliveries: cost.deliveries, faults: cost.faults }).toEqual(best);
      } else {
        expect(result.runs).toBe(2000);
      }
    });
  }

  it("BUG: the minimal counterexample is [PaymentCompleted, OrderCreated, InventoryReserved]", () => {
    const result = simulateScenario(ordersModel("bug"), "one-order", inputs, { runs: 1000, seed: 1, maxDepth: 100 });
    const cx = result.counterexamples[0]!;
    expect(cx.transitions.map((t) => t.type)).toEqual(["PaymentCompleted", "OrderCreated", "InventoryReserved"]);
    expect(cx.violation).toMatchObject({ kind: "quiescence", name: "orderComplete" });
  });

  it("BUG+DEDUP: dedup fixes duplicates, not order", () => {
    const result = simulateScenario(ordersModel("bugDedup"), "one-order", inputs, { runs: 1000, seed: 1, maxDepth: 100 });
    expect(result.counterexamples[0]!.transitions.map((t) => t.type)).toEqual(["PaymentCompleted", "OrderCreated", "InventoryReserved"]);
  });

  it("COUNTER: the minimal counterexample is a duplicate reservation, marked as such", () => {
    const result = simulateScenario(ordersModel("counter"), "one-order", inputs, { runs: 1000, seed: 1, maxDepth: 100 });
    const cx = result.counterexamples[0]!;
    expect(cx.transitions.map((t) => `${t.type}${t.ackLost ? "+ackLost" : ""}${t.duplicate ? "+dup" : ""}`)).toEqual([
      "OrderCreated",
      "PaymentCompleted",
      "InventoryReserved+ackLost",
      "InventoryReserved+dup",
    ]);
  });

  it("a total order makes the overwriting create safe (a duplicate is redelivered in place)", () => {
    const model = ordersModel("bug", "total");
    expect(exhaustive(model).violating).toEqual([]);
    expect(simulateScenario(model, "one-order", inputs, { runs: 500, seed: 3, maxDepth: 100 }).counterexamples).toEqual([]);
  });

  it("the same seed gives the same result", () => {
    const a = simulateScenario(ordersModel("bugDedup"), "one-order", inputs, { runs: 1000, seed: 11, maxDepth: 100 });
    const b = simulateScenario(ordersModel("bugDedup"), "one-order", inputs, { runs: 1000, seed: 11, maxDepth: 100 });
    expect({ ...a, sampleMs: 0 }).toEqual({ ...b, sampleMs: 0 });
  });
});
