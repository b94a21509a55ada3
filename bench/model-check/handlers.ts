// The consumer of orders.pml (same folder) as an archverify handler: one record per order;
// OrderCreated (OC), PaymentCompleted (PC), InventoryReserved (IR).
// SAFE: every handler sets a flag (idempotent and commutative). BUG: OC "creates" the record
// by overwriting it (paid = false, reserved = 0), so OC does not commute with PC and IR.
export interface OrderRecord {
  exists: boolean;
  paid: boolean;
  reserved: number;
}
export type ConsumerState = Record<string, OrderRecord>;
export interface OrderEvent {
  type: "OC" | "PC" | "IR";
  id: string;
  orderId: string;
}

const blank: OrderRecord = { exists: false, paid: false, reserved: 0 };

function consumer(bug: boolean) {
  return {
    initialState: (): ConsumerState => ({}),
    handle(state: ConsumerState, event: OrderEvent): { state: ConsumerState } {
      const cur = state[event.orderId] ?? blank;
      let next: OrderRecord;
      if (event.type === "OC") next = bug ? { exists: true, paid: false, reserved: 0 } : { ...cur, exists: true };
      else if (event.type === "PC") next = { ...cur, paid: true };
      else next = { ...cur, reserved: 1 };
      return { state: { ...state, [event.orderId]: next } };
    },
  };
}

export const safe = consumer(false);
export const bug = consumer(true);

/** orders.pml's final assertion: exists && paid && reserved == 1 for every order. */
export const outcomes = {
  everyOrderComplete: (s: Record<string, unknown>) => {
    const orders = s.consumer as ConsumerState;
    const broken = Object.entries(orders).find(([, r]) => !(r.exists && r.paid && r.reserved === 1));
    return broken ? `order ${broken[0]} ends as ${JSON.stringify(broken[1])}` : true;
  },
};
