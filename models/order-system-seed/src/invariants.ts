// The same correctness claims as the reference system's (models/order-system/src/invariants.ts),
// over the seed's state shapes. The seed's inventory does not record which order holds a
// reservation, so a leak is found by comparing what is reserved with what live orders hold.
import { stuckOpen } from "./order/circuit-breaker.js";
import type { OrderState } from "./order/handler.js";
import type { InventoryState } from "./inventory/handler.js";

interface States {
  order?: OrderState;
  inventory?: InventoryState;
}

type Predicate = (states: Record<string, unknown>) => true | string;
const view = (s: Record<string, unknown>): States => s as States;
const sorted = <T>(table: Record<string, T>): T[] => Object.keys(table).sort().map((k) => table[k]!);

function first(messages: (string | null)[]): true | string {
  return messages.find((m) => m !== null) ?? true;
}

export const invariants: Record<string, Predicate> = {
  stockNeverNegative: (s) => {
    const inv = view(s).inventory;
    if (!inv) return true;
    return first(
      sorted(inv.inventory).map((i) =>
        i.quantity < 0 || i.reserved < 0 || i.available < 0
          ? `stock of ${i.productId}: quantity ${i.quantity}, reserved ${i.reserved}, available ${i.available}`
          : null,
      ),
    );
  },
  reservedNeverAboveQuantity: (s) => {
    const inv = view(s).inventory;
    if (!inv) return true;
    return first(sorted(inv.inventory).map((i) => (i.reserved > i.quantity ? `stock of ${i.productId}: reserved ${i.reserved} > quantity ${i.quantity}` : null)));
  },
};

export const outcomes: Record<string, Predicate> = {
  noReservationForCancelledOrUnknownOrder: (s) => {
    const { order, inventory } = view(s);
    if (!order || !inventory) return true;
    const live = new Map<string, number>();
    const heldByCancelled = new Map<string, string[]>();
    for (const o of sorted(order.orders)) {
      if (o.status === "cancelled") {
        for (const item of o.items) heldByCancelled.set(item.productId, [...(heldByCancelled.get(item.productId) ?? []), o.id]);
        continue;
      }
      // A live order holds the lines its reservation loop got through.
      for (const item of o.items.slice(0, Math.max(0, o.reserving))) {
        live.set(item.productId, (live.get(item.productId) ?? 0) + item.quantity);
      }
    }
    return first(
      sorted(inventory.inventory).map((i) => {
        const expected = live.get(i.productId) ?? 0;
        if (i.reserved <= expected) return null;
        const suspects = heldByCancelled.get(i.productId);
        return `${i.reserved - expected} unit(s) of ${i.productId} reserved for no live order${suspects ? ` (cancelled: ${suspects.join(", ")})` : ""}`;
      }),
    );
  },
  everyOrderDeliveredCancelledOrRefunded: (s) => {
    const order = view(s).order;
    if (!order) return true;
    return first(sorted(order.orders).map((o) => (["delivered", "cancelled", "refunded"].includes(o.status) ? null : `order ${o.id} is stuck ${o.status}`)));
  },
  breakerRecovers: (s) => {
    const order = view(s).order;
    if (!order) return true;
    return first(
      sorted(order.breakers).map((b) =>
        stuckOpen(b) ? `the circuit breaker of ${b.service} opened at ${b.openedAt} ms and still refuses calls at ${b.now} ms, past its 60 s timeout` : null,
      ),
    );
  },
};
