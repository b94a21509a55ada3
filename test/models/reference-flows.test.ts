// The reference order system's flows, end to end on the shared system
// semantics: chosen schedules (reordered, duplicated, crashing) and then every
// schedule of every scenario of specs/order-system.yaml, explored breadth first.
import { describe, expect, it } from "vitest";
import { order } from "../../models/order-system/src/order/handler.js";
import type { OrderState } from "../../models/order-system/src/order/model.js";
import { inventory, level as stockLevel, type InventoryState } from "../../models/order-system/src/inventory/handler.js";
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
    expect(f.shipping.shipments["o1"]).toMatchObject({ status: "delivered", address: { city: "London" } });
  });

  it("ends the same when the customer's payment and the carrier's confirmation come first, with duplicates", () => {
    const reference = finalOf("happy-path", []);
    const f = finalOf("happy-path", [
      { id: "parcel-o1", dup: true },
      { id: "parcel-o1" },
      { id: "pay-o1", dup: true },
      { id: "pay-o1" },
      { id: "req-o1", dup: true },
      { id: "req-o1" },
      { id: "window-o1" },
      { id: "receipt-1" },
      { id: "o1:ReserveStock", dup: true },
      { id: "o1:ReserveStock" },
      { id: "o1:StockReserved" },
      { id: "o1:OrderReleased" },
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

describe("two-line orders", () => {
  it("both lines are reserved, shipped and committed together", () => {
    const f = finalOf("two-line-order", []);
    expect(f.order.orders["o1"]).toMatchObject({ status: "delivered", totalCents: 3700 });
    expect(f.payment.payments["o1"]).toMatchObject({ status: "completed", amountCents: 3700 });
    for (const p of ["p1", "p2"]) expect(f.inventory.stock[p]).toMatchObject({ quantity: 0, reserved: 0 });
  });

  it("a second line short of stock reserves nothing, so the next order gets the first product", () => {
    const f = finalOf("second-line-short", []);
    expect(f.order.orders["o1"]).toMatchObject({ status: "cancelled", facts: { stock: "rejected" } });
    expect(f.order.orders["o2"]!.status).toBe("delivered");
    expect(f.inventory.stock["p1"]).toMatchObject({ quantity: 0, reserved: 0 });
    expect(f.inventory.stock["p2"]).toMatchObject({ quantity: 1, reserved: 0, available: 1 });
  });
});

describe("compensations", () => {
  it("insufficient stock: cancelled, nothing reserved, the submitted card never charged", () => {
    const f = finalOf("insufficient-stock", []);
    expect(f.order.orders["o1"]!.status).toBe("cancelled");
    expect(f.order.orders["o1"]!.facts.stock).toBe("rejected");
    expect(f.inventory.stock["p1"]).toMatchObject({ quantity: 1, reserved: 0 });
    expect(f.payment.payments["o1"]).toMatchObject({ status: "pending", released: false, token: "tok_visa" });
    expect(f.shipping.shipments).toEqual({});
  });

  it("payment failure: the charge of the released order is declined, the reservation released, the order cancelled", () => {
    const f = finalOf("payment-failure", []);
    expect(f.order.orders["o1"]!.status).toBe("cancelled");
    expect(f.inventory.reservations["o1"]!.status).toBe("released");
    expect(f.inventory.stock["p1"]).toMatchObject({ quantity: 1, reserved: 0, available: 1 });
    expect(f.payment.payments["o1"]!.status).toBe("failed");
  });

  it("cancellation in the window: accepted whether handled before or after the order was confirmed; nothing charged", () => {
    const beforeStock = finalOf("cancellation-in-window", [{ id: "req-o1" }, { id: "cancel-o1" }]);
    const confirmed = finalOf("cancellation-in-window", [
      { id: "receipt-1" },
      { id: "req-o1" },
      { id: "o1:ReserveStock" },
      { id: "o1:StockReserved" },
      { id: "pay-o1" },
      { id: "cancel-o1" },
    ]);
    expect(confirmed.run.published.map((e) => e.type)).toContain("ReleaseStock");
    for (const f of [beforeStock, confirmed]) {
      expect(f.order.orders["o1"]).toMatchObject({ status: "cancelled", facts: { cancelledByCustomer: true } });
      expect(f.payment.payments["o1"]).toMatchObject({ status: "pending", released: false });
      expect(f.inventory.stock["p1"]).toMatchObject({ reserved: 0, available: 1 });
    }
    expect(confirmed.key).toBe(beforeStock.key);
  });

  it("cancellation after the window: refused whether handled while pending, processing, shipped or delivered", () => {
    const upTo = (n: number): Delivery_[] =>
      [
        { id: "receipt-1" },
        { id: "req-o1" },
        { id: "window-o1" },
        { id: "o1:ReserveStock" },
        { id: "o1:StockReserved" },
        { id: "o1:OrderReleased" },
        { id: "pay-o1" },
        { id: "o1:PaymentCaptured" },
        { id: "o1:ShipOrder" },
        { id: "o1:ShipmentDispatched" },
      ].slice(0, n);
    const runs = [3, 6, 8, 10].map((n) => finalOf("cancellation-after-window", [...upTo(n), { id: "cancel-o1" }]));
    const statusWhenCancelled = [3, 6, 8, 10].map((n) => {
      const m = model();
      return serviceState<OrderState>(run(m, inputs("cancellation-after-window"), upTo(n), false).state, "order").orders["o1"]!.status;
    });
    expect(statusWhenCancelled).toEqual(["pending", "processing", "processing", "shipped"]);
    for (const f of runs) {
      expect(f.order.orders["o1"]).toMatchObject({ status: "delivered", facts: { cancelRefused: true, cancelledByCustomer: false } });
      expect(f.key).toBe(runs[0]!.key);
    }
  });

  it("return: refunded once delivered, the return request coming before or after the delivery is known", () => {
    const f = finalOf("return-and-refund", []);
    expect(f.order.orders["o1"]!.status).toBe("refunded");
    expect(f.payment.payments["o1"]!.status).toBe("refunded");
    const early = finalOf("return-and-refund", [{ id: "receipt-1" }, { id: "req-o1" }, { id: "window-o1" }, { id: "return-o1" }]);
    expect(early.key).toBe(f.key);
  });

  it("last unit: the first order placed wins and is delivered, the second is cancelled", () => {
    const f = finalOf("last-unit-contention", []);
    expect(f.order.orders["o1"]!.status).toBe("delivered");
    expect(f.order.orders["o2"]!.status).toBe("cancelled");
    expect(f.inventory.stock["p1"]).toMatchObject({ quantity: 0, reserved: 0, available: 0, status: "out_of_stock" });
    const late = finalOf("last-unit-contention", [{ id: "req-o1" }, { id: "req-o2" }, { id: "pay-o1" }, { id: "receipt-1" }]);
    expect(late.key).toBe(f.key);
  });

  it("Stripe outage: the charge waits while the breaker is open and is made once it goes half open", () => {
    const m = model();
    // The order is released while the breaker is open (five failures applied).
    const calls = ["call-1", "call-2", "call-3", "call-4", "call-5"].map((id) => ({ id }));
    const held = run(m, inputs("stripe-outage"), [...calls, { id: "receipt-1" }, { id: "req-o1" }, { id: "window-o1" }, { id: "o1:ReserveStock" }, { id: "o1:StockReserved" }, { id: "o1:OrderReleased" }, { id: "pay-o1" }], false);
    const waiting = serviceState<PaymentState>(held.state, "payment");
    expect(waiting.stripe.state).toBe("open");
    expect(waiting.payments["o1"]!.status).toBe("processing");
    const f = finalOf("stripe-outage", []);
    expect(f.payment.payments["o1"]!.status).toBe("failed");
    // A declined card is a call that worked: the breaker's first half-open trial succeeded.
    expect(f.payment.stripe).toMatchObject({ state: "half_open", trials: 1, successes: 1 });
    const g = finalOf("stripe-outage", [...calls, { id: "receipt-1" }, { id: "req-o1" }, { id: "window-o1" }, { id: "o1:ReserveStock" }, { id: "o1:StockReserved" }, { id: "o1:OrderReleased" }, { id: "pay-o1" }]);
    expect(g.key).toBe(f.key);
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

  for (const scenario of ["cancellation-in-window", "payment-failure", "insufficient-stock"]) {
    it(`${scenario}: also with one crash-restart anywhere`, () => {
      const r = explore(model(1), inputs(scenario));
      expect(r.truncated).toBe(false);
      expect([...r.invariantFailures, ...r.quiescenceFailures]).toEqual([]);
      expect(r.finals.size).toBe(1);
    });
  }

  it("the cancellation scenarios catch an order service that accepts a cancellation after the window closed", () => {
    // The rule `refusedNow = f.windowClosed` weakened to "refused once delivered": the handler is
    // shown the order as if its window were still open, then the fact is put back.
    const withWindow = (s: OrderState, id: string, windowClosed: boolean): OrderState => {
      const o = s.orders[id]!;
      return { ...s, orders: { ...s.orders, [id]: { ...o, facts: { ...o.facts, windowClosed } } } };
    };
    const lenient = {
      initialState: order.initialState,
      handle(state: OrderState, event: Event) {
        const o = event.type === "CancelOrder" ? state.orders[event["orderId"] as string] : undefined;
        if (!o || !o.facts.windowClosed || o.facts.delivered) return order.handle(state, event as never);
        const r = order.handle(withWindow(state, o.id, false), event as never);
        return { state: withWindow(r.state, o.id, true), emit: r.emit ?? [] };
      },
    };
    const m = modelOf(spec, { handlers: { ...handlers, order: lenient }, invariants, quiescence: outcomes });
    const r = explore(m, inputs("cancellation-after-window"));
    expect([...r.invariantFailures].join("\n")).toMatch(/noCancelledOrderCharged|noOrderShippedAndCancelled/);
    expect(r.finals.size).toBeGreaterThan(1);
    // The correct handler on the same scenario: the cancellation is handled in every state of the flow.
    const states = new Set<string>();
    const ok = model();
    const flow = explore(ok, inputs("cancellation-after-window"));
    expect(flow.finals.size).toBe(1);
    for (const n of [3, 6, 10]) {
      const prefix = ["receipt-1", "req-o1", "window-o1", "o1:ReserveStock", "o1:StockReserved", "o1:OrderReleased", "pay-o1", "o1:PaymentCaptured", "o1:ShipOrder", "o1:ShipmentDispatched"];
      states.add(serviceState<OrderState>(run(ok, inputs("cancellation-after-window"), prefix.slice(0, n).map((id) => ({ id })), false).state, "order").orders["o1"]!.status);
    }
    expect([...states]).toEqual(["pending", "processing", "shipped"]);
  });

  it("the two-line scenario catches the seed's partial-reservation leak put back into inventory", () => {
    const leaky = {
      initialState: inventory.initialState,
      handle(state: InventoryState, event: Event) {
        const r = inventory.handle(state, event as never);
        if (event.type !== "ReserveStock" || !(r.emit ?? []).some((e) => e.type === "StockRejected")) return r;
        // Line by line, as the seed does: the lines before the short one stay reserved.
        let stock = r.state.stock;
        for (const l of event["items"] as { productId: string; quantity: number }[]) {
          const cur = stock[l.productId];
          if (!cur || cur.available < l.quantity) break;
          stock = { ...stock, [l.productId]: stockLevel(l.productId, cur.quantity, cur.reserved + l.quantity) };
        }
        return { state: { ...r.state, stock }, emit: r.emit ?? [] };
      },
    };
    const m = modelOf(spec, { handlers: { ...handlers, inventory: leaky }, invariants, quiescence: outcomes });
    const r = explore(m, inputs("second-line-short"));
    expect([...r.invariantFailures].join("\n")).toMatch(/reservationsAddUp: stock of p1 says 1 reserved, the reservations hold 0/);
  });

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
