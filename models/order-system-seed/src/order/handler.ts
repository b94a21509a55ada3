// The seed's order service: MicroservicePlatform.ProcessOrder, translated step
// by step. ProcessOrder's synchronous ReserveInventory calls become request /
// reply messages, one line at a time, so the loop
//
//     for _, item := range orderItems {
//         if err := ReserveInventory(item); err != nil { CancelOrder(order.ID); return err }
//     }
//     eventBus.Publish(&OrderCreatedEvent{...})   // error ignored
//
// is the `reserving` cursor below: the order is written (pending) first, each
// reply moves the cursor, a failure cancels the order, and the last success
// publishes OrderCreatedEvent. Kept as the seed has it:
//   - a failed reservation cancels the order but releases nothing that the
//     earlier lines reserved (ReleaseInventory exists and is never called);
//   - the order is committed before the event is published, with no outbox
//     (the spec declares `outbox: false`), so a crash in between loses it;
//   - the breaker of CallService never recovers (./circuit-breaker.ts).
import type {
  CreateOrderRequest,
  InventoryReservationFailed,
  InventoryReserved,
  OrderCreatedEvent,
  OrderInbound,
  OrderItem,
  PaymentProcessed,
  ReserveInventory,
  ShipOrder,
  ShippingResult,
  Step,
} from "../shared/events.js";
import { callService, newCircuitBreaker, tick, type CircuitBreaker } from "./circuit-breaker.js";

export type OrderStatus = "pending" | "confirmed" | "processing" | "shipped" | "delivered" | "cancelled" | "refunded";

export interface Order {
  id: string;
  userId: string;
  items: OrderItem[];
  status: OrderStatus;
  totalAmount: number;
  currency: string;
  /** The next line ProcessOrder reserves; items.length once all are reserved; -1 when the loop gave up. */
  reserving: number;
}

export interface OrderState {
  orders: Record<string, Order>;
  /** CallService's breakers, by callee service. */
  breakers: Record<string, CircuitBreaker>;
}

export type OrderEmission = ReserveInventory | OrderCreatedEvent | ShipOrder;
type Result = Step<OrderState, OrderEmission>;

function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function withOrder(state: OrderState, order: Order): OrderState {
  const orders = { ...state.orders };
  Object.defineProperty(orders, order.id, { value: order, enumerable: true, writable: true, configurable: true });
  return { ...state, orders };
}

function reserveLine(order: Order, line: number): ReserveInventory {
  const item = order.items[line]!;
  return {
    type: "ReserveInventory",
    id: `${order.id}:reserve:${line}`,
    orderId: order.id,
    line,
    productId: item.productId,
    quantity: item.quantity,
  };
}

function orderCreated(order: Order): OrderCreatedEvent {
  return {
    type: "OrderCreatedEvent",
    id: `${order.id}:created`,
    orderId: order.id,
    userId: order.userId,
    totalAmount: order.totalAmount,
    items: order.items,
  };
}

function processOrder(state: OrderState, req: CreateOrderRequest): Result {
  // orderService.CreateOrder fails on an existing id: ProcessOrder returns the error.
  if (own(state.orders, req.orderId)) return { state };
  if (req.userStatus !== "active") return { state }; // "user is not active"
  let totalAmount = 0;
  const items: OrderItem[] = [];
  for (const [i, item] of (req.items ?? []).entries()) {
    if (item.available < item.quantity) return { state }; // "insufficient stock"
    const itemTotal = item.unitPrice * item.quantity;
    totalAmount += itemTotal;
    items.push({
      id: `${req.orderId}-item-${i}`,
      productId: item.productId,
      productName: item.productName,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      totalPrice: itemTotal,
      sku: item.sku,
    });
  }
  const order: Order = { id: req.orderId, userId: req.userId, items, status: "pending", totalAmount, currency: "USD", reserving: 0 };
  const next = withOrder(state, order);
  if (items.length === 0) return { state: next, emit: [orderCreated(order)] };
  return { state: next, emit: [reserveLine(order, 0)] };
}

function reserved(state: OrderState, e: InventoryReserved): Result {
  const order = own(state.orders, e.orderId);
  // A reply for a line the loop is no longer waiting on: the call already returned.
  if (!order || order.reserving !== e.line) return { state };
  const line = e.line + 1;
  if (line < order.items.length) return { state: withOrder(state, { ...order, reserving: line }), emit: [reserveLine(order, line)] };
  const done = { ...order, reserving: line };
  return { state: withOrder(state, done), emit: [orderCreated(done)] };
}

function reservationFailed(state: OrderState, e: InventoryReservationFailed): Result {
  const order = own(state.orders, e.orderId);
  if (!order || order.reserving !== e.line) return { state };
  // orderService.CancelOrder(order.ID); return err -- the lines already reserved stay reserved.
  return { state: withOrder(state, { ...order, status: "cancelled", reserving: -1 }) };
}

function paymentProcessed(state: OrderState, e: PaymentProcessed): Result {
  const order = own(state.orders, e.orderId);
  if (!order || order.status !== "pending") return { state };
  if (e.status === "failed") return { state: withOrder(state, { ...order, status: "cancelled" }) };
  return {
    state: withOrder(state, { ...order, status: "confirmed" }),
    emit: [{ type: "ShipOrder", id: `${order.id}:ship`, orderId: order.id }],
  };
}

function shippingResult(state: OrderState, e: ShippingResult): Result {
  const order = own(state.orders, e.orderId);
  if (!order || order.status !== "confirmed") return { state };
  return { state: withOrder(state, { ...order, status: "delivered" }) };
}

export const order = {
  initialState: (): OrderState => ({ orders: {}, breakers: {} }),

  handle(state: OrderState, event: OrderInbound): Result {
    switch (event.type) {
      case "CreateOrderRequest":
        return processOrder(state, event);
      case "InventoryReserved":
        return reserved(state, event);
      case "InventoryReservationFailed":
        return reservationFailed(state, event);
      case "PaymentProcessed":
        return paymentProcessed(state, event);
      case "ShippingResult":
        return shippingResult(state, event);
      case "ServiceCallCompleted": {
        const cb = callService(own(state.breakers, event.service) ?? newCircuitBreaker(event.service), event);
        const breakers = { ...state.breakers };
        Object.defineProperty(breakers, event.service, { value: cb, enumerable: true, writable: true, configurable: true });
        return { state: { ...state, breakers } };
      }
      case "ClockTicked": {
        const breakers: Record<string, CircuitBreaker> = {};
        for (const [name, cb] of Object.entries(state.breakers)) {
          Object.defineProperty(breakers, name, { value: tick(cb, event.at), enumerable: true, writable: true, configurable: true });
        }
        return { state: { ...state, breakers } };
      }
      default:
        return { state };
    }
  },
};
