// The seed-faithful variant (models/order-system-seed): its handlers work on a
// good schedule, and each defect of the seed shows on a specific bad schedule
// (models/order-system-seed/DEFECTS.md).
import { describe, expect, it } from "vitest";
import { order, type OrderState } from "../../models/order-system-seed/src/order/handler.js";
import { inventory, type InventoryState } from "../../models/order-system-seed/src/inventory/handler.js";
import { payment } from "../../models/order-system-seed/src/payment/handler.js";
import { logistics } from "../../models/order-system-seed/src/logistics/handler.js";
import { invariants, outcomes } from "../../models/order-system-seed/src/invariants.js";
import { callService, newCircuitBreaker, tick } from "../../models/order-system-seed/src/order/circuit-breaker.js";
import { explore, modelOf, readSpec, run, serviceState } from "./harness.js";
import { applyAll, deepFreeze, types } from "./freeze.js";

const spec = readSpec("specs/order-system-seed.yaml");
const handlers = { order, inventory, payment, logistics };
const model = (crashes = 0) => modelOf(spec, { handlers, invariants, quiescence: outcomes, crashes });
const inputs = (scenario: string) => spec.scenarios[scenario]!.inputs;
const failures = (m: ReturnType<typeof model>, r: { state: Parameters<typeof m.quiescenceFailures>[0] }) =>
  m.quiescenceFailures(r.state).map((f) => `${f.name}: ${f.message}`);

describe("the seed's logic on a good schedule", () => {
  it("ProcessOrder reserves line by line, publishes OrderCreatedEvent, and the order is paid and delivered", () => {
    const m = model();
    const r = run(m, inputs("happy-path"), []);
    expect(r.errors).toEqual([]);
    expect(types(r.published)).toEqual(["ReserveInventory", "InventoryReserved", "OrderCreatedEvent", "PaymentProcessed", "ShipOrder", "ShippingResult"]);
    expect(serviceState<OrderState>(r.state, "order").orders["o1"]).toMatchObject({ status: "delivered", totalAmount: 25 });
    expect(failures(m, r)).toEqual([]);
  });

  it("refuses an inactive user or a line above the stock it read, creating no order", () => {
    const req = (userStatus: "active" | "suspended", available: number) => ({
      type: "CreateOrderRequest" as const,
      id: "r",
      orderId: "o1",
      userId: "u1",
      userStatus,
      items: [{ productId: "p1", productName: "Lamp", sku: "S", quantity: 2, unitPrice: 25, available }],
    });
    expect(applyAll(order, order.initialState(), [req("suspended", 5)]).state.orders).toEqual({});
    expect(applyAll(order, order.initialState(), [req("active", 1)]).state.orders).toEqual({});
    const ok = applyAll(order, order.initialState(), [req("active", 5)]);
    expect(ok.state.orders["o1"]).toMatchObject({ status: "pending", totalAmount: 50, reserving: 0 });
    expect(types(ok.emit)).toEqual(["ReserveInventory"]);
  });
});

describe("defect 1: reservation leak after a partial reservation failure", () => {
  it("o2 takes the last p2 between o1's two reservations: o1 is cancelled, its p1 stays reserved", () => {
    const m = model();
    // Both requests are processed before o1's first reply, so inventory reserves o1's p1, then
    // o2's p2, then fails o1's p2.
    const r = run(m, inputs("reservation-leak"), [{ id: "stock-p1" }, { id: "stock-p2" }, { id: "req-o1" }, { id: "req-o2" }]);
    const orders = serviceState<OrderState>(r.state, "order").orders;
    expect(orders["o1"]!.status).toBe("cancelled");
    expect(orders["o2"]!.status).toBe("delivered");
    expect(serviceState<InventoryState>(r.state, "inventory").inventory["p1"]).toMatchObject({ quantity: 1, reserved: 1, available: 0 });
    expect(failures(m, r)).toEqual(["noReservationForCancelledOrUnknownOrder: 1 unit(s) of p1 reserved for no live order (cancelled: o1)"]);
  });

  it("on another schedule o1 wins and nothing leaks: the outcome depends on the schedule (no convergence)", () => {
    const m = model();
    const leak = run(m, inputs("reservation-leak"), [{ id: "stock-p1" }, { id: "stock-p2" }, { id: "req-o1" }, { id: "req-o2" }]);
    const noLeak = run(m, inputs("reservation-leak"), [
      { id: "stock-p1" },
      { id: "stock-p2" },
      { id: "req-o1" },
      { id: "o1:reserve:0" },
      { id: "o1:reserve:0:reserved" },
      { id: "req-o2" },
    ]);
    expect(failures(m, noLeak)).toEqual([]);
    expect(serviceState<OrderState>(noLeak.state, "order").orders["o1"]!.status).toBe("delivered");
    // The seed's inventory cannot tell the two apart (same counters); the orders can.
    expect(m.serviceKey(noLeak.state, "inventory")).toBe(m.serviceKey(leak.state, "inventory"));
    expect(m.serviceKey(noLeak.state, "order")).not.toBe(m.serviceKey(leak.state, "order"));
    const all = explore(m, inputs("reservation-leak"));
    expect(all.finals.size).toBeGreaterThan(1);
  });

  it("the reference inventory reserves all lines or none, so the same race leaks nothing", async () => {
    const { inventory: reference } = await import("../../models/order-system/src/inventory/handler.js");
    const { state } = applyAll(reference, reference.initialState(), [
      { type: "StockReceived", id: "s1", productId: "p1", quantity: 1 },
      { type: "StockReceived", id: "s2", productId: "p2", quantity: 1 },
      { type: "ReserveStock", id: "o2:r", orderId: "o2", items: [{ productId: "p2", quantity: 1 }] },
      { type: "ReserveStock", id: "o1:r", orderId: "o1", items: [{ productId: "p1", quantity: 1 }, { productId: "p2", quantity: 1 }] },
    ]);
    expect(state.stock["p1"]!.reserved).toBe(0);
  });
});

