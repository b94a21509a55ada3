// The reference order system's flows, end to end on the shared system
// semantics: chosen schedules (reordered, duplicated, crashing) and then every
// schedule of every scenario of specs/order-system.yaml, explored breadth first.
import { describe, expect, it } from "vitest";
import { order } from "../../models/order-system/src/order/handler.js";
import type { OrderState } from "../../models/order-system/src/order/model.js";
import { inventory, type InventoryState } from "../../models/order-system/src/inventory/handler.js";
import { payment, type PaymentState } from "../../models/order-system/src/payment/handler.js";
import { shipping, type ShippingState } from "../../models/order-system/src/shipping/handler.js";
import { user } from "../../models/order-system/src/user/handler.js";
import { catalog } from "../../models/order-system/src/catalog/handler.js";
import { invariants, outcomes } from "../../models/order-system/src/invariants.js";
import type { Event } from "../../src/model/handler.js";
import { explore, modelOf, readSpec, run, serviceState, type Delivery_ } from "./harness.js";

const spec = readSpec("specs/order-system.yaml");
const handlers = { order, inventory, payment, shipping, user, catalog };
const model = (crashes = 0) => modelOf(spec, { handlers, invariants, quiescence: outcomes, crashes });
const inputs = (scenario: string) => spec.scenarios[scenario]!.inputs;

function finalOf(scenario: string, schedule: Delivery_[], crashes = 0) {
  const m = model(crashes);
  const r = run(m, inputs(scenario), schedule);
  expect(r.errors).toEqual([]);
  expect(r.invariantFailures).toEqual([]);
  expect(m.quiescenceFailures(r.state)).toEqual([]);
  return {
    run: r,
    key: m.serviceNames.map((n) => m.serviceKey(r.state, n)).join("|"),
    order: serviceState<OrderState>(r.state, "order"),
    inventory: serviceState<InventoryState>(r.state, "inventory"),
    payment: serviceState<PaymentState>(r.state, "payment"),
    shipping: serviceState<ShippingState>(r.state, "shipping"),
  };
}

describe("happy path", () => {
  it("delivers the order, keeps the money, ships the stock", () => {
    const f = finalOf("happy-path", []);
    expect(f.order.orders["o1"]!.status).toBe("delivered");
    expect(f.payment.payments["o1"]).toMatchObject({ status: "completed", amountCents: 2500 });
    expect(f.inventory.stock["p1"]).toMatchObject({ quantity: 1, reserved: 0, available: 1 });
    expect(f.shipping.shipments["o1"]!.status).toBe("delivered");
  });

  it("ends the same when the customer's payment and the carrier's confirmation come first, with duplicates", () => {
    const reference = finalOf("happy-path", []);
    const f = finalOf("happy-path", [
      { id: "parcel-o1", dup: true },
      { id: "parcel-o1" },
      { id: "pay-o1", dup: true },
      { id: "req-o1", dup: true },
      { id: "req-o1" },
      { id: "o1:OrderPlaced" },
      { id: "pay-o1" },
      { id: "o1:PaymentCaptured" },
      { id: "receipt-1" },
      { id: "o1:ReserveStock", dup: true },
      { id: "o1:ReserveStock" },
    ]);
    expect(f.key).toBe(reference.key);
  });

  it("a crash between commit and publication loses nothing: the outbox publishes after restart", () => {
    const reference = finalOf("happy-path", []);
    const f = finalOf("happy-path", [{ id: "receipt-1" }, { id: "req-o1", crash: true }], 1);
    expect(f.run.lost).toEqual([]);
    expect(f.key).toBe(reference.key);
  });
});

