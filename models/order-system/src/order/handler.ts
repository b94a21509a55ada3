// The order service: the saga that drives an order from placement to delivery,
// and its compensations. Consumes the `order-inbox` channel (requests from the
// gateway and the results of inventory, payment and shipping).
//
// Idempotence is natural: every event sets a fact that, once set, never
// changes, so a duplicate finds nothing to do and emits nothing (its effects
// were published with the first delivery, through the outbox).
// Commands are emitted on milestones (placed, cancelled, confirmed,
// dispatched), each reached at most once per order; their ids derive from the
// order id, so every schedule emits the same events with the same ids.
import type {
  CancelOrder,
  CommitStock,
  OrderCancelled,
  OrderInbound,
  OrderPlaced,
  PlaceOrder,
  ReleaseStock,
  ReserveStock,
  ShipOrder,
  Step,
  StockLine,
} from "../shared/events.js";
import { isCents, isCount, isText, lookup, put, remove } from "../shared/records.js";
import {
  cancelReason,
  initialFacts,
  isCancelled,
  isConfirmed,
  withFacts,
  type Order,
  type OrderFacts,
  type OrderItem,
  type OrderState,
} from "./model.js";

export type OrderEmission = ReserveStock | ReleaseStock | CommitStock | OrderPlaced | OrderCancelled | ShipOrder;
type Result = Step<OrderState, OrderEmission>;

const CURRENCIES = new Set(["USD", "EUR"]);

function stockLines(order: Order): StockLine[] {
  return order.items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
}

/** Why a placement must be refused, or null when it is acceptable. */
function refusal(e: PlaceOrder): string | null {
  if (e.customerStatus !== "active") return `customer ${e.userId} is ${e.customerStatus}`;
  if (!CURRENCIES.has(e.currency)) return `unsupported currency ${String(e.currency)}`;
  if (!Array.isArray(e.items) || e.items.length === 0) return "an order needs at least one item";
  for (const line of e.items) {
    if (!isText(line.productId)) return "an item has no product";
    if (!isCount(line.quantity)) return `quantity of ${line.productId} must be a positive whole number`;
    if (!isCents(line.unitPriceCents)) return `price of ${line.productId} must be a whole number of cents`;
  }
  const total = e.items.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  if (!isCents(total)) return "order total out of range";
  return null;
}

function place(state: OrderState, e: PlaceOrder): Result {
  if (lookup(state.orders, e.orderId)) return { state };
  const refused = refusal(e);
  const items: OrderItem[] =
    refused === null
      ? e.items.map((l) => ({
          productId: l.productId,
          sku: l.sku,
          quantity: l.quantity,
          unitPriceCents: l.unitPriceCents,
          totalPriceCents: l.quantity * l.unitPriceCents,
        }))
      : [];
  const early = lookup(state.earlyCancels, e.orderId);
  const facts: OrderFacts = { ...initialFacts, refused, cancelledByCustomer: early !== undefined };
  const order = withFacts(
    {
      id: e.orderId,
      userId: e.userId,
      items,
      totalCents: items.reduce((sum, i) => sum + i.totalPriceCents, 0),
      currency: refused === null ? e.currency : "USD",
      status: "pending",
      facts,
      paymentId: null,
      shipmentId: null,
      trackingNumber: null,
    },
    facts,
  );
  const earlyCancels = early === undefined ? state.earlyCancels : remove(state.earlyCancels, e.orderId);
  const next: OrderState = { orders: put(state.orders, e.orderId, order), earlyCancels };
  // A refused or already-cancelled order never reserves nor asks for money.
  if (isCancelled(facts)) return { state: next };
  return {
    state: next,
    emit: [
      { type: "ReserveStock", id: `${e.orderId}:ReserveStock`, orderId: e.orderId, items: stockLines(order) },
      {
        type: "OrderPlaced",
        id: `${e.orderId}:OrderPlaced`,
        orderId: e.orderId,
        userId: e.userId,
        totalCents: order.totalCents,
        currency: order.currency,
      },
    ],
  };
}

