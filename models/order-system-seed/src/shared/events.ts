// The seed's messages, translated from its Go types (../../shared/seed, the
// "Microservice architecture (mainstream Golang practice)" guide). The seed's
// synchronous calls become request/reply messages, since a handler is a pure
// step; the values its ProcessOrder reads synchronously (user status, product
// price, inventory availability) travel inside the request, as read at
// request time.

export type UserStatus = "active" | "inactive" | "suspended" | "deleted";

/** CreateOrderRequest plus what ProcessOrder's GetUser / GetProduct / GetInventory returned. */
export interface CreateOrderRequest {
  type: "CreateOrderRequest";
  id: string;
  orderId: string;
  userId: string;
  userStatus: UserStatus;
  items: OrderItemRequest[];
}

export interface OrderItemRequest {
  productId: string;
  productName: string;
  sku: string;
  quantity: number;
  /** product.Price */
  unitPrice: number;
  /** inventory.Available when ProcessOrder checked it */
  available: number;
}

export interface OrderItem {
  id: string;
  productId: string;
  productName: string;
  quantity: number;
  unitPrice: number;
  totalPrice: number;
  sku: string;
}

/** InventoryService.UpdateInventory(productID, quantity) */
export interface UpdateInventory {
  type: "UpdateInventory";
  id: string;
  productId: string;
  quantity: number;
}

/** InventoryService.ReserveInventory(productID, quantity), for line `line` of an order. */
export interface ReserveInventory {
  type: "ReserveInventory";
  id: string;
  orderId: string;
  line: number;
  productId: string;
  quantity: number;
}

/** ReserveInventory returned nil. */
export interface InventoryReserved {
  type: "InventoryReserved";
  id: string;
  orderId: string;
  line: number;
}

/** ReserveInventory returned an error. */
export interface InventoryReservationFailed {
  type: "InventoryReservationFailed";
  id: string;
  orderId: string;
  line: number;
  error: string;
}

export interface OrderCreatedEvent {
  type: "OrderCreatedEvent";
  id: string;
  orderId: string;
  userId: string;
  totalAmount: number;
  items: OrderItem[];
}

/** Another event on the order-events topic, which the seed's OrderEventProcessor does not know. */
export interface OrderUpdatedEvent {
  type: "OrderUpdatedEvent";
  id: string;
  orderId: string;
  status: string;
}

/** user -> PaymentService: pay */
export interface PayOrder {
  type: "PayOrder";
  id: string;
  orderId: string;
  method: "credit_card" | "debit_card" | "paypal" | "bank_transfer" | "crypto";
  token: string;
}

/** PaymentService -> OrderService: payment result */
export interface PaymentProcessed {
  type: "PaymentProcessed";
  id: string;
  orderId: string;
  paymentId: string;
  status: "completed" | "failed";
}

/** OrderService -> LogisticsService: ship */
export interface ShipOrder {
  type: "ShipOrder";
  id: string;
  orderId: string;
}

/** LogisticsService -> OrderService: shipping result */
export interface ShippingResult {
  type: "ShippingResult";
  id: string;
  orderId: string;
  status: "delivered";
}

/** A CallService call from the order service to another service finished (`success`: err == nil). */
export interface ServiceCallCompleted {
  type: "ServiceCallCompleted";
  id: string;
  service: string;
  seq: number;
  at: number;
  success: boolean;
}

export interface ClockTicked {
  type: "ClockTicked";
  id: string;
  at: number;
}

export type OrderInbound =
  | CreateOrderRequest
  | InventoryReserved
  | InventoryReservationFailed
  | PaymentProcessed
  | ShippingResult
  | ServiceCallCompleted
  | ClockTicked;
export type InventoryInbound = UpdateInventory | ReserveInventory;
export type PaymentInbound = OrderCreatedEvent | OrderUpdatedEvent | PayOrder;
export type LogisticsInbound = ShipOrder;

export interface Step<S, E> {
  state: S;
  emit?: E[];
}
