// The payment service: one payment per order, charged through Stripe, and the
// circuit breaker of its Stripe client.
//
// A payment is a set of facts that only grow: the amount due (from the order's
// OrderPlaced), the customer's card (SubmitPayment, through the gateway) and
// whether the order was cancelled (OrderCancelled). The actions follow from
// the facts whatever their arrival order:
//   amount and card known, still pending  -> charge (Stripe's verdict on the token)
//   charged and order cancelled           -> refund
// So a cancellation racing the payment always ends the same way: the charge
// (if it happens at all) is refunded. The ids of the results derive from the
// order id, so every schedule emits the same events.
import type {
  PaymentCaptured,
  PaymentFailed,
  PaymentInbound,
  PaymentMethod,
  PaymentRefunded,
  Step,
} from "../shared/events.js";
import { isCents, lookup, put, type Table } from "../shared/records.js";
import { closedBreaker, recordCall, advanceClock, type Breaker } from "./circuit-breaker.js";

export type PaymentStatus = "pending" | "processing" | "completed" | "failed" | "refunded";

export interface Payment {
  id: string;
  orderId: string;
  amountCents: number | null;
  currency: string | null;
  method: PaymentMethod | null;
  token: string | null;
  status: PaymentStatus;
  orderCancelled: boolean;
  failureReason: string | null;
}

export interface PaymentState {
  payments: Table<Payment>;
  stripe: Breaker;
}

export type PaymentEmission = PaymentCaptured | PaymentFailed | PaymentRefunded;
type Result = Step<PaymentState, PaymentEmission>;

/** Stripe test tokens that are declined (https://docs.stripe.com/testing). */
export function declined(token: string): boolean {
  return token.startsWith("tok_chargeDeclined");
}

function blank(orderId: string): Payment {
  return {
    id: `pay-${orderId}`,
    orderId,
    amountCents: null,
    currency: null,
    method: null,
    token: null,
    status: "pending",
    orderCancelled: false,
    failureReason: null,
  };
}

/** Takes every action the payment's facts call for, in order. */
function settle(p: Payment): { payment: Payment; emit: PaymentEmission[] } {
  const emit: PaymentEmission[] = [];
  let cur = p;
  if (cur.status === "pending" && cur.amountCents !== null && cur.token !== null) {
    if (declined(cur.token)) {
      cur = { ...cur, status: "failed", failureReason: "card declined" };
      emit.push({ type: "PaymentFailed", id: `${cur.orderId}:PaymentFailed`, orderId: cur.orderId, paymentId: cur.id, reason: "card declined" });
    } else {
      cur = { ...cur, status: "completed" };
      emit.push({
        type: "PaymentCaptured",
        id: `${cur.orderId}:PaymentCaptured`,
        orderId: cur.orderId,
        paymentId: cur.id,
        amountCents: cur.amountCents!,
      });
    }
  }
  if (cur.status === "completed" && cur.orderCancelled) {
    cur = { ...cur, status: "refunded" };
    emit.push({
      type: "PaymentRefunded",
      id: `${cur.orderId}:PaymentRefunded`,
      orderId: cur.orderId,
      paymentId: cur.id,
      amountCents: cur.amountCents!,
    });
  }
  return { payment: cur, emit };
}

function update(state: PaymentState, orderId: string, learn: (p: Payment) => Payment): Result {
  const before = lookup(state.payments, orderId);
  const learnt = learn(before ?? blank(orderId));
  if (learnt === before) return { state };
  const { payment, emit } = settle(learnt);
  return { state: { ...state, payments: put(state.payments, orderId, payment) }, emit };
}

export const payment = {
  initialState: (): PaymentState => ({ payments: {}, stripe: closedBreaker() }),

  handle(state: PaymentState, event: PaymentInbound): Result {
    switch (event.type) {
      case "OrderPlaced":
        if (!isCents(event.totalCents)) return { state };
        return update(state, event.orderId, (p) =>
          p.amountCents === null ? { ...p, amountCents: event.totalCents, currency: event.currency } : p,
        );
      case "OrderCancelled":
        return update(state, event.orderId, (p) => (p.orderCancelled ? p : { ...p, orderCancelled: true }));
      case "SubmitPayment":
        if (typeof event.token !== "string") return { state };
        return update(state, event.orderId, (p) => (p.token === null ? { ...p, method: event.method, token: event.token } : p));
      case "StripeCallCompleted": {
        const stripe = recordCall(state.stripe, event);
        return stripe === state.stripe ? { state } : { state: { ...state, stripe } };
      }
      case "ClockTicked": {
        const stripe = advanceClock(state.stripe, event.at);
        return stripe === state.stripe ? { state } : { state: { ...state, stripe } };
      }
      default:
        return { state };
    }
  },
};