describe("defect 2: order written, event published, no outbox", () => {
  it("a crash after committing the last reservation's reply loses OrderCreatedEvent for good: the order never completes", () => {
    const m = model(1);
    const r = run(m, inputs("happy-path"), [
      { id: "stock-p1" },
      { id: "req-o1" },
      { id: "o1:reserve:0" },
      { id: "o1:reserve:0:reserved", crash: true },
    ]);
    expect(types(r.lost)).toEqual(["OrderCreatedEvent"]);
    expect(serviceState<OrderState>(r.state, "order").orders["o1"]!.status).toBe("pending");
    expect(failures(m, r)).toEqual(["everyOrderDeliveredCancelledOrRefunded: order o1 is stuck pending"]);
  });

  it("without a crash the same schedule completes, so only crash-restart exploration finds it", () => {
    expect([...explore(model(0), inputs("happy-path")).quiescenceFailures]).toEqual([]);
    expect([...explore(model(1), inputs("happy-path")).quiescenceFailures]).toContain("everyOrderDeliveredCancelledOrRefunded: order o1 is stuck pending");
  });
});

describe("defect 3: the circuit breaker never leaves open", () => {
  it("after five failures and the 60 s timeout, it still refuses every call", () => {
    const m = model();
    const r = run(m, inputs("breaker-outage"), []);
    expect(serviceState<OrderState>(r.state, "order").breakers["payment"]).toMatchObject({ state: "open", openedAt: 5000, now: 69_000, refusedRequests: 3 });
    expect(failures(m, r)).toEqual([
      "breakerRecovers: the circuit breaker of payment opened at 5000 ms and still refuses calls at 69000 ms, past its 60 s timeout",
    ]);
  });

  it("has no transition out of open at all: not by time, not by a result", () => {
    let cb = newCircuitBreaker("payment");
    for (let seq = 1; seq <= 5; seq++) cb = callService(deepFreeze(cb), { seq, at: seq, success: false });
    expect(cb.state).toBe("open");
    cb = tick(cb, 1_000_000_000);
    cb = callService(cb, { seq: 6, at: 1_000_000_001, success: true });
    expect(cb.state).toBe("open");
  });
});

describe("defect 4: an unknown event is redelivered forever", () => {
  it("OrderEventProcessor throws on OrderUpdatedEvent; the message stays in flight, state unchanged, every time", () => {
    const m = model();
    let state = m.initialState(inputs("unknown-event"));
    const start = m.key(state);
    for (let i = 0; i < 5; i++) {
      const t = m.enabled(state).find((x) => !x.ackLost && !x.crash)!;
      const r = m.step(state, t);
      expect(r.outcome).toBe("threw");
      expect(r.error).toBe("Error: unknown event type: OrderUpdatedEvent");
      state = r.state;
      expect(m.key(state)).toBe(start);
    }
    expect(m.isQuiescent(state)).toBe(false);
    expect([...explore(m, inputs("unknown-event")).redeliveryLoops]).toEqual([
      "payment throws on OrderUpdatedEvent (Error: unknown event type: OrderUpdatedEvent)",
    ]);
  });

  it("with a dead-letter bound on the topic the loop ends (the fix the reference spec applies)", () => {
    const bounded = structuredClone(spec);
    bounded.channels["order-events"]!.maxRedeliveries = 3;
    const m = modelOf(bounded, { handlers, invariants, quiescence: outcomes });
    const r = run(m, inputs("unknown-event"), []);
    expect(r.errors).toHaveLength(4);
    expect(r.state.deadLetters.map((d) => d.event.type)).toEqual(["OrderUpdatedEvent"]);
  });
});

describe("beyond the brief", () => {
  it("the seed's ReserveInventory is not idempotent: a repeated call reserves twice", () => {
    const call = { type: "ReserveInventory" as const, id: "o1:reserve:0", orderId: "o1", line: 0, productId: "p1", quantity: 1 };
    const { state } = applyAll(inventory, inventory.initialState(), [{ type: "UpdateInventory", id: "s", productId: "p1", quantity: 5 }, call, call]);
    expect(state.inventory["p1"]!.reserved).toBe(2);
  });
});
