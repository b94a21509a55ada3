// The seed's InventoryService: UpdateInventory and ReserveInventory by product,
// with no record of which order holds what (so nothing can tell a leaked
// reservation from a live one) and no idempotence (a repeated call reserves
// twice; the spec models these synchronous calls as an exactly-once channel,
// as the seed makes each call once).
import type { InventoryInbound, InventoryReservationFailed, InventoryReserved, ReserveInventory, Step, UpdateInventory } from "../shared/events.js";

export type InventoryStatus = "in_stock" | "low_stock" | "out_of_stock" | "backorder";

export interface Inventory {
  productId: string;
  quantity: number;
  reserved: number;
  available: number;
  status: InventoryStatus;
}

export interface InventoryState {
  inventory: Record<string, Inventory>;
}

export type InventoryEmission = InventoryReserved | InventoryReservationFailed;
type Result = Step<InventoryState, InventoryEmission>;

function row(productId: string, quantity: number, reserved: number): Inventory {
  const available = quantity - reserved;
  return { productId, quantity, reserved, available, status: available > 0 ? "in_stock" : "out_of_stock" };
}

function withRow(state: InventoryState, inv: Inventory): InventoryState {
  const inventory = { ...state.inventory };
  Object.defineProperty(inventory, inv.productId, { value: inv, enumerable: true, writable: true, configurable: true });
  return { inventory };
}

function update(state: InventoryState, e: UpdateInventory): Result {
  const cur = Object.hasOwn(state.inventory, e.productId) ? state.inventory[e.productId]! : row(e.productId, 0, 0);
  return { state: withRow(state, row(e.productId, e.quantity, cur.reserved)) };
}

function reserve(state: InventoryState, e: ReserveInventory): Result {
  const cur = Object.hasOwn(state.inventory, e.productId) ? state.inventory[e.productId] : undefined;
  const fail = (error: string): Result => ({
    state,
    emit: [{ type: "InventoryReservationFailed", id: `${e.id}:failed`, orderId: e.orderId, line: e.line, error }],
  });
  if (!cur) return fail("inventory not found");
  if (cur.available < e.quantity) return fail("insufficient stock");
  return {
    state: withRow(state, row(cur.productId, cur.quantity, cur.reserved + e.quantity)),
    emit: [{ type: "InventoryReserved", id: `${e.id}:reserved`, orderId: e.orderId, line: e.line }],
  };
}

export const inventory = {
  initialState: (): InventoryState => ({ inventory: {} }),

  handle(state: InventoryState, event: InventoryInbound): Result {
    switch (event.type) {
      case "UpdateInventory":
        return update(state, event);
      case "ReserveInventory":
        return reserve(state, event);
      default:
        return { state };
    }
  },
};