describe("compensations", () => {
  it("insufficient stock: cancelled, nothing reserved, the customer's charge refunded", () => {
    const f = finalOf("insufficient-stock", []);
    expect(f.order.orders["o1"]!.status).toBe("refunded");
    expect(f.order.orders["o1"]!.facts.stock).toBe("rejected");
    expect(f.inventory.stock["p1"]).toMatchObject({ quantity: 1, reserved: 0 });
    expect(f.payment.payments["o1"]!.status).toBe("refunded");
    expect(f.shipping.shipments).toEqual({});
  });

  it("payment failure: the reservation is released and the order cancelled", () => {
    const f = finalOf("payment-failure", []);
    expect(f.order.orders["o1"]!.status).toBe("cancelled");
    expect(f.inventory.reservations["o1"]!.status).toBe("released");
    expect(f.inventory.stock["p1"]).toMatchObject({ quantity: 1, reserved: 0, available: 1 });
    expect(f.payment.payments["o1"]!.status).toBe("failed");
  });

  it("cancellation racing the payment: charged before or after the order hears of it, it ends refunded", () => {
    // The payment is captured before the order service handles the cancellation.
    const chargedFirst = finalOf("cancellation-races-payment", [
      { id: "receipt-1" },
      { id: "req-o1" },
      { id: "o1:OrderPlaced" },
      { id: "pay-o1" },
      { id: "cancel-o1" },
    ]);
    // The payment service hears of the cancellation before the customer's card arrives.
    const cancelledFirst = finalOf("cancellation-races-payment", [
      { id: "req-o1" },
      { id: "cancel-o1" },
      { id: "o1:OrderPlaced" },
      { id: "o1:OrderCancelled" },
      { id: "pay-o1" },
    ]);
    for (const f of [chargedFirst, cancelledFirst]) {
      expect(f.order.orders["o1"]!.status).toBe("refunded");
      expect(f.payment.payments["o1"]!.status).toBe("refunded");
      expect(f.inventory.stock["p1"]).toMatchObject({ reserved: 0, available: 1 });
    }
    expect(cancelledFirst.key).toBe(chargedFirst.key);
  });

  it("last unit: the first order placed wins and is delivered, the second is cancelled", () => {
    const f = finalOf("last-unit-contention", []);
    expect(f.order.orders["o1"]!.status).toBe("delivered");
    expect(f.order.orders["o2"]!.status).toBe("cancelled");
    expect(f.inventory.stock["p1"]).toMatchObject({ quantity: 0, reserved: 0, available: 0, status: "out_of_stock" });
    const late = finalOf("last-unit-contention", [{ id: "req-o1" }, { id: "req-o2" }, { id: "pay-o1" }, { id: "receipt-1" }, { id: "o2:OrderPlaced" }]);
    expect(late.key).toBe(f.key);
  });

  it("the circuit breaker opens on the outage and closes after the timeout and three good calls", () => {
    const m = model();
    const r = run(m, inputs("stripe-outage"), []);
    expect(serviceState<PaymentState>(r.state, "payment").stripe).toMatchObject({ state: "closed", failures: 0, lastSeq: 8 });
    expect(m.quiescenceFailures(r.state)).toEqual([]);
  });
});

describe("every schedule of every scenario (brute-force exploration, one duplicate per message)", () => {
  for (const scenario of Object.keys(spec.scenarios).sort()) {
    it(`${scenario}: invariants hold, outcomes hold, one final state`, () => {
      const r = explore(model(), inputs(scenario));
      expect(r.truncated).toBe(false);
      expect([...r.invariantFailures]).toEqual([]);
      expect([...r.quiescenceFailures]).toEqual([]);
      expect([...r.redeliveryLoops]).toEqual([]);
      expect(r.finals.size).toBe(1);
    });
  }

  for (const scenario of ["happy-path", "cancellation-races-payment", "payment-failure"]) {
    it(`${scenario}: also with one crash-restart anywhere`, () => {
      const r = explore(model(1), inputs(scenario));
      expect(r.truncated).toBe(false);
      expect([...r.invariantFailures, ...r.quiescenceFailures]).toEqual([]);
      expect(r.finals.size).toBe(1);
    });
  }

  it("the exploration does catch a broken handler: inventory that reserves again on a redelivery", () => {
    const careless = {
      initialState: inventory.initialState,
      handle(state: InventoryState, event: Event) {
        if (event.type !== "ReserveStock") return inventory.handle(state, event as never);
        const forgetful = { ...state, reservations: {} };
        const r = inventory.handle(forgetful, event as never);
        return { state: { ...r.state, reservations: { ...state.reservations, ...r.state.reservations } }, emit: r.emit ?? [] };
      },
    };
    const m = modelOf(spec, { handlers: { ...handlers, inventory: careless }, invariants, quiescence: outcomes });
    const r = explore(m, inputs("happy-path"));
    expect([...r.invariantFailures, ...r.quiescenceFailures].join("\n")).toMatch(/reserved/);
  });
});
