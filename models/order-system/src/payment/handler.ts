// The payment service: one payment per order, charged through Stripe behind
// the circuit breaker of its Stripe client.
//
// A payment is a set of facts that only grow: the customer's card
// (SubmitPayment, through the gateway), the amount due and the billing address
// (OrderReleased: the order can no longer be cancelled), and a return
// (RefundRequested). The actions follow from the facts whatever their arrival
// order:
//   released and card known   -> charge (Stripe's verdict on the token)
//   charged and refund asked  -> refund
// The payment service hears of an order only once it is released, so it never
// charges an order that may still be cancelled, and nothing it charged is ever
// cancelled: money is only given back for a return.
//
// Every Stripe call goes through the breaker: while it refuses calls, a due
// charge or refund waits (status `processing`, or `completed` with the refund
// pending) and is made as soon as the breaker lets calls through again (a clock
// tick past its timeout, or a call result). The result of each call made here
// is published on `stripe-calls`, the breaker's one ordered input, like the
// results of the client's other calls. The ids of all emissions derive from
// the order id, so every schedule emits the same events.
import type {
  Address,
  PaymentCaptured,
  PaymentFailed,
  PaymentInbound,
  PaymentMethod,
  PaymentRefunded,
  Step,
  StripeCallCompleted,
} from "../shared/events.js";
import { addressProblem, copyAddress } from "../shared/address.js";
import { isCents, isText, lookup, put, type Table } from "../shared/records.js";
import { allowsRequest, closedBreaker, recordCall, advanceClock, type Breaker } from "./circuit-breaker.js";

export type PaymentStatus = "pending" | "processing" | "completed" | "failed" | "refunded";

export interface Payment {
  id: string;
  orderId: string;
  amountCents: number | null;
  currency: string | null;
  billing: Address | null;
  method: PaymentMethod | null;
  token: string | null;
  /** The order was released: it is to be charged. */
  released: boolean;
  /** The delivered order came back: its charge is to be refunded. */
  refundRequested: boolean;
  /** pending: not released yet; processing: released, waiting for the card or for Stripe; then completed, failed or refunded. */
  status: PaymentStatus;
  failureReason: string | null;
}

export interface PaymentState {
  payments: Table<Payment>;
  stripe: Breaker;
}

export type PaymentEmission = PaymentCaptured | PaymentFailed | PaymentRefunded | StripeCallCompleted;
type Result = Step<PaymentState, PaymentEmission>;

const METHODS: readonly string[] = ["credit_card", "debit_card", "paypal", "bank_transfer", "crypto"];

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
    billing: null,
    method: null,
    token: null,
    released: false,
    refundRequested: false,
    status: "pending",
    failureReason: null,
  };
}

/** The published result of a Stripe call made for this payment (a declined card is a call that worked). */
function callResult(p: Payment, call: "charge" | "refund", stripe: Breaker): StripeCallCompleted {
  return { type: "StripeCallCompleted", id: `${p.orderId}:stripe:${call}`, at: stripe.now, outcome: "success" };
}

/** Takes every action the payment's facts call for and the breaker allows, in order. */
function settle(p: Payment, stripe: Breaker): { payment: Payment; emit: PaymentEmission[] } {
  const emit: PaymentEmission[] = [];
  let cur = p;
  if ((cur.status === "pending" || cur.status === "processing") && cur.released) {
    if (cur.token === null || !allowsRequest(stripe)) {
      cur = cur.status === "processing" ? cur : { ...cur, status: "processing" };
    } else if (declined(cur.token)) {
      cur = { ...cur, status: "failed", failureReason: "card declined" };
      emit.push(
        { type: "PaymentFailed", id: `${cur.orderId}:PaymentFailed`, orderId: cur.orderId, paymentId: cur.id, reason: "card declined" },
        callResult(cur, "charge", stripe),
      );
    } else {
      cur = { ...cur, status: "completed" };
      emit.push(
        { type: "PaymentCaptured", id: `${cur.orderId}:PaymentCaptured`, orderId: cur.orderId, paymentId: cur.id, amountCents: cur.amountCents! },
        callResult(cur, "charge", stripe),
      );
    }
  }
  if (cur.status === "completed" && cur.refundRequested && allowsRequest(stripe)) {
    cur = { ...cur, status: "refunded" };
    emit.push(
      { type: "PaymentRefunded", id: `${cur.orderId}:PaymentRefunded`, orderId: cur.orderId, paymentId: cur.id, amountCents: cur.amountCents! },
      callResult(cur, "refund", stripe),
    );
  }
  return { payment: cur, emit };
}

function update(state: PaymentState, orderId: unknown, learn: (p: Payment) => Payment): Result {
  if (!isText(orderId)) return { state };
  const before = lookup(state.payments, orderId) ?? blank(orderId);
  const learnt = learn(before);
  if (learnt === before) return { state };
  const { payment, emit } = settle(learnt, state.stripe);
  return { state: { ...state, payments: put(state.payments, orderId, payment) }, emit };
}

/** A new breaker state; the charges and refunds it was holding back are made if it now lets calls through. */
function withBreaker(state: PaymentState, stripe: Breaker): Result {
  if (stripe === state.stripe) return { state };
  let payments = state.payments;
  const emit: PaymentEmission[] = [];
  for (const orderId of Object.keys(payments).sort()) {
    const p = payments[orderId]!;
    const { payment, emit: more } = settle(p, stripe);
    if (payment !== p) payments = put(payments, orderId, payment);
    emit.push(...more);
  }
  return { state: { payments, stripe }, emit };
}

export const payment = {
  initialState: (): PaymentState => ({ payments: {}, stripe: closedBreaker() }),

  handle(state: PaymentState, event: PaymentInbound): Result {
    switch (event.type) {
      case "OrderReleased":
        if (!isCents(event.totalCents) || addressProblem(event.billingAddress) !== null) return { state };
        return update(state, event.orderId, (p) =>
          p.released
            ? p
            : { ...p, released: true, amountCents: event.totalCents, currency: String(event.currency), billing: copyAddress(event.billingAddress) },
        );
      case "RefundRequested":
        return update(state, event.orderId, (p) => (p.refundRequested ? p : { ...p, refundRequested: true }));
      case "SubmitPayment":
        if (!isText(event.token) || !METHODS.includes(event.method)) return { state };
        return update(state, event.orderId, (p) => (p.token === null ? { ...p, method: event.method, token: event.token } : p));
      case "StripeCallCompleted":
        return withBreaker(state, recordCall(state.stripe, event));
      case "ClockTicked":
        return withBreaker(state, advanceClock(state.stripe, event.at));
      default:
        return { state };
    }
  },
};
