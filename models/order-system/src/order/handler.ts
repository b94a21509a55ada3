// The order service: the saga that drives an order from placement to delivery,
// and its compensations. Consumes two channels: `order-requests`, the log of
// the customer's requests and the scheduler's timers (PlaceOrder, CancelOrder,
// CancellationWindowClosed, ReturnOrder), and `order-inbox`, the results of
// inventory, payment and shipping.
//
// Idempotence is natural: every event sets a fact that, once set, never
// changes, so a duplicate finds nothing to do and emits nothing (its effects
// were published with the first delivery, through the outbox).
// Commands are emitted on milestones (cancelled, released, ready to ship,
// dispatched, refund due), each reached at most once per order; their ids
// derive from the order id, so every schedule emits the same events with the
// same ids.
//
// Cancellation: accepted when it comes before the cancellation window closes
// in the request log, refused after. Both are requests of one log, so every
// schedule takes the same decision, however far the rest of the flow has got
// when the cancellation is handled (DESIGN.md).
import type {
  CommitStock,
  OrderInbound,
  OrderLine,
  OrderReleased,
  PlaceOrder,
  RefundRequested,
  ReleaseStock,
  ReserveStock,
  ShipOrder,
  Step,
  StockLine,
} from "../shared/events.js";
import { addressProblem, copyAddress } from "../shared/address.js";
import { isCents, isCount, isRecord, isText, lookup, put, remove } from "../shared/records.js";
import {
  initialFacts,
  isCancelled,
  isReadyToShip,
  isRefundDue,
  isReleased,
  withFacts,
  type EarlyRequest,
  type Order,
  type OrderFacts,
  type OrderItem,
  type OrderState,
} from "./model.js";

export type OrderEmission = ReserveStock | ReleaseStock | CommitStock | OrderReleased | RefundRequested | ShipOrder;
type Result = Step<OrderState, OrderEmission>;

const CURRENCIES = new Set(["USD", "EUR"]);

function stockLines(order: Order): StockLine[] {
  return order.items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
}

/** Why one line of a placement is unusable, or null. */
function lineProblem(line: unknown, index: number): string | null {
  if (!isRecord(line)) return `item ${index + 1} is not an order line`;
  if (!isText(line["productId"])) return `item ${index + 1} has no product`;
  const product = line["productId"];
  if (!isText(line["sku"])) return `item ${index + 1} (${product}) has no sku`;
  if (!isCount(line["quantity"])) return `quantity of ${product} must be a positive whole number`;
  if (!isCents(line["unitPriceCents"])) return `price of ${product} must be a whole number of cents`;
  if (!isCents(line["quantity"] * line["unitPriceCents"])) return `total of ${product} out of range`;
  return null;
}

/** Why a placement must be refused, or null when it is acceptable. Reads
 * nothing it has not checked: a malformed request is refused, never thrown on. */
function refusal(e: PlaceOrder): string | null {
  if (e.customerStatus !== "active") return `customer ${String(e.userId)} is ${String(e.customerStatus)}`;
  if (!isText(e.userId)) return "no customer";
  if (!CURRENCIES.has(e.currency)) return `unsupported currency ${String(e.currency)}`;
  const items: unknown = e.items;
  if (!Array.isArray(items) || items.length === 0) return "an order needs at least one item";
  for (const [i, line] of items.entries()) {
    const problem = lineProblem(line, i);
    if (problem !== null) return problem;
  }
  const total = (items as OrderLine[]).reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  if (!isCents(total)) return "order total out of range";
  const shipping = addressProblem(e.shippingAddress);
  if (shipping !== null) return `shipping address: ${shipping}`;
  const billing = addressProblem(e.billingAddress);
  if (billing !== null) return `billing address: ${billing}`;
  return null;
}

/** The facts after one request of the log. */
function afterRequest(f: OrderFacts, kind: EarlyRequest["kind"]): OrderFacts {
  switch (kind) {
    case "cancel": {
      // The first cancellation decides; a later one finds it decided.
      if (f.cancelledByCustomer || f.cancelRefused) return f;
      // Once the window has closed (earlier in the log) the order is released to fulfilment: refused.
      const refusedNow = f.windowClosed;
      return refusedNow ? { ...f, cancelRefused: true } : { ...f, cancelledByCustomer: true };
    }
    case "windowClosed":
      return f.windowClosed ? f : { ...f, windowClosed: true };
    case "return":
      return f.returnRequested ? f : { ...f, returnRequested: true };
  }
}

function place(state: OrderState, e: PlaceOrder): Result {
  if (!isText(e.orderId) || lookup(state.orders, e.orderId)) return { state };
  const refused = refusal(e);
  const ok = refused === null;
  const items: OrderItem[] = ok
    ? e.items.map((l) => ({
        productId: l.productId,
        sku: l.sku,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents,
        totalPriceCents: l.quantity * l.unitPriceCents,
      }))
    : [];
  const early = lookup(state.early, e.orderId) ?? [];
  const facts = early.reduce((f, r) => afterRequest(f, r.kind), { ...initialFacts, refused });
  const order = withFacts(
    {
      id: e.orderId,
      userId: isText(e.userId) ? e.userId : "",
      items,
      totalCents: items.reduce((sum, i) => sum + i.totalPriceCents, 0),
      currency: ok ? e.currency : "USD",
      shipping: ok ? copyAddress(e.shippingAddress) : null,
      billing: ok ? copyAddress(e.billingAddress) : null,
      status: "pending",
      facts,
      paymentId: null,
      shipmentId: null,
      trackingNumber: null,
    },
    facts,
  );
  const next: OrderState = { orders: put(state.orders, e.orderId, order), early: remove(state.early, e.orderId) };
  // A refused or already-cancelled order asks nothing of anyone.
  if (isCancelled(facts)) return { state: next };
  return { state: next, emit: [{ type: "ReserveStock", id: `${e.orderId}:ReserveStock`, orderId: e.orderId, items: stockLines(order) }] };
}

