// The 1-order model of orders.pml (SPIN) / orders-fc.mjs (fast-check), as
// archverify handlers: one consumer (`order`) of three events of one order,
// OrderCreated (OC), PaymentCompleted (PC), InventoryReserved (IR), on a channel
// that reorders and redelivers (ack lost) each message at most once.
// Variants (one spec file each): SAFE, BUG, BUG+DEDUP, COUNTER, COUNTER+DEDUP.

export type OrderEvent =
  | { type: "OrderCreated"; id: string; orderId: string }
  | { type: "PaymentCompleted"; id: string; orderId: string }
  | { type: "InventoryReserved"; id: string; orderId: string };

export interface OrderState {
  created: boolean;
  paid: boolean;
  reserved: number;
  /** Processed event ids (the inbox table of the DEDUP variants). */
  seen: Record<string, true>;
}

type Apply = (s: OrderState, e: OrderEvent) => OrderState;

const initialState = (): OrderState => ({ created: false, paid: false, reserved: 0, seen: {} });

/** Every handler a monotone "set flag": idempotent and commutative. */
const applySafe: Apply = (s, e) =>
  e.type === "OrderCreated" ? { ...s, created: true }
  : e.type === "PaymentCompleted" ? { ...s, paid: true }
  : { ...s, reserved: 1 };

/** "Create" overwrites the record: each handler idempotent, OC does not commute with PC/IR. */
const applyBug: Apply = (s, e) =>
  e.type === "OrderCreated" ? { ...s, created: true, paid: false, reserved: 0 }
  : e.type === "PaymentCompleted" ? { ...s, paid: true }
  : { ...s, reserved: 1 };

/** The reservation increments a counter: not idempotent. */
const applyCounter: Apply = (s, e) =>
  e.type === "OrderCreated" ? { ...s, created: true }
  : e.type === "PaymentCompleted" ? { ...s, paid: true }
  : { ...s, reserved: s.reserved + 1 };

/** An inbox table of processed event ids: skip an id seen before. */
const withDedup = (apply: Apply): Apply => (s, e) =>
  s.seen[e.id] ? s : { ...apply(s, e), seen: { ...s.seen, [e.id]: true } };

const handler = (apply: Apply) => ({
  initialState,
  handle: (state: OrderState, event: OrderEvent) => ({ state: apply(state, event) }),
});

export const safe = handler(applySafe);
export const bug = handler(applyBug);
export const bugDedup = handler(withDedup(applyBug));
export const counter = handler(applyCounter);
export const counterDedup = handler(withDedup(applyCounter));

/** orders.pml's final assertion: when nothing is in flight the order is complete. */
export const outcomes = {
  orderComplete: (s: Record<string, unknown>) => {
    const o = s.order as OrderState;
    return (o.created && o.paid && o.reserved === 1) || `order ended as created=${o.created} paid=${o.paid} reserved=${o.reserved}`;
  },
};