function cancel(state: OrderState, e: CancelOrder): Result {
  const order = lookup(state.orders, e.orderId);
  if (!order) {
    if (lookup(state.earlyCancels, e.orderId) !== undefined) return { state };
    return { state: { ...state, earlyCancels: put(state.earlyCancels, e.orderId, e.reason) } };
  }
  const f = order.facts;
  if (f.cancelledByCustomer || f.cancelRefused) return { state };
  // Once confirmed (stock and money secured, shipping asked) an order can no longer be cancelled.
  const refusedNow = isConfirmed(f) || f.dispatched || f.delivered;
  return advance(state, order, refusedNow ? { ...f, cancelRefused: true } : { ...f, cancelledByCustomer: true });
}

/** Records new facts of an order and emits the commands of every milestone they reach. */
function advance(state: OrderState, order: Order, facts: OrderFacts, patch: Partial<Order> = {}): Result {
  const before = order.facts;
  const next = withFacts({ ...order, ...patch }, facts);
  const emit: OrderEmission[] = [];
  const id = order.id;
  if (!isCancelled(before) && isCancelled(facts)) {
    // A rejected reservation holds nothing: only other cancellations need a release.
    if (facts.stock !== "rejected") emit.push({ type: "ReleaseStock", id: `${id}:ReleaseStock`, orderId: id });
    emit.push({ type: "OrderCancelled", id: `${id}:OrderCancelled`, orderId: id, reason: cancelReason(facts) ?? "cancelled" });
  }
  if (!isConfirmed(before) && isConfirmed(facts)) {
    emit.push({ type: "ShipOrder", id: `${id}:ShipOrder`, orderId: id, items: stockLines(order) });
  }
  if (!before.dispatched && facts.dispatched) {
    emit.push({ type: "CommitStock", id: `${id}:CommitStock`, orderId: id });
  }
  return { state: { ...state, orders: put(state.orders, id, next) }, emit };
}

/** Applies `learn` to the facts of a known order; unknown orders and known facts change nothing. */
function observe(
  state: OrderState,
  orderId: string,
  learn: (f: OrderFacts) => OrderFacts,
  patch: (o: Order) => Partial<Order> = () => ({}),
): Result {
  const order = lookup(state.orders, orderId);
  if (!order) return { state };
  const facts = learn(order.facts);
  if (facts === order.facts) return { state };
  return advance(state, order, facts, patch(order));
}

export const order = {
  initialState: (): OrderState => ({ orders: {}, earlyCancels: {} }),

  handle(state: OrderState, event: OrderInbound): Result {
    switch (event.type) {
      case "PlaceOrder":
        return place(state, event);
      case "CancelOrder":
        return cancel(state, event);
      case "StockReserved":
        return observe(state, event.orderId, (f) => (f.stock === "awaiting" ? { ...f, stock: "reserved" } : f));
      case "StockRejected":
        return observe(state, event.orderId, (f) =>
          f.stock === "awaiting" ? { ...f, stock: "rejected", stockRejection: event.reason } : f,
        );
      case "PaymentCaptured":
        return observe(
          state,
          event.orderId,
          (f) => (f.payment === "awaiting" ? { ...f, payment: "captured" } : f),
          () => ({ paymentId: event.paymentId }),
        );
      case "PaymentFailed":
        return observe(
          state,
          event.orderId,
          (f) => (f.payment === "awaiting" ? { ...f, payment: "failed", paymentFailure: event.reason } : f),
          () => ({ paymentId: event.paymentId }),
        );
      case "PaymentRefunded":
        return observe(state, event.orderId, (f) => (f.refunded ? f : { ...f, refunded: true }));
      case "ShipmentDispatched":
        return observe(
          state,
          event.orderId,
          (f) => (f.dispatched ? f : { ...f, dispatched: true }),
          () => ({ shipmentId: event.shipmentId, trackingNumber: event.trackingNumber }),
        );
      case "ShipmentDelivered":
        return observe(state, event.orderId, (f) => (f.delivered ? f : { ...f, delivered: true }));
      default:
        // Not an event of this service (another version of the topic, say): skip it, never throw.
        return { state };
    }
  },
};