/** A request of the log (cancel, window closed, return) for an order. */
function request(state: OrderState, orderId: unknown, id: string, kind: EarlyRequest["kind"]): Result {
  if (!isText(orderId)) return { state };
  const order = lookup(state.orders, orderId);
  if (order) return observe(state, orderId, (f) => afterRequest(f, kind));
  // Before its order (only if the log was written out of order): kept, applied in log order at placement.
  const early = lookup(state.early, orderId) ?? [];
  if (early.some((r) => r.id === id)) return { state };
  return { state: { ...state, early: put(state.early, orderId, [...early, { id, kind }]) } };
}

/** Records new facts of an order and emits the commands of every milestone they reach. */
function advance(state: OrderState, order: Order, facts: OrderFacts, patch: Partial<Order> = {}): Result {
  const before = order.facts;
  const next = withFacts({ ...order, ...patch }, facts);
  const emit: OrderEmission[] = [];
  const id = order.id;
  // A rejected reservation holds nothing, and a refused order never asked for one: only other cancellations release.
  if (!isCancelled(before) && isCancelled(facts) && facts.stock !== "rejected") {
    emit.push({ type: "ReleaseStock", id: `${id}:ReleaseStock`, orderId: id });
  }
  if (!isReleased(before) && isReleased(facts)) {
    emit.push({
      type: "OrderReleased",
      id: `${id}:OrderReleased`,
      orderId: id,
      userId: order.userId,
      totalCents: order.totalCents,
      currency: order.currency,
      billingAddress: order.billing!,
    });
  }
  if (!isReadyToShip(before) && isReadyToShip(facts)) {
    emit.push({ type: "ShipOrder", id: `${id}:ShipOrder`, orderId: id, items: stockLines(order), address: order.shipping! });
  }
  if (!before.dispatched && facts.dispatched) {
    emit.push({ type: "CommitStock", id: `${id}:CommitStock`, orderId: id });
  }
  if (!isRefundDue(before) && isRefundDue(facts)) {
    emit.push({ type: "RefundRequested", id: `${id}:RefundRequested`, orderId: id, reason: "returned by the customer" });
  }
  return { state: { ...state, orders: put(state.orders, id, next) }, emit };
}

/** Applies `learn` to the facts of a known order; unknown orders and known facts change nothing. */
function observe(
  state: OrderState,
  orderId: unknown,
  learn: (f: OrderFacts) => OrderFacts,
  patch: (o: Order) => Partial<Order> = () => ({}),
): Result {
  if (!isText(orderId)) return { state };
  const order = lookup(state.orders, orderId);
  if (!order) return { state };
  const facts = learn(order.facts);
  if (facts === order.facts) return { state };
  return advance(state, order, facts, patch(order));
}

export const order = {
  initialState: (): OrderState => ({ orders: {}, early: {} }),

  handle(state: OrderState, event: OrderInbound): Result {
    switch (event.type) {
      case "PlaceOrder":
        return place(state, event);
      case "CancelOrder":
        return request(state, event.orderId, event.id, "cancel");
      case "CancellationWindowClosed":
        return request(state, event.orderId, event.id, "windowClosed");
      case "ReturnOrder":
        return request(state, event.orderId, event.id, "return");
      case "StockReserved":
        return observe(state, event.orderId, (f) => (f.stock === "awaiting" ? { ...f, stock: "reserved" } : f));
      case "StockRejected":
        return observe(state, event.orderId, (f) =>
          f.stock === "awaiting" ? { ...f, stock: "rejected", stockRejection: String(event.reason) } : f,
        );
      case "PaymentCaptured":
        return observe(
          state,
          event.orderId,
          (f) => (f.payment === "awaiting" ? { ...f, payment: "captured" } : f),
          () => ({ paymentId: String(event.paymentId) }),
        );
      case "PaymentFailed":
        return observe(
          state,
          event.orderId,
          (f) => (f.payment === "awaiting" ? { ...f, payment: "failed", paymentFailure: String(event.reason) } : f),
          () => ({ paymentId: String(event.paymentId) }),
        );
      case "PaymentRefunded":
        return observe(state, event.orderId, (f) => (f.refunded ? f : { ...f, refunded: true }));
      case "ShipmentDispatched":
        return observe(
          state,
          event.orderId,
          (f) => (f.dispatched ? f : { ...f, dispatched: true }),
          () => ({ shipmentId: String(event.shipmentId), trackingNumber: String(event.trackingNumber) }),
        );
      case "ShipmentDelivered":
        return observe(state, event.orderId, (f) => (f.delivered ? f : { ...f, delivered: true }));
      default:
        // Not an event of this service (another version of the topic, say): skip it, never throw.
        return { state };
    }
  },
};
