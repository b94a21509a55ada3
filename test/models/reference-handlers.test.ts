// Example-based tests of every handler of the reference order system, one at a
// time: the transitions of the flow, duplicates, early (reordered) events,
// refused inputs, and purity (inputs are frozen, so a mutation throws).
import { describe, expect, it } from "vitest";
import type {
  CancelOrder,
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

const place = (orderId: string, quantity = 1, extra: Partial<PlaceOrder> = {}): PlaceOrder => ({
  type: "PlaceOrder",
  id: `req-${orderId}`,
  orderId,
  userId: "u1",
  customerStatus: "active",
  currency: "USD",
  items: [{ productId: "p1", sku: "SKU-P1", quantity, unitPriceCents: 2500 }],
  ...extra,
});
const cancel = (orderId: string): CancelOrder => ({ type: "CancelOrder", id: `cancel-${orderId}`, orderId, reason: "changed my mind" });
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

describe("order handler", () => {
  it("places an order: records it pending with its total and asks inventory and payment", () => {
    const { state, emit } = applyAll(order, order.initialState(), [place("o1", 2)]);
    expect(orderOf(state, "o1")).toMatchObject({ status: "pending", totalCents: 5000, userId: "u1" });
    expect(emit).toEqual([
      { type: "ReserveStock", id: "o1:ReserveStock", orderId: "o1", items: [{ productId: "p1", quantity: 2 }] },
      { type: "OrderPlaced", id: "o1:OrderPlaced", orderId: "o1", userId: "u1", totalCents: 5000, currency: "USD" },
    ]);
  });

  it("drives the happy path to delivered, asking shipping once confirmed and committing stock once dispatched", () => {
    const { state, emit } = applyAll(order, order.initialState(), [place("o1"), reserved("o1"), captured("o1"), dispatched("o1"), delivered("o1")]);
    expect(orderOf(state, "o1").status).toBe("delivered");
    expect(orderOf(state, "o1").trackingNumber).toBe("TRK-o1");
    expect(types(emit)).toEqual(["ReserveStock", "OrderPlaced", "ShipOrder", "CommitStock"]);
  });

  it("confirms whichever of stock and payment arrives first", () => {
    const a = applyAll(order, order.initialState(), [place("o1"), reserved("o1"), captured("o1")]);
    const b = applyAll(order, order.initialState(), [place("o1"), captured("o1"), reserved("o1")]);
    expect(b.state).toEqual(a.state);
    expect(orderOf(a.state, "o1").status).toBe("confirmed");
    expect(types(b.emit)).toEqual(types(a.emit));
  });

  it("ignores every duplicate: same state, nothing emitted again", () => {
    const events = [place("o1"), reserved("o1"), captured("o1"), dispatched("o1"), delivered("o1")];
    let state = order.initialState();
    for (const e of events) {
      const once = order.handle(deepFreeze(state), deepFreeze(e));
      const twice = order.handle(deepFreeze(once.state), deepFreeze(e));
      expect(twice.state).toBe(once.state);
      expect(twice.emit ?? []).toEqual([]);
      state = once.state;
    }
  });

  it("cancels on a stock rejection and tells payment (a rejected reservation holds nothing to release)", () => {
    const { state, emit } = applyAll(order, order.initialState(), [place("o1"), rejected("o1")]);
    expect(orderOf(state, "o1")).toMatchObject({ status: "cancelled" });
    expect(emit.slice(2)).toEqual([{ type: "OrderCancelled", id: "o1:OrderCancelled", orderId: "o1", reason: "insufficient stock" }]);
  });

  it("cancels on a payment failure and releases the reservation", () => {
    const { state, emit } = applyAll(order, order.initialState(), [place("o1"), reserved("o1"), failed("o1")]);
    expect(orderOf(state, "o1").status).toBe("cancelled");
    expect(types(emit)).toEqual(["ReserveStock", "OrderPlaced", "ReleaseStock", "OrderCancelled"]);
  });

  it("ends in the same state whichever failure came first", () => {
    const a = applyAll(order, order.initialState(), [place("o1"), rejected("o1"), failed("o1")]);
    const b = applyAll(order, order.initialState(), [place("o1"), failed("o1"), rejected("o1")]);
    expect(a.state).toEqual(b.state);
    expect(orderOf(a.state, "o1").status).toBe("cancelled");
    // Only when the payment failure comes first is a release sent; inventory ignores it, as the
    // reservation was rejected (see the inventory tests).
    expect(types(a.emit)).toEqual(["ReserveStock", "OrderPlaced", "OrderCancelled"]);
    expect(types(b.emit)).toEqual(["ReserveStock", "OrderPlaced", "ReleaseStock", "OrderCancelled"]);
  });

  it("a customer cancellation of a pending order releases and cancels; the late capture ends refunded", () => {
    const { state, emit } = applyAll(order, order.initialState(), [place("o1"), cancel("o1"), reserved("o1"), captured("o1"), refunded("o1")]);
    expect(orderOf(state, "o1").status).toBe("refunded");
    // No shipment for a cancelled order, whatever arrives after the cancellation.
    expect(types(emit)).toEqual(["ReserveStock", "OrderPlaced", "ReleaseStock", "OrderCancelled"]);
  });

  it("refuses a cancellation once the order is confirmed", () => {
    const { state, emit } = applyAll(order, order.initialState(), [place("o1"), reserved("o1"), captured("o1"), cancel("o1")]);
    expect(orderOf(state, "o1")).toMatchObject({ status: "confirmed", facts: { cancelRefused: true, cancelledByCustomer: false } });
    expect(types(emit)).toEqual(["ReserveStock", "OrderPlaced", "ShipOrder"]);
  });

  it("keeps a cancellation that overtakes its order, and then neither reserves nor charges", () => {
    const { state, emit } = applyAll(order, order.initialState(), [cancel("o1"), place("o1")]);
    expect(orderOf(state, "o1").status).toBe("cancelled");
    expect(state.earlyCancels).toEqual({});
    expect(emit).toEqual([]);
  });

  it.each([
    ["an inactive customer", place("o1", 1, { customerStatus: "suspended" })],
    ["no items", place("o1", 1, { items: [] })],
    ["a zero quantity", place("o1", 0)],
    ["a fractional quantity", place("o1", 1.5)],
    ["a negative price", place("o1", 1, { items: [{ productId: "p1", sku: "S", quantity: 1, unitPriceCents: -1 }] })],
  ])("refuses an order with %s: cancelled at once, nothing asked of anyone", (_why, e) => {
    const { state, emit } = applyAll(order, order.initialState(), [e]);
    expect(orderOf(state, "o1").status).toBe("cancelled");
    expect(orderOf(state, "o1").facts.refused).not.toBeNull();
    expect(emit).toEqual([]);
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

  it("ignores bad receipts", () => {
    const { state } = applyAll(inventory, inventory.initialState(), [receive("p1", -3), receive("p1", 1.5)]);
    expect(state.stock).toEqual({});
  });
});

describe("payment handler", () => {
  const placed = (orderId: string, totalCents = 2500): PaymentInbound => ({ type: "OrderPlaced", id: `${orderId}:OrderPlaced`, orderId, userId: "u1", totalCents, currency: "USD" });
  const cancelled = (orderId: string): PaymentInbound => ({ type: "OrderCancelled", id: `${orderId}:OrderCancelled`, orderId, reason: "x" });
  const submit = (orderId: string, token = "tok_visa"): PaymentInbound => ({ type: "SubmitPayment", id: `pay-${orderId}`, orderId, method: "credit_card", token });
  const pay = (s: PaymentState, id: string) => s.payments[id]!;

  it("charges once both the amount and the card are known, in either order", () => {
    const a = applyAll(payment, payment.initialState(), [placed("o1"), submit("o1")]);
    const b = applyAll(payment, payment.initialState(), [submit("o1"), placed("o1")]);
    expect(a.state).toEqual(b.state);
    expect(pay(a.state, "o1")).toMatchObject({ status: "completed", amountCents: 2500 });
    expect(a.emit).toEqual([{ type: "PaymentCaptured", id: "o1:PaymentCaptured", orderId: "o1", paymentId: "pay-o1", amountCents: 2500 }]);
    expect(b.emit).toEqual(a.emit);
  });

  it("fails a declined card", () => {
    const { state, emit } = applyAll(payment, payment.initialState(), [placed("o1"), submit("o1", "tok_chargeDeclined")]);
    expect(pay(state, "o1").status).toBe("failed");
    expect(types(emit)).toEqual(["PaymentFailed"]);
  });

  it("refunds a capture of a cancelled order, whether the cancellation came before or after", () => {
    const orders = [
      [placed("o1"), submit("o1"), cancelled("o1")],
      [placed("o1"), cancelled("o1"), submit("o1")],
      [cancelled("o1"), submit("o1"), placed("o1")],
    ];
    const runs = orders.map((events) => applyAll(payment, payment.initialState(), events));
    for (const r of runs) {
      expect(pay(r.state, "o1").status).toBe("refunded");
      expect(types(r.emit)).toEqual(["PaymentCaptured", "PaymentRefunded"]);
      expect(r.state).toEqual(runs[0]!.state);
    }
  });

  it("a cancellation without a payment leaves nothing to refund", () => {
    const { state, emit } = applyAll(payment, payment.initialState(), [placed("o1"), cancelled("o1")]);
    expect(pay(state, "o1")).toMatchObject({ status: "pending", orderCancelled: true });
    expect(emit).toEqual([]);
  });

  it("ignores duplicates and a second card for the same order", () => {
    const { state, emit } = applyAll(payment, payment.initialState(), [placed("o1"), submit("o1"), submit("o1"), placed("o1", 9999), submit("o1", "tok_chargeDeclined")]);
    expect(pay(state, "o1")).toMatchObject({ status: "completed", amountCents: 2500, token: "tok_visa" });
    expect(types(emit)).toEqual(["PaymentCaptured"]);
  });

  it("feeds Stripe call results and ticks to the breaker", () => {
    const fail = (seq: number): PaymentInbound => ({ type: "StripeCallCompleted", id: `c${seq}`, seq, at: seq * 1000, outcome: "failure" });
    const { state } = applyAll(payment, payment.initialState(), [fail(1), fail(2), fail(3), fail(4), fail(5), { type: "ClockTicked", id: "t", at: 70_000 }]);
    expect(state.stripe.state).toBe("half_open");
  });
});

describe("Stripe circuit breaker", () => {
  const call = (b: Breaker, seq: number, at: number, outcome: "success" | "failure") => recordCall(deepFreeze(b), { seq, at, outcome });
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
    let b = recordCall(closedBreaker(), { seq: 1, at: 1, outcome: "failure" }, config);
    b = advanceClock(b, 100, config);
    for (let i = 0; i < 12; i++) b = recordCall(b, { seq: 2 + i, at: 101 + i, outcome: "success" }, config);
    expect(b).toMatchObject({ state: "half_open", trials: 10, successes: 10, refused: 2 });
  });

  it("ignores a repeated or older call number, and time going backwards", () => {
    const b = failures(3);
    expect(call(b, 3, 9000, "failure")).toBe(b);
    expect(advanceClock(b, 10)).toBe(b);
  });
});

describe("shipping handler", () => {
  const ship = (orderId: string): ShippingInbound => ({ type: "ShipOrder", id: `${orderId}:ShipOrder`, orderId, items: [{ productId: "p1", quantity: 1 }] });
  const parcel = (orderId: string): ShippingInbound => ({ type: "ParcelDelivered", id: `parcel-${orderId}`, orderId });
  const sh = (s: ShippingState, id: string) => s.shipments[id]!;

  it("dispatches on request and reports delivery when the carrier confirms", () => {
    const { state, emit } = applyAll(shipping, shipping.initialState(), [ship("o1"), ship("o1"), parcel("o1"), parcel("o1")]);
    expect(sh(state, "o1")).toMatchObject({ status: "delivered", trackingNumber: "TRK-o1" });
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
