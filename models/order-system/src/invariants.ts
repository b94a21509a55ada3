// The order system's correctness claims, as predicates over the states of all
// services (keyed by service name). Each returns true when it holds and a
// message naming the culprit when it is broken. A service missing from the
// map (a smaller spec) makes its predicates vacuously true.
//
// `invariants` must hold in every reachable state; `outcomes` whenever nothing
// is in flight (quiescence).
import type { InventoryState } from "./inventory/handler.js";
import { cancelReason, isCancelled } from "./order/model.js";
import type { OrderState } from "./order/model.js";
import { stuckOpen } from "./payment/circuit-breaker.js";
import type { PaymentState } from "./payment/handler.js";
import type { ShippingState } from "./shipping/handler.js";
import { lookup } from "./shared/records.js";

interface States {
  order?: OrderState;
  inventory?: InventoryState;
  payment?: PaymentState;
  shipping?: ShippingState;
}

type Verdict = true | string;
type Predicate = (states: Record<string, unknown>) => Verdict;

const view = (s: Record<string, unknown>): States => s as States;
const values = <T>(table: Readonly<Record<string, T>>): T[] => Object.keys(table).sort().map((k) => table[k]!);

/** The first failure message of a list of checks, or true. */
function firstFailure(messages: Iterable<string | null>): Verdict {
  for (const m of messages) if (m !== null) return m;
  return true;
}

function* stockProblems(inv: InventoryState | undefined, test: (quantity: number, reserved: number, available: number) => string | null) {
  if (!inv) return;
  for (const l of values(inv.stock)) {
    const problem = test(l.quantity, l.reserved, l.available);
    yield problem === null ? null : `stock of ${l.productId}: ${problem}`;
  }
}

export const invariants: Record<string, Predicate> = {
  stockNeverNegative: (s) =>
    firstFailure(
      stockProblems(view(s).inventory, (q, r, a) =>
        q < 0 || r < 0 || a < 0 ? `quantity ${q}, reserved ${r}, available ${a}: a count is negative` : null,
      ),
    ),

  reservedNeverAboveQuantity: (s) =>
    firstFailure(
      stockProblems(view(s).inventory, (q, r, a) =>
        r > q ? `reserved ${r} is above quantity ${q}` : a !== q - r ? `available ${a} is not quantity ${q} - reserved ${r}` : null,
      ),
    ),

  /** What the stock says is reserved is exactly what the held reservations hold. */
  reservationsAddUp: (s) => {
    const inv = view(s).inventory;
    if (!inv) return true;
    const held = new Map<string, number>();
    for (const r of values(inv.reservations)) {
      if (r.status !== "reserved") continue;
      for (const l of r.items) held.set(l.productId, (held.get(l.productId) ?? 0) + l.quantity);
    }
    return firstFailure(
      values(inv.stock).map((l) =>
        l.reserved !== (held.get(l.productId) ?? 0)
          ? `stock of ${l.productId} says ${l.reserved} reserved, the reservations hold ${held.get(l.productId) ?? 0}`
          : null,
      ),
    );
  },

  paymentAmountEqualsOrderTotal: (s) => {
    const { order, payment } = view(s);
    if (!order || !payment) return true;
    return firstFailure(
      values(payment.payments).map((p) => {
        if (p.amountCents === null) return null;
        const o = lookup(order.orders, p.orderId);
        if (!o) return null;
        return p.amountCents === o.totalCents ? null : `payment ${p.id} is for ${p.amountCents} cents, order ${o.id} totals ${o.totalCents}`;
      }),
    );
  },

  noOrderShippedAndCancelled: (s) => {
    const { order, shipping } = view(s);
    const problems: (string | null)[] = [];
    if (order) {
      for (const o of values(order.orders)) {
        if ((o.facts.dispatched || o.facts.delivered) && isCancelled(o.facts)) problems.push(`order ${o.id} is both shipped and cancelled`);
      }
      if (shipping) {
        for (const sh of values(shipping.shipments)) {
          if (!sh.requested) continue;
          const o = lookup(order.orders, sh.orderId);
          if (o && isCancelled(o.facts)) problems.push(`shipment ${sh.id} left for order ${o.id}, which is ${o.status}`);
        }
      }
    }
    return firstFailure(problems);
  },

  /** Money is taken only for an order that can no longer be cancelled: a charged payment never belongs to a cancelled order. */
  noCancelledOrderCharged: (s) => {
    const { order, payment } = view(s);
    if (!order || !payment) return true;
    return firstFailure(
      values(payment.payments).map((p) => {
        if (p.status !== "completed" && p.status !== "refunded") return null;
        const o = lookup(order.orders, p.orderId);
        return o && isCancelled(o.facts) ? `payment ${p.id} charged order ${o.id}, which is ${o.status} (${cancelReason(o.facts) ?? "cancelled"})` : null;
      }),
    );
  },
};

const SETTLED = new Set(["delivered", "cancelled", "refunded"]);

export const outcomes: Record<string, Predicate> = {
  noReservationForCancelledOrUnknownOrder: (s) => {
    const { order, inventory } = view(s);
    if (!order || !inventory) return true;
    return firstFailure(
      values(inventory.reservations).map((r) => {
        if (r.status !== "reserved") return null;
        const o = lookup(order.orders, r.orderId);
        if (!o) return `stock is reserved for order ${r.orderId}, which the order service does not know`;
        return isCancelled(o.facts) ? `stock is still reserved for order ${o.id}, which is ${o.status}` : null;
      }),
    );
  },

  everyOrderDeliveredCancelledOrRefunded: (s) => {
    const order = view(s).order;
    if (!order) return true;
    return firstFailure(
      values(order.orders).map((o) => {
        if (!SETTLED.has(o.status)) return `order ${o.id} is stuck ${o.status}`;
        return o.facts.returnRequested && o.facts.delivered && !o.facts.refunded ? `order ${o.id} came back and was never refunded` : null;
      }),
    );
  },

  /** Money taken for an order that was cancelled has been given back. */
  noChargeKeptForCancelledOrder: (s) => {
    const { order, payment } = view(s);
    if (!order || !payment) return true;
    return firstFailure(
      values(payment.payments).map((p) => {
        const o = lookup(order.orders, p.orderId);
        return o && isCancelled(o.facts) && p.status === "completed" ? `payment ${p.id} keeps the money of cancelled order ${o.id}` : null;
      }),
    );
  },

  stripeBreakerRecovers: (s) => {
    const payment = view(s).payment;
    if (!payment) return true;
    const b = payment.stripe;
    return stuckOpen(b)
      ? `the Stripe circuit breaker opened at ${b.openedAt} ms and still refuses calls at ${b.now} ms, past its 60 s timeout`
      : true;
  },
};
