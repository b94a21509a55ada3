// The order aggregate: what the order service stores, and how an order's
// status follows from the facts it has learnt.
//
// Convergence: the status is never written by an event directly. Each event
// only adds a fact (facts only ever grow, and each has one value once known);
// the status and the milestones that trigger commands are functions of the
// facts. So any two schedules that deliver the same results end in the same
// record, whatever the order the results came in. The one decision that is
// not a join of facts, a customer's cancellation against the closing of the
// cancellation window, is taken in the order of the customer's request log
// (`order-requests`), which every schedule agrees on.
import type { Address, Currency } from "../shared/events.js";
import type { Table } from "../shared/records.js";

export type OrderStatus = "pending" | "confirmed" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded";

export interface OrderItem {
  productId: string;
  sku: string;
  quantity: number;
  unitPriceCents: number;
  totalPriceCents: number;
}

export interface OrderFacts {
  /** Why the order was refused when it was placed (customer not active, bad lines or addresses); then nothing was asked of anyone. */
  refused: string | null;
  stock: "awaiting" | "reserved" | "rejected";
  stockRejection: string | null;
  /** The scheduler's timer closed the cancellation window (a request of the log). */
  windowClosed: boolean;
  /** The customer's cancellation came, in the log, while the window was open: accepted. */
  cancelledByCustomer: boolean;
  /** The customer's cancellation came, in the log, after the window closed: refused. */
  cancelRefused: boolean;
  payment: "awaiting" | "captured" | "failed";
  paymentFailure: string | null;
  dispatched: boolean;
  delivered: boolean;
  /** The customer sent the order back (acted on once it is delivered). */
  returnRequested: boolean;
  refunded: boolean;
}

export interface Order {
  id: string;
  userId: string;
  items: OrderItem[];
  totalCents: number;
  currency: Currency;
  /** Where the parcel goes; null only for an order refused at placement. */
  shipping: Address | null;
  /** Who pays (passed to the card processor); null only for an order refused at placement. */
  billing: Address | null;
  /** Derived from `facts` by `deriveStatus` (stored for readers of the state). */
  status: OrderStatus;
  facts: OrderFacts;
  paymentId: string | null;
  shipmentId: string | null;
  trackingNumber: string | null;
}

/** A request of the log that came before its order's PlaceOrder (kept and applied, in log order, once the order exists). */
export interface EarlyRequest {
  id: string;
  kind: "cancel" | "windowClosed" | "return";
}

export interface OrderState {
  orders: Table<Order>;
  /** Requests for orders not placed yet (orderId -> requests in log order). */
  early: Table<readonly EarlyRequest[]>;
}

export const initialFacts: OrderFacts = {
  refused: null,
  stock: "awaiting",
  stockRejection: null,
  windowClosed: false,
  cancelledByCustomer: false,
  cancelRefused: false,
  payment: "awaiting",
  paymentFailure: null,
  dispatched: false,
  delivered: false,
  returnRequested: false,
  refunded: false,
};

export function isCancelled(f: OrderFacts): boolean {
  return f.refused !== null || f.cancelledByCustomer || f.stock === "rejected" || f.payment === "failed";
}

/** Stock secured and not cancelled: the order will be fulfilled unless the customer cancels in time or the charge fails. */
export function isConfirmed(f: OrderFacts): boolean {
  return f.stock === "reserved" && !isCancelled(f);
}

/** Confirmed and past its cancellation window: handed to payment (charge) and then to shipping. */
export function isReleased(f: OrderFacts): boolean {
  return isConfirmed(f) && f.windowClosed;
}

/** Released and paid: shipping is asked to dispatch. */
export function isReadyToShip(f: OrderFacts): boolean {
  return isReleased(f) && f.payment === "captured";
}

/** Delivered and sent back: payment is asked to refund. */
export function isRefundDue(f: OrderFacts): boolean {
  return f.delivered && f.returnRequested;
}

/** Why a cancelled order was cancelled; the first applicable reason in a fixed
 * priority, so the answer does not depend on which fact arrived first. */
export function cancelReason(f: OrderFacts): string | null {
  if (f.refused !== null) return f.refused;
  if (f.cancelledByCustomer) return "cancelled by the customer";
  if (f.stock === "rejected") return f.stockRejection ?? "stock rejected";
  if (f.payment === "failed") return f.paymentFailure ?? "payment failed";
  return null;
}

export function deriveStatus(f: OrderFacts): OrderStatus {
  if (f.refunded) return "refunded";
  if (f.delivered) return "delivered";
  if (f.dispatched) return "shipped";
  if (isCancelled(f)) return "cancelled";
  if (isReleased(f)) return "processing";
  if (isConfirmed(f)) return "confirmed";
  return "pending";
}

export function withFacts(order: Order, facts: OrderFacts): Order {
  return { ...order, facts, status: deriveStatus(facts) };
}
