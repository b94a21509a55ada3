// The inventory service: stock levels per product and one reservation per
// order. Consumes `inventory-commands`, a totally ordered channel: allocating
// the last unit is first come, first served, so the order in which requests
// are decided must be agreed (see DESIGN.md); every other effect here is
// idempotent by construction.
//
// - ReserveStock reserves every line of the order or none (no partial
//   reservation can leak); the reservation is keyed by order id, so a
//   duplicate request finds it and does nothing.
// - ReleaseStock gives back what the order holds; if it overtakes its
//   reservation it leaves a tombstone, so the late request reserves nothing.
// - CommitStock turns the reservation into a deduction when goods ship.
// - StockReceived adds goods; it is not idempotent by nature, so receipts are
//   deduplicated by event id.
import type {
  CommitStock,
  InventoryInbound,
  ReleaseStock,
  ReserveStock,
  Step,
  StockLine,
  StockReceived,
  StockRejected,
  StockReserved,
} from "../shared/events.js";
import { isCount, isRecord, isText, lookup, put, type Table } from "../shared/records.js";

/** The seed's stock statuses but `backorder`: the reference never accepts an order it cannot
 * reserve (the seed's ProcessOrder also fails with "insufficient stock"), so nothing is ever on
 * back order (DESIGN.md). */
export type InventoryStatus = "in_stock" | "low_stock" | "out_of_stock";

export interface StockLevel {
  productId: string;
  quantity: number;
  reserved: number;
  /** quantity - reserved, kept with the record as the seed's Inventory does. */
  available: number;
  reorderPoint: number;
  status: InventoryStatus;
}

export interface Reservation {
  orderId: string;
  items: StockLine[];
  status: "reserved" | "rejected" | "released" | "committed";
}

export interface InventoryState {
  stock: Table<StockLevel>;
  reservations: Table<Reservation>;
  /** Ids of StockReceived events already counted. */
  receipts: Table<true>;
}

export type InventoryEmission = StockReserved | StockRejected;
type Result = Step<InventoryState, InventoryEmission>;

export const REORDER_POINT = 1;

export function level(productId: string, quantity: number, reserved: number): StockLevel {
  const available = quantity - reserved;
  const status: InventoryStatus = available <= 0 ? "out_of_stock" : available <= REORDER_POINT ? "low_stock" : "in_stock";
  return { productId, quantity, reserved, available, reorderPoint: REORDER_POINT, status };
}

/** Lines of one product merged (an order may name a product twice). */
function merged(items: readonly StockLine[]): StockLine[] {
  const byProduct = new Map<string, number>();
  for (const l of items) byProduct.set(l.productId, (byProduct.get(l.productId) ?? 0) + l.quantity);
  return [...byProduct].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([productId, quantity]) => ({ productId, quantity }));
}

/** The lines of a request, or why they are unusable (checked before any field is read). */
function validLines(items: unknown): StockLine[] | string {
  if (!Array.isArray(items) || items.length === 0) return "nothing to reserve";
  for (const l of items as unknown[]) {
    if (!isRecord(l) || !isText(l["productId"]) || !isCount(l["quantity"])) return "invalid reservation line";
  }
  return items as StockLine[];
}

function shortage(stock: InventoryState["stock"], lines: readonly StockLine[]): string | null {
  for (const l of merged(lines)) {
    if (!Number.isSafeInteger(l.quantity)) return "invalid reservation line";
    const available = lookup(stock, l.productId)?.available ?? 0;
    if (available < l.quantity) return `insufficient stock of ${l.productId}: ${available} available, ${l.quantity} requested`;
  }
  return null;
}

function reserve(state: InventoryState, e: ReserveStock): Result {
  if (lookup(state.reservations, e.orderId)) return { state };
  if (!isText(e.orderId)) return { state };
  const lines = validLines(e.items);
  const problem = typeof lines === "string" ? lines : shortage(state.stock, lines);
  if (problem !== null) {
    return {
      state: { ...state, reservations: put(state.reservations, e.orderId, { orderId: e.orderId, items: [], status: "rejected" }) },
      emit: [{ type: "StockRejected", id: `${e.orderId}:StockRejected`, orderId: e.orderId, reason: problem }],
    };
  }
  const items = merged(lines as StockLine[]);
  let stock = state.stock;
  for (const l of items) {
    const cur = lookup(stock, l.productId)!;
    stock = put(stock, l.productId, level(l.productId, cur.quantity, cur.reserved + l.quantity));
  }
  return {
    state: { ...state, stock, reservations: put(state.reservations, e.orderId, { orderId: e.orderId, items, status: "reserved" }) },
    emit: [{ type: "StockReserved", id: `${e.orderId}:StockReserved`, orderId: e.orderId }],
  };
}

/** Moves a held reservation to `status`, applying `change` to the stock of each of its lines. */
function settle(
  state: InventoryState,
  r: Reservation,
  status: Reservation["status"],
  change: (cur: StockLevel, l: StockLine) => StockLevel,
): InventoryState {
  let stock = state.stock;
  for (const l of r.items) {
    const cur = lookup(stock, l.productId) ?? level(l.productId, 0, 0);
    stock = put(stock, l.productId, change(cur, l));
  }
  return { ...state, stock, reservations: put(state.reservations, r.orderId, { ...r, status }) };
}

function release(state: InventoryState, e: ReleaseStock): Result {
  if (!isText(e.orderId)) return { state };
  const r = lookup(state.reservations, e.orderId);
  if (!r) {
    return { state: { ...state, reservations: put(state.reservations, e.orderId, { orderId: e.orderId, items: [], status: "released" }) } };
  }
  if (r.status !== "reserved") return { state };
  return { state: settle(state, r, "released", (cur, l) => level(cur.productId, cur.quantity, cur.reserved - l.quantity)) };
}

function commit(state: InventoryState, e: CommitStock): Result {
  if (!isText(e.orderId)) return { state };
  const r = lookup(state.reservations, e.orderId);
  if (!r || r.status !== "reserved") return { state };
  return {
    state: settle(state, r, "committed", (cur, l) => level(cur.productId, cur.quantity - l.quantity, cur.reserved - l.quantity)),
  };
}

function receive(state: InventoryState, e: StockReceived): Result {
  if (lookup(state.receipts, e.id) || !isText(e.productId) || !isCount(e.quantity)) return { state };
  const cur = lookup(state.stock, e.productId) ?? level(e.productId, 0, 0);
  const quantity = cur.quantity + e.quantity;
  if (!Number.isSafeInteger(quantity)) return { state };
  return {
    state: { ...state, stock: put(state.stock, e.productId, level(e.productId, quantity, cur.reserved)), receipts: put(state.receipts, e.id, true) },
  };
}

export const inventory = {
  initialState: (): InventoryState => ({ stock: {}, reservations: {}, receipts: {} }),

  handle(state: InventoryState, event: InventoryInbound): Result {
    switch (event.type) {
      case "StockReceived":
        return receive(state, event);
      case "ReserveStock":
        return reserve(state, event);
      case "ReleaseStock":
        return release(state, event);
      case "CommitStock":
        return commit(state, event);
      default:
        return { state };
    }
  },
};
