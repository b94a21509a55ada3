// The order aggregate: what the order service stores, and how an order's
// status follows from the facts it has learnt.
//
// Convergence: the status is never written by an event directly. Each event
// only adds a fact (facts only ever grow, and each has one value once known);
// the status and the milestones that trigger commands are functions of the
// facts. So any two schedules that deliver the same results end in the same
// record, whatever the order the results came in.
import type { Currency } from "../shared/events.js";
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
  /** Why the order was refused when it was placed (customer not active, bad lines); then nothing was reserved or announced. */
  refused: string | null;
  stock: "awaiting" | "reserved" | "rejected";
  stockRejection: string | null;
  payment: "awaiting" | "captured" | "failed";
  paymentFailure: string | null;
  refunded: boolean;
  /** The customer's cancellation arrived while the order could still be cancelled. */
  cancelledByCustomer: boolean;
  /** The customer's cancellation arrived after the order was confirmed: refused. */
  cancelRefused: boolean;
  dispatched: boolean;
  delivered: boolean;
}

export interface Order {
  id: string;
  userId: string;
  items: OrderItem[];
  totalCents: number;
  currency: Currency;
  /** Derived from `facts` by `deriveStatus` (stored for readers of the state). */
  status: OrderStatus;
  facts: OrderFacts;
  paymentId: string | null;
  shipmentId: string | null;
  trackingNumber: string | null;
}

export interface OrderState {
  orders: Table<Order>;
  /** Cancellations that arrived before their order (orderId -> reason). */
  earlyCancels: Table<string>;
}

export const initialFacts: OrderFacts = {
  refused: null,
  stock: "awaiting",
  stockRejection: null,
  payment: "awaiting",
  paymentFailure: null,
  refunded: false,
  cancelledByCustomer: false,
  cancelRefused: false,
  dispatched: false,
  delivered: false,
};

export function isCancelled(f: OrderFacts): boolean {
  return f.refused !== null || f.cancelledByCustomer || f.stock === "rejected" || f.payment === "failed";
}

/** Stock and money secured, and not cancelled: the order goes to shipping. */
export function isConfirmed(f: OrderFacts): boolean {
  return f.stock === "reserved" && f.payment === "captured" && !isCancelled(f);
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
  if (f.delivered) return "delivered";
  if (f.dispatched) return "shipped";
  if (f.refunded) return "refunded";
  if (isCancelled(f)) return "cancelled";
  if (isConfirmed(f)) return "confirmed";
  return "pending";
}

export function withFacts(order: Order, facts: OrderFacts): Order {
  return { ...order, facts, status: deriveStatus(facts) };
}
