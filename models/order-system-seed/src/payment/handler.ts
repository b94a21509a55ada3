// The seed's payment service. Order events reach it through the seed's
// OrderEventProcessor:
//
//     switch e := event.(type) {
//     case *OrderCreatedEvent: return p.handleOrderCreated(ctx, e)
//     default:                 return fmt.Errorf("unknown event type: %T", event)
//     }
//
// An error leaves the message unacknowledged, so the broker redelivers it, and
// the spec gives the topic no dead-letter bound: an event type the processor
// does not know comes back forever. (Where the seed is silent -- the user
// paying before the order event arrived -- this model takes the benign
// reading and keeps the payment request until the order is known.)
import type { OrderCreatedEvent, PaymentInbound, PaymentProcessed, PayOrder, Step } from "../shared/events.js";

export interface Payment {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
  status: "pending" | "processing" | "completed" | "failed" | "refunded";
  method: PayOrder["method"] | null;
}

export interface PaymentState {
  payments: Record<string, Payment>;
  /** Pay requests for orders not known yet. */
  requests: Record<string, PayOrder>;
}

type Result = Step<PaymentState, PaymentProcessed>;

function set<T>(table: Record<string, T>, key: string, value: T): Record<string, T> {
  const copy = { ...table };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function charge(state: PaymentState, p: Payment, req: PayOrder): Result {
  const status = req.token.startsWith("tok_chargeDeclined") ? "failed" : "completed";
  return {
    state: { ...state, payments: set(state.payments, p.orderId, { ...p, status, method: req.method }) },
    emit: [{ type: "PaymentProcessed", id: `${p.orderId}:payment`, orderId: p.orderId, paymentId: p.id, status }],
  };
}

function handleOrderCreated(state: PaymentState, e: OrderCreatedEvent): Result {
  if (own(state.payments, e.orderId)) return { state };
  const p: Payment = { id: `pay-${e.orderId}`, orderId: e.orderId, amount: e.totalAmount, currency: "USD", status: "pending", method: null };
  const req = own(state.requests, e.orderId);
  if (!req) return { state: { ...state, payments: set(state.payments, e.orderId, p) } };
  const requests = { ...state.requests };
  delete requests[e.orderId]; // a copy: the input state is untouched
  return charge({ payments: set(state.payments, e.orderId, p), requests }, p, req);
}

function pay(state: PaymentState, req: PayOrder): Result {
  const p = own(state.payments, req.orderId);
  if (!p) return own(state.requests, req.orderId) ? { state } : { state: { ...state, requests: set(state.requests, req.orderId, req) } };
  if (p.status !== "pending") return { state };
  return charge(state, p, req);
}

export const payment = {
  initialState: (): PaymentState => ({ payments: {}, requests: {} }),

  handle(state: PaymentState, event: PaymentInbound): Result {
    switch (event.type) {
      case "OrderCreatedEvent":
        return handleOrderCreated(state, event);
      case "PayOrder":
        return pay(state, event);
      default:
        throw new Error(`unknown event type: ${(event as { type: string }).type}`);
    }
  },
};
