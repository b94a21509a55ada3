// Example-based tests of every handler of the reference order system, one at a
// time: the transitions of the flow, duplicates, early (reordered) events,
// refused and malformed inputs, and purity (inputs are frozen, so a mutation throws).
import { describe, expect, it } from "vitest";
import type {
  Address,
  InventoryInbound,
  OrderInbound,
  PaymentInbound,
  PlaceOrder,
  ShippingInbound,
} from "../../models/order-system/src/shared/events.js";
import { order } from "../../models/order-system/src/order/handler.js";
import type { OrderState } from "../../models/order-system/src/order/model.js";
import { inventory, type InventoryState } from "../../models/order-system/src/inventory/handler.js";
import { payment, type PaymentState } from "../../models/order-system/src/payment/handler.js";
import { shipping, type ShippingState } from "../../models/order-system/src/shipping/handler.js";
import { user } from "../../models/order-system/src/user/handler.js";
import { catalog } from "../../models/order-system/src/catalog/handler.js";
import {
  advanceClock,
  allowsRequest,
  closedBreaker,
  recordCall,
  stuckOpen,
  type Breaker,
} from "../../models/order-system/src/payment/circuit-breaker.js";
import { applyAll, deepFreeze, types } from "./freeze.js";

const home: Address = { name: "Ada Lovelace", line1: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "GB" };
const place = (orderId: string, quantity = 1, extra: Partial<PlaceOrder> = {}): PlaceOrder => ({
  type: "PlaceOrder",
  id: `req-${orderId}`,
  orderId,
  userId: "u1",
  customerStatus: "active",
  currency: "USD",
  items: [{ productId: "p1", sku: "SKU-P1", quantity, unitPriceCents: 2500 }],
  shippingAddress: home,
  billingAddress: home,
  ...extra,
});
const cancel = (orderId: string, id = `cancel-${orderId}`): OrderInbound => ({ type: "CancelOrder", id, orderId, reason: "changed my mind" });
const windowClosed = (orderId: string): OrderInbound => ({ type: "CancellationWindowClosed", id: `window-${orderId}`, orderId });
const returned = (orderId: string): OrderInbound => ({ type: "ReturnOrder", id: `return-${orderId}`, orderId, reason: "wrong size" });
const reserved = (orderId: string): OrderInbound => ({ type: "StockReserved", id: `${orderId}:StockReserved`, orderId });
const rejected = (orderId: string): OrderInbound => ({ type: "StockRejected", id: `${orderId}:StockRejected`, orderId, reason: "insufficient stock" });
const captured = (orderId: string): OrderInbound => ({
  type: "PaymentCaptured",
  id: `${orderId}:PaymentCaptured`,
  orderId,
  paymentId: `pay-${orderId}`,
  amountCents: 2500,
});
const failed = (orderId: string): OrderInbound => ({ type: "PaymentFailed", id: `${orderId}:PaymentFailed`, orderId, paymentId: `pay-${orderId}`, reason: "card declined" });
const refunded = (orderId: string): OrderInbound => ({ type: "PaymentRefunded", id: `${orderId}:PaymentRefunded`, orderId, paymentId: `pay-${orderId}`, amountCents: 2500 });
const dispatched = (orderId: string): OrderInbound => ({
  type: "ShipmentDispatched",
  id: `${orderId}:ShipmentDispatched`,
  orderId,
  shipmentId: `shp-${orderId}`,
  trackingNumber: `TRK-${orderId}`,
});
const delivered = (orderId: string): OrderInbound => ({ type: "ShipmentDelivered", id: `${orderId}:ShipmentDelivered`, orderId, shipmentId: `shp-${orderId}` });

const orderOf = (s: OrderState, id: string) => s.orders[id]!;
const statuses = (events: OrderInbound[]) => {
  let state = order.initialState();
  return events.map((e) => {
    state = order.handle(deepFreeze(state), deepFreeze(structuredClone(e))).state;
    return orderOf(state, "o1").status;
  });
};

describe("order handler", () => {
  it("places an order: records it pending with its total and addresses, and asks inventory to reserve", () => {
    const { state, emit } = applyAll(order, order.initialState(), [place("o1", 2)]);
    expect(orderOf(state, "o1")).toMatchObject({ status: "pending", totalCents: 5000, userId: "u1", shipping: home, billing: home });
    expect(emit).toEqual([{ type: "ReserveStock", id: "o1:ReserveStock", orderId: "o1", items: [{ productId: "p1", quantity: 2 }] }]);
  });

  it("goes pending -> confirmed -> processing -> shipped -> delivered", () => {
    const events = [place("o1"), reserved("o1"), windowClosed("o1"), captured("o1"), dispatched("o1"), delivered("o1")];
    expect(statuses(events)).toEqual(["pending", "confirmed", "processing", "processing", "shipped", "delivered"]);
    const { state, emit } = applyAll(order, order.initialState(), events);
    expect(orderOf(state, "o1").trackingNumber).toBe("TRK-o1");
    expect(emit).toEqual([
      { type: "ReserveStock", id: "o1:ReserveStock", orderId: "o1", items: [{ productId: "p1", quantity: 1 }] },
      { type: "OrderReleased", id: "o1:OrderReleased", orderId: "o1", userId: "u1", totalCents: 2500, currency: "USD", billingAddress: home },
      { type: "ShipOrder", id: "o1:ShipOrder", orderId: "o1", items: [{ productId: "p1", quantity: 1 }], address: home },
      { type: "CommitStock", id: "o1:CommitStock", orderId: "o1" },
    ]);
  });

  it("releases the order to payment only once the stock is reserved and the window closed, whichever comes first", () => {
    const a = applyAll(order, order.initialState(), [place("o1"), reserved("o1"), windowClosed("o1")]);
    const b = applyAll(order, order.initialState(), [place("o1"), windowClosed("o1"), reserved("o1")]);
    expect(b.state).toEqual(a.state);
    expect(types(a.emit)).toEqual(["ReserveStock", "OrderReleased"]);
    expect(b.emit).toEqual(a.emit);
    expect(statuses([place("o1"), windowClosed("o1")])).toEqual(["pending", "pending"]);
  });

  it("ignores every duplicate: same state, nothing emitted again", () => {
    const events = [place("o1"), reserved("o1"), windowClosed("o1"), cancel("o1"), captured("o1"), dispatched("o1"), delivered("o1"), returned("o1"), refunded("o1")];
    let state = order.initialState();
    for (const e of events) {
      const once = order.handle(deepFreeze(state), deepFreeze(e));
      const twice = order.handle(deepFreeze(once.state), deepFreeze(e));
      expect(twice.state).toBe(once.state);
      expect(twice.emit ?? []).toEqual([]);
      state = once.state;
    }
  });

  it("cancels on a stock rejection (a rejected reservation holds nothing to release) and never releases the order", () => {
    const { state, emit } = applyAll(order, order.initialState(), [place("o1"), rejected("o1"), windowClosed("o1")]);
    expect(orderOf(state, "o1")).toMatchObject({ status: "cancelled" });
    expect(types(emit)).toEqual(["ReserveStock"]);
  });

  it("a declined charge cancels the processing order and releases the reservation; nothing ships", () => {
    const events = [place("o1"), reserved("o1"), windowClosed("o1"), failed("o1")];
    expect(statuses(events)).toEqual(["pending", "confirmed", "processing", "cancelled"]);
    expect(types(applyAll(order, order.initialState(), events).emit)).toEqual(["ReserveStock", "OrderReleased", "ReleaseStock"]);
  });

  it("accepts a cancellation that comes before the window closes, however far the flow has got: released, never charged", () => {
    const early = applyAll(order, order.initialState(), [place("o1"), cancel("o1"), reserved("o1"), windowClosed("o1")]);
    const confirmed = applyAll(order, order.initialState(), [place("o1"), reserved("o1"), cancel("o1"), windowClosed("o1")]);
    for (const r of [early, confirmed]) {
      expect(orderOf(r.state, "o1")).toMatchObject({ status: "cancelled", facts: { cancelledByCustomer: true, cancelRefused: false } });
      expect(types(r.emit)).toEqual(["ReserveStock", "ReleaseStock"]);
    }
    expect(confirmed.state).toEqual(early.state);
  });

  it("refuses a cancellation that comes after the window closed, however far the flow has got: the order goes on", () => {
    const tail = [captured("o1"), dispatched("o1"), delivered("o1")];
    const points = [
      [place("o1"), windowClosed("o1"), cancel("o1"), reserved("o1"), ...tail],
      [place("o1"), reserved("o1"), windowClosed("o1"), cancel("o1"), ...tail],
      [place("o1"), reserved("o1"), windowClosed("o1"), captured("o1"), dispatched("o1"), cancel("o1"), delivered("o1")],
      [place("o1"), reserved("o1"), windowClosed("o1"), ...tail, cancel("o1")],
    ];
    const runs = points.map((events) => applyAll(order, order.initialState(), events));
    for (const r of runs) {
      expect(orderOf(r.state, "o1")).toMatchObject({ status: "delivered", facts: { cancelRefused: true, cancelledByCustomer: false } });
      expect(types(r.emit)).toEqual(["ReserveStock", "OrderReleased", "ShipOrder", "CommitStock"]);
      expect(r.state).toEqual(runs[0]!.state);
    }
  });

  it("the first cancellation decides; a second one changes nothing", () => {
    const { state } = applyAll(order, order.initialState(), [place("o1"), windowClosed("o1"), cancel("o1"), cancel("o1", "cancel-again")]);
    expect(orderOf(state, "o1").facts).toMatchObject({ cancelRefused: true, cancelledByCustomer: false });
  });

  it("a return asks payment for a refund once the order is delivered, whichever comes first; then refunded", () => {
    const flow = [place("o1"), reserved("o1"), windowClosed("o1"), captured("o1"), dispatched("o1")];
    const a = applyAll(order, order.initialState(), [...flow, delivered("o1"), returned("o1"), refunded("o1")]);
    const b = applyAll(order, order.initialState(), [...flow, returned("o1"), delivered("o1"), refunded("o1")]);
    expect(b.state).toEqual(a.state);
    expect(orderOf(a.state, "o1").status).toBe("refunded");
    expect(a.emit.at(-1)).toEqual({ type: "RefundRequested", id: "o1:RefundRequested", orderId: "o1", reason: "returned by the customer" });
    expect(types(b.emit)).toEqual(types(a.emit));
    // Not delivered: nothing to refund.
    expect(types(applyAll(order, order.initialState(), [...flow, returned("o1")]).emit)).not.toContain("RefundRequested");
  });

  it("keeps requests that overtake their order and applies them in log order once it is placed", () => {
    const cancelled = applyAll(order, order.initialState(), [cancel("o1"), windowClosed("o1"), place("o1")]);
    expect(orderOf(cancelled.state, "o1")).toMatchObject({ status: "cancelled", facts: { cancelledByCustomer: true, windowClosed: true } });
    expect(cancelled.state.early).toEqual({});
    expect(cancelled.emit).toEqual([]);
    const refusedCancel = applyAll(order, order.initialState(), [windowClosed("o1"), cancel("o1"), cancel("o1"), place("o1")]);
    expect(orderOf(refusedCancel.state, "o1").facts).toMatchObject({ cancelRefused: true, cancelledByCustomer: false, windowClosed: true });
    expect(types(refusedCancel.emit)).toEqual(["ReserveStock"]);
  });

  const line = { productId: "p1", sku: "S", quantity: 1, unitPriceCents: 1 };
  it.each([
    ["an inactive customer", place("o1", 1, { customerStatus: "suspended" })],
    ["no items", place("o1", 1, { items: [] })],
    ["a zero quantity", place("o1", 0)],
    ["a fractional quantity", place("o1", 1.5)],
    ["a negative price", place("o1", 1, { items: [{ ...line, unitPriceCents: -1 }] })],
    ["a null line", place("o1", 1, { items: [null] as never })],
    ["a line that is a string", place("o1", 1, { items: ["p1"] as never })],
    ["a line without a sku", place("o1", 1, { items: [{ productId: "p1", quantity: 1, unitPriceCents: 1 }] as never })],
    ["items that are not a list", place("o1", 1, { items: { p1: 1 } as never })],
    ["a total beyond safe integers", place("o1", 1, { items: [{ ...line, quantity: 1e15, unitPriceCents: 1e6 }] })],
    ["no shipping address", place("o1", 1, { shippingAddress: undefined as never })],
    ["a null billing address", place("o1", 1, { billingAddress: null as never })],
    ["an address without a city", place("o1", 1, { shippingAddress: { ...home, city: "" } })],
    ["a bad country code", place("o1", 1, { billingAddress: { ...home, country: "Britain" } })],
  ])("refuses, without throwing, an order with %s: cancelled at once with the reason, nothing asked of anyone", (_why, e) => {
    const { state, emit } = applyAll(order, order.initialState(), [e]);
    expect(orderOf(state, "o1").status).toBe("cancelled");
    expect(orderOf(state, "o1").facts.refused).toEqual(expect.any(String));
    expect(orderOf(state, "o1")).toMatchObject({ items: [], shipping: null, billing: null });
    expect(emit).toEqual([]);
  });

  it("ignores, without throwing, requests and results without an order id", () => {
    const s0 = order.initialState();
    for (const type of ["PlaceOrder", "CancelOrder", "CancellationWindowClosed", "ReturnOrder", "StockReserved", "PaymentCaptured"]) {
      expect(order.handle(deepFreeze(s0), deepFreeze({ type, id: "x" } as unknown as OrderInbound)).state).toBe(s0);
    }
  });

  it("ignores results for unknown orders and events of other services", () => {
    const s0 = order.initialState();
    expect(order.handle(deepFreeze(s0), deepFreeze(reserved("nope"))).state).toBe(s0);
    const foreign = { type: "AddProduct", id: "x" } as unknown as OrderInbound;
    expect(order.handle(deepFreeze(s0), deepFreeze(foreign)).state).toBe(s0);
  });

  it("treats ids like __proto__ as ordinary keys", () => {
    const { state } = applyAll(order, order.initialState(), [place("__proto__"), reserved("__proto__")]);
    expect(Object.hasOwn(state.orders, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(state.orders)).toBe(Object.prototype);
    expect(state.orders["__proto__"]!.facts.stock).toBe("reserved");
  });
});

describe("inventory handler", () => {
  const receive = (productId: string, quantity: number, id = `rcv-${productId}-${quantity}`): InventoryInbound => ({ type: "StockReceived", id, productId, quantity });
  const reserve = (orderId: string, lines: [string, number][]): InventoryInbound => ({
    type: "ReserveStock",
    id: `${orderId}:ReserveStock`,
    orderId,
    items: lines.map(([productId, quantity]) => ({ productId, quantity })),
  });
  const release = (orderId: string): InventoryInbound => ({ type: "ReleaseStock", id: `${orderId}:ReleaseStock`, orderId });
  const commit = (orderId: string): InventoryInbound => ({ type: "CommitStock", id: `${orderId}:CommitStock`, orderId });
  const level = (s: InventoryState, p: string) => s.stock[p]!;

  it("receives stock once per receipt id", () => {
    const { state } = applyAll(inventory, inventory.initialState(), [receive("p1", 3), receive("p1", 3), receive("p1", 2)]);
    expect(level(state, "p1")).toMatchObject({ quantity: 5, reserved: 0, available: 5, status: "in_stock" });
  });

  it("reserves every line or none: a shortage on one line reserves nothing", () => {
    const { state, emit } = applyAll(inventory, inventory.initialState(), [receive("p1", 5), receive("p2", 1), reserve("o1", [["p1", 2], ["p2", 2]])]);
    expect(level(state, "p1").reserved).toBe(0);
    expect(level(state, "p2").reserved).toBe(0);
    expect(state.reservations["o1"]!.status).toBe("rejected");
    expect(emit).toEqual([{ type: "StockRejected", id: "o1:StockRejected", orderId: "o1", reason: "insufficient stock of p2: 1 available, 2 requested" }]);
  });

  it("adds up lines of the same product before checking (the seed checks each line alone)", () => {
    const { state, emit } = applyAll(inventory, inventory.initialState(), [receive("p1", 1), reserve("o1", [["p1", 1], ["p1", 1]])]);
    expect(types(emit)).toEqual(["StockRejected"]);
    expect(level(state, "p1").reserved).toBe(0);
  });

  it("reserves, then commits on dispatch: quantity and reserved both drop", () => {
    const { state, emit } = applyAll(inventory, inventory.initialState(), [receive("p1", 3), reserve("o1", [["p1", 2]]), commit("o1"), commit("o1")]);
    expect(types(emit)).toEqual(["StockReserved"]);
    expect(level(state, "p1")).toMatchObject({ quantity: 1, reserved: 0, available: 1, status: "low_stock" });
    expect(state.reservations["o1"]!.status).toBe("committed");
  });

  it("releases a reservation once; a duplicate request after it reserves nothing", () => {
    const { state, emit } = applyAll(inventory, inventory.initialState(), [
      receive("p1", 1),
      reserve("o1", [["p1", 1]]),
      release("o1"),
      release("o1"),
      reserve("o1", [["p1", 1]]),
    ]);
    expect(types(emit)).toEqual(["StockReserved"]);
    expect(level(state, "p1")).toMatchObject({ reserved: 0, available: 1 });
  });

  it("a release that overtakes its reservation leaves a tombstone: the late request reserves nothing and says nothing", () => {
    const { state, emit } = applyAll(inventory, inventory.initialState(), [receive("p1", 1), release("o1"), reserve("o1", [["p1", 1]])]);
    expect(emit).toEqual([]);
    expect(level(state, "p1").reserved).toBe(0);
  });

  it("first come, first served for the last unit", () => {
    const { state, emit } = applyAll(inventory, inventory.initialState(), [receive("p1", 1), reserve("o1", [["p1", 1]]), reserve("o2", [["p1", 1]])]);
    expect(emit.map((e) => `${(e as { type: string }).type}:${(e as { orderId: string }).orderId}`)).toEqual(["StockReserved:o1", "StockRejected:o2"]);
    expect(level(state, "p1")).toMatchObject({ reserved: 1, available: 0, status: "out_of_stock" });
  });

  it.each([
    ["a negative quantity", [["p1", -1]]],
    ["a zero quantity", [["p1", 0]]],
    ["a fractional quantity", [["p1", 0.5]]],
    ["no lines", []],
  ] as [string, [string, number][]][])("rejects a reservation with %s", (_why, lines) => {
    const { state, emit } = applyAll(inventory, inventory.initialState(), [receive("p1", 5), reserve("o1", lines)]);
    expect(types(emit)).toEqual(["StockRejected"]);
    expect(level(state, "p1").reserved).toBe(0);
  });

  it.each([
    ["a null line", [null]],
    ["a line that is a number", [7]],
    ["a line without a product", [{ quantity: 1 }]],
    ["no items at all", undefined],
    ["items that are not a list", { p1: 1 }],
  ])("rejects, without throwing, a reservation with %s", (_why, items) => {
    const bad = { type: "ReserveStock", id: "o1:ReserveStock", orderId: "o1", items } as unknown as InventoryInbound;
    const { state, emit } = applyAll(inventory, inventory.initialState(), [receive("p1", 5), bad]);
    expect(emit).toEqual([{ type: "StockRejected", id: "o1:StockRejected", orderId: "o1", reason: expect.stringMatching(/invalid reservation line|nothing to reserve/) }]);
    expect(state.reservations["o1"]!.status).toBe("rejected");
    expect(level(state, "p1").reserved).toBe(0);
  });

  it("ignores commands without an order id", () => {
    const s0 = applyAll(inventory, inventory.initialState(), [receive("p1", 5)]).state;
    for (const type of ["ReserveStock", "ReleaseStock", "CommitStock"]) {
      const bad = { type, id: "x", items: [{ productId: "p1", quantity: 1 }] } as unknown as InventoryInbound;
      expect(inventory.handle(deepFreeze(s0), deepFreeze(bad)).state).toBe(s0);
    }
  });

  it("ignores bad receipts", () => {
    const { state } = applyAll(inventory, inventory.initialState(), [receive("p1", -3), receive("p1", 1.5)]);
    expect(state.stock).toEqual({});
  });
});

describe("payment handler", () => {
  const released = (orderId: string, totalCents = 2500): PaymentInbound => ({
    type: "OrderReleased",
    id: `${orderId}:OrderReleased`,
    orderId,
    userId: "u1",
    totalCents,
    currency: "USD",
    billingAddress: home,
  });
  const refund = (orderId: string): PaymentInbound => ({ type: "RefundRequested", id: `${orderId}:RefundRequested`, orderId, reason: "returned" });
  const submit = (orderId: string, token = "tok_visa"): PaymentInbound => ({ type: "SubmitPayment", id: `pay-${orderId}`, orderId, method: "credit_card", token });
  const fail = (n: number): PaymentInbound => ({ type: "StripeCallCompleted", id: `call-${n}`, at: n * 1000, outcome: "failure" });
  const tick = (at: number): PaymentInbound => ({ type: "ClockTicked", id: `tick-${at}`, at });
  const outage = [fail(1), fail(2), fail(3), fail(4), fail(5)];
  const pay = (s: PaymentState, id: string) => s.payments[id]!;
  const chargeCall = { type: "StripeCallCompleted", id: "o1:stripe:charge", outcome: "success" };

  it("keeps the card until the order is released, then charges, in either order; the call's result goes to the breaker", () => {
    const a = applyAll(payment, payment.initialState(), [released("o1"), submit("o1")]);
    const b = applyAll(payment, payment.initialState(), [submit("o1"), released("o1")]);
    expect(a.state).toEqual(b.state);
    expect(pay(a.state, "o1")).toMatchObject({ status: "completed", amountCents: 2500, billing: home });
    expect(a.emit).toEqual([
      { type: "PaymentCaptured", id: "o1:PaymentCaptured", orderId: "o1", paymentId: "pay-o1", amountCents: 2500 },
      { ...chargeCall, at: 0 },
    ]);
    expect(b.emit).toEqual(a.emit);
    const cardOnly = applyAll(payment, payment.initialState(), [submit("o1")]);
    expect(pay(cardOnly.state, "o1")).toMatchObject({ status: "pending", token: "tok_visa" });
    expect(cardOnly.emit).toEqual([]);
    // Released without a card yet: processing, waiting for it.
    expect(pay(applyAll(payment, payment.initialState(), [released("o1")]).state, "o1").status).toBe("processing");
  });

  it("fails a declined card", () => {
    const { state, emit } = applyAll(payment, payment.initialState(), [released("o1"), submit("o1", "tok_chargeDeclined")]);
    expect(pay(state, "o1").status).toBe("failed");
    expect(types(emit)).toEqual(["PaymentFailed", "StripeCallCompleted"]);
  });

  it("refunds a charge when the returned order asks, whenever the request comes; nothing to refund without a charge", () => {
    const a = applyAll(payment, payment.initialState(), [released("o1"), submit("o1"), refund("o1")]);
    const b = applyAll(payment, payment.initialState(), [refund("o1"), submit("o1"), released("o1")]);
    expect(b.state).toEqual(a.state);
    expect(pay(a.state, "o1").status).toBe("refunded");
    expect(types(a.emit)).toEqual(["PaymentCaptured", "StripeCallCompleted", "PaymentRefunded", "StripeCallCompleted"]);
    const declined = applyAll(payment, payment.initialState(), [released("o1"), submit("o1", "tok_chargeDeclined"), refund("o1")]);
    expect(pay(declined.state, "o1").status).toBe("failed");
    expect(types(declined.emit)).not.toContain("PaymentRefunded");
  });

  it("ignores duplicates, a second card and a second release for the same order", () => {
    const { state, emit } = applyAll(payment, payment.initialState(), [released("o1"), submit("o1"), submit("o1"), released("o1", 9999), submit("o1", "tok_chargeDeclined")]);
    expect(pay(state, "o1")).toMatchObject({ status: "completed", amountCents: 2500, token: "tok_visa" });
    expect(types(emit)).toEqual(["PaymentCaptured", "StripeCallCompleted"]);
  });

  it("an open breaker holds the charge back; it is made once the breaker lets calls through after its timeout", () => {
    const held = applyAll(payment, payment.initialState(), [...outage, released("o1"), submit("o1")]);
    expect(held.state.stripe.state).toBe("open");
    expect(pay(held.state, "o1").status).toBe("processing");
    expect(held.emit).toEqual([]);
    // 64 s: still open, still waiting.
    const early = payment.handle(deepFreeze(held.state), deepFreeze(tick(64_000)));
    expect(early.emit ?? []).toEqual([]);
    const later = payment.handle(deepFreeze(early.state), deepFreeze(tick(66_000)));
    expect(later.state.stripe.state).toBe("half_open");
    expect(pay(later.state, "o1").status).toBe("completed");
    expect(later.emit).toEqual([
      { type: "PaymentCaptured", id: "o1:PaymentCaptured", orderId: "o1", paymentId: "pay-o1", amountCents: 2500 },
      { ...chargeCall, at: 66_000 },
    ]);
    // The charge's own result is a trial call of the half-open breaker.
    const trial = payment.handle(deepFreeze(later.state), deepFreeze(later.emit![1] as PaymentInbound));
    expect(trial.state.stripe).toMatchObject({ state: "half_open", trials: 1, successes: 1 });
  });

  it("an open breaker holds a refund back too", () => {
    const charged = applyAll(payment, payment.initialState(), [released("o1"), submit("o1")]).state;
    const held = applyAll(payment, charged, [...outage, refund("o1")]);
    expect(pay(held.state, "o1")).toMatchObject({ status: "completed", refundRequested: true });
    expect(types(held.emit)).toEqual([]);
    const after = payment.handle(deepFreeze(held.state), deepFreeze(tick(70_000)));
    expect(pay(after.state, "o1").status).toBe("refunded");
    expect(types(after.emit ?? [])).toEqual(["PaymentRefunded", "StripeCallCompleted"]);
  });

  it("ends in the same state whether the charge was made before the outage's results arrived or held back by it", () => {
    const resultsAfter = (events: PaymentInbound[]) => {
      const r = applyAll(payment, payment.initialState(), events);
      // The breaker's channel is totally ordered: the charge's result comes after the results already sent.
      return applyAll(payment, r.state, r.emit.filter((e) => (e as { type: string }).type === "StripeCallCompleted") as PaymentInbound[]).state;
    };
    const before = resultsAfter([released("o1"), submit("o1"), ...outage, tick(66_000)]);
    const heldBack = resultsAfter([...outage, released("o1"), submit("o1"), tick(66_000)]);
    expect(heldBack).toEqual(before);
  });

  it.each([
    ["a card token that is not text", { type: "SubmitPayment", id: "x", orderId: "o1", method: "credit_card", token: 5 }],
    ["an unknown method", { type: "SubmitPayment", id: "x", orderId: "o1", method: "iou", token: "tok_visa" }],
    ["a release without a billing address", { type: "OrderReleased", id: "x", orderId: "o1", userId: "u1", totalCents: 1, currency: "USD" }],
    ["a release with a negative amount", { type: "OrderReleased", id: "x", orderId: "o1", userId: "u1", totalCents: -1, currency: "USD", billingAddress: home }],
    ["no order id", { type: "RefundRequested", id: "x" }],
    ["a call result with an unknown outcome", { type: "StripeCallCompleted", id: "x", at: 1, outcome: "maybe" }],
    ["a tick without a time", { type: "ClockTicked", id: "x", at: null }],
  ])("ignores, without throwing, %s", (_why, e) => {
    const s0 = payment.initialState();
    expect(payment.handle(deepFreeze(s0), deepFreeze(e as unknown as PaymentInbound)).state).toBe(s0);
  });
});

describe("Stripe circuit breaker", () => {
  const call = (b: Breaker, n: number, at: number, outcome: "success" | "failure") => recordCall(deepFreeze(b), { id: `call-${n}`, at, outcome });
  const failures = (n: number, from = 1): Breaker => {
    let b = closedBreaker();
    for (let i = 0; i < n; i++) b = call(b, from + i, (from + i) * 1000, "failure");
    return b;
  };

  it("opens after five consecutive failures, not four", () => {
    expect(failures(4).state).toBe("closed");
    const b = failures(5);
    expect(b).toMatchObject({ state: "open", openedAt: 5000 });
    expect(allowsRequest(b)).toBe(false);
  });

  it("a success resets the consecutive failures", () => {
    let b = failures(4);
    b = call(b, 5, 5000, "success");
    b = call(b, 6, 6000, "failure");
    expect(b).toMatchObject({ state: "closed", failures: 1 });
  });

  it("refuses calls while open and goes half open once 60 s have passed", () => {
    let b = failures(5);
    b = call(b, 6, 64_999, "success");
    expect(b).toMatchObject({ state: "open", refused: 1 });
    expect(stuckOpen(b)).toBe(false);
    b = advanceClock(deepFreeze(b), 65_000);
    expect(b.state).toBe("half_open");
    expect(allowsRequest(b)).toBe(true);
  });

  it("closes after three successes while half open; a failure reopens it", () => {
    let b = advanceClock(failures(5), 70_000);
    b = call(b, 6, 70_001, "success");
    b = call(b, 7, 70_002, "success");
    expect(b.state).toBe("half_open");
    expect(call(b, 8, 70_003, "failure")).toMatchObject({ state: "open", openedAt: 70_003 });
    expect(call(b, 8, 70_003, "success")).toMatchObject({ state: "closed", failures: 0, openedAt: null });
  });

  it("lets at most ten trial calls through while half open", () => {
    // successThreshold above maxRequests, so only the trial limit can stop the calls.
    const config = { failureThreshold: 1, successThreshold: 20, timeoutMs: 10, maxRequests: 10 };
    let b = recordCall(closedBreaker(), { id: "c1", at: 1, outcome: "failure" }, config);
    b = advanceClock(b, 100, config);
    for (let i = 0; i < 12; i++) b = recordCall(b, { id: `c${2 + i}`, at: 101 + i, outcome: "success" }, config);
    expect(b).toMatchObject({ state: "half_open", trials: 10, successes: 10, refused: 2 });
  });

  it("ignores a result it has applied already, and time going backwards", () => {
    const b = failures(3);
    expect(call(b, 3, 9000, "failure")).toBe(b);
    expect(call(b, 1, 9000, "failure")).toBe(b);
    expect(advanceClock(b, 10)).toBe(b);
  });
});

describe("shipping handler", () => {
  const ship = (orderId: string): ShippingInbound => ({ type: "ShipOrder", id: `${orderId}:ShipOrder`, orderId, items: [{ productId: "p1", quantity: 1 }], address: home });
  const parcel = (orderId: string): ShippingInbound => ({ type: "ParcelDelivered", id: `parcel-${orderId}`, orderId });
  const sh = (s: ShippingState, id: string) => s.shipments[id]!;

  it("dispatches on request to the order's address and reports delivery when the carrier confirms", () => {
    const { state, emit } = applyAll(shipping, shipping.initialState(), [ship("o1"), ship("o1"), parcel("o1"), parcel("o1")]);
    expect(sh(state, "o1")).toMatchObject({ status: "delivered", trackingNumber: "TRK-o1", address: home });
    expect(emit).toEqual([
      { type: "ShipmentDispatched", id: "o1:ShipmentDispatched", orderId: "o1", shipmentId: "shp-o1", trackingNumber: "TRK-o1" },
      { type: "ShipmentDelivered", id: "o1:ShipmentDelivered", orderId: "o1", shipmentId: "shp-o1" },
    ]);
  });

  it("keeps a delivery confirmation that overtakes the request: same end, same emissions", () => {
    const a = applyAll(shipping, shipping.initialState(), [ship("o1"), parcel("o1")]);
    const b = applyAll(shipping, shipping.initialState(), [parcel("o1"), ship("o1")]);
    expect(b.state).toEqual(a.state);
    expect(b.emit).toEqual(a.emit);
    expect(sh(applyAll(shipping, shipping.initialState(), [parcel("o1")]).state, "o1").status).toBe("pending");
  });

  it.each([
    ["no address", { items: [{ productId: "p1", quantity: 1 }] }],
    ["a null line", { items: [null], address: home }],
    ["no lines", { items: [], address: home }],
  ])("ignores, without throwing, a shipment request with %s", (_why, extra) => {
    const s0 = shipping.initialState();
    const bad = { type: "ShipOrder", id: "x", orderId: "o1", ...extra } as unknown as ShippingInbound;
    expect(shipping.handle(deepFreeze(s0), deepFreeze(bad)).state).toBe(s0);
  });
});

describe("user and catalog handlers (versioned, last writer wins per field)", () => {
  it("applies user updates in any order to the same result", () => {
    const events = [
      { type: "RegisterUser", id: "r1", userId: "u1", version: 1, name: "Ada", email: "ada@example.com", role: "customer" },
      { type: "ChangeUserStatus", id: "s2", userId: "u1", version: 2, status: "suspended" },
      { type: "ChangeUserStatus", id: "s3", userId: "u1", version: 3, status: "active" },
    ] as const;
    const forward = applyAll(user, user.initialState(), [...events]).state;
    const backward = applyAll(user, user.initialState(), [...events].reverse()).state;
    expect(backward).toEqual(forward);
    expect(forward.users["u1"]).toMatchObject({ name: { value: "Ada" }, status: { value: "active", version: 3 } });
    const stale = applyAll(user, user.initialState(), [events[0], events[1]]).state;
    expect(stale.users["u1"]!.status).toEqual({ value: "suspended", version: 2 });
  });

  it("rejects unknown roles and statuses", () => {
    const s0 = user.initialState();
    const bad = { type: "ChangeUserStatus", id: "x", userId: "u1", version: 1, status: "banned" } as never;
    expect(user.handle(deepFreeze(s0), bad).state).toBe(s0);
  });

  it("applies catalog updates in any order to the same result", () => {
    const events = [
      { type: "AddProduct", id: "a1", productId: "p1", version: 1, name: "Lamp", sku: "SKU-P1", priceCents: 2500, currency: "EUR" },
      { type: "ChangeProductPrice", id: "c2", productId: "p1", version: 2, priceCents: 2200 },
      { type: "ChangeProductStatus", id: "c3", productId: "p1", version: 3, status: "discontinued" },
    ] as const;
    const forward = applyAll(catalog, catalog.initialState(), [...events]).state;
    const backward = applyAll(catalog, catalog.initialState(), [...events].reverse()).state;
    expect(backward).toEqual(forward);
    expect(forward.products["p1"]).toMatchObject({
      priceCents: { value: 2200, version: 2 },
      currency: { value: "EUR" },
      status: { value: "discontinued" },
    });
  });
});
