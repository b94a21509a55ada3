// The published language of the order system: every message that crosses a
// service boundary. A shared kernel (declared in the spec's `sharedKernels`):
// services import these types, never each other's code.
//
// Every event is plain JSON with a `type` discriminant and a unique `id` (a
// redelivered duplicate carries the same id). Order-related events carry the
// `orderId` key the channels partition on. Money is in minor units (cents), so
// totals are exact integers.

export type Currency = "USD" | "EUR";
export type UserRole = "admin" | "manager" | "employee" | "customer";
export type UserStatus = "active" | "inactive" | "suspended" | "deleted";
export type ProductStatus = "active" | "inactive" | "discontinued" | "out_of_stock";
export type PaymentMethod = "credit_card" | "debit_card" | "paypal" | "bank_transfer" | "crypto";

/** One line of an order, priced by the catalog when the request was accepted. */
export interface OrderLine {
  productId: string;
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

/** A quantity of one product (reservations, shipments). */
export interface StockLine {
  productId: string;
  quantity: number;
}

/** A postal address (the seed's Order carries a shipping and a billing address). */
export interface Address {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 country code. */
  country: string;
}

// ---- the customer's requests to the order service (the `order-requests` log) --
// The gateway appends the customer's requests and the order scheduler its
// timers to one log, in the order they happen; the order service handles them
// in that order, so a cancellation is decided against the cancellation window
// by their position in the log, never by how far the flow has got.

/** A customer places an order. The API layer has already asked the user
 * service for the customer's status and the catalog for the prices. */
export interface PlaceOrder {
  type: "PlaceOrder";
  id: string;
  orderId: string;
  userId: string;
  customerStatus: UserStatus;
  items: OrderLine[];
  currency: Currency;
  shippingAddress: Address;
  billingAddress: Address;
}

/** The customer asks to cancel. Accepted while the cancellation window is
 * open, refused once it has closed. */
export interface CancelOrder {
  type: "CancelOrder";
  id: string;
  orderId: string;
  reason: string;
}

/** The order scheduler's timer: the order's cancellation window (30 minutes
 * after placement) is over. The order is released to fulfilment and charged. */
export interface CancellationWindowClosed {
  type: "CancellationWindowClosed";
  id: string;
  orderId: string;
}

/** The customer sends a delivered order back and asks for the money. */
export interface ReturnOrder {
  type: "ReturnOrder";
  id: string;
  orderId: string;
  reason: string;
}

// ---- inventory -> order ----------------------------------------------------

export interface StockReserved {
  type: "StockReserved";
  id: string;
  orderId: string;
}

export interface StockRejected {
  type: "StockRejected";
  id: string;
  orderId: string;
  reason: string;
}

// ---- payment -> order ------------------------------------------------------

export interface PaymentCaptured {
  type: "PaymentCaptured";
  id: string;
  orderId: string;
  paymentId: string;
  amountCents: number;
}

export interface PaymentFailed {
  type: "PaymentFailed";
  id: string;
  orderId: string;
  paymentId: string;
  reason: string;
}

export interface PaymentRefunded {
  type: "PaymentRefunded";
  id: string;
  orderId: string;
  paymentId: string;
  amountCents: number;
}

// ---- shipping -> order -----------------------------------------------------

export interface ShipmentDispatched {
  type: "ShipmentDispatched";
  id: string;
  orderId: string;
  shipmentId: string;
  trackingNumber: string;
}

export interface ShipmentDelivered {
  type: "ShipmentDelivered";
  id: string;
  orderId: string;
  shipmentId: string;
}

// ---- order -> inventory, warehouse -> inventory ----------------------------

/** Goods arrived at the warehouse (not idempotent by nature: deduplicated by id). */
export interface StockReceived {
  type: "StockReceived";
  id: string;
  productId: string;
  quantity: number;
}

/** Reserve every line of an order, or none of them. */
export interface ReserveStock {
  type: "ReserveStock";
  id: string;
  orderId: string;
  items: StockLine[];
}

/** Give back whatever is reserved for the order (a compensation). */
export interface ReleaseStock {
  type: "ReleaseStock";
  id: string;
  orderId: string;
}

/** The order's goods left the warehouse: the reservation becomes a deduction. */
export interface CommitStock {
  type: "CommitStock";
  id: string;
  orderId: string;
}

// ---- order -> payment (the order's published events) -----------------------

/** The order can no longer be cancelled by the customer (its window closed,
 * its stock is reserved): charge it. Payment never hears of an order before
 * this, so it never charges one that may still be cancelled. */
export interface OrderReleased {
  type: "OrderReleased";
  id: string;
  orderId: string;
  userId: string;
  totalCents: number;
  currency: Currency;
  billingAddress: Address;
}

/** A delivered order came back: refund its charge. */
export interface RefundRequested {
  type: "RefundRequested";
  id: string;
  orderId: string;
  reason: string;
}

// ---- customer -> payment (through the gateway's /payments route) ------------

/** The customer pays. `token` is what the card form returned; Stripe's test
 * tokens decide the outcome (`tok_chargeDeclined` is declined). The card is
 * kept until the order is released, then charged. */
export interface SubmitPayment {
  type: "SubmitPayment";
  id: string;
  orderId: string;
  method: PaymentMethod;
  token: string;
}

// ---- payment's Stripe client health (circuit breaker inputs) ---------------

/** One call of the payment service to Stripe finished (the Stripe adapter
 * publishes every result; the payment service's own charges and refunds come
 * back this way too). `at` is the client's clock in ms. */
export interface StripeCallCompleted {
  type: "StripeCallCompleted";
  id: string;
  at: number;
  outcome: "success" | "failure";
}

/** The passage of time, as a message (handlers have no clock). */
export interface ClockTicked {
  type: "ClockTicked";
  id: string;
  at: number;
}

// ---- order -> shipping, carrier -> shipping --------------------------------

export interface ShipOrder {
  type: "ShipOrder";
  id: string;
  orderId: string;
  items: StockLine[];
  address: Address;
}

/** The carrier's webhook: the parcel of the order reached the customer. */
export interface ParcelDelivered {
  type: "ParcelDelivered";
  id: string;
  orderId: string;
}

// ---- user administration ---------------------------------------------------
// `version` is the user service API's sequence number for that user: updates
// are applied field by field, the highest version winning (a last-writer-wins
// register per field), so they commute and need no ordered channel.

export interface RegisterUser {
  type: "RegisterUser";
  id: string;
  userId: string;
  version: number;
  name: string;
  email: string;
  role: UserRole;
}

export interface ChangeUserStatus {
  type: "ChangeUserStatus";
  id: string;
  userId: string;
  version: number;
  status: UserStatus;
}

// ---- catalog administration (same versioning as users) ---------------------

export interface AddProduct {
  type: "AddProduct";
  id: string;
  productId: string;
  version: number;
  name: string;
  sku: string;
  priceCents: number;
  currency: Currency;
}

export interface ChangeProductPrice {
  type: "ChangeProductPrice";
  id: string;
  productId: string;
  version: number;
  priceCents: number;
}

export interface ChangeProductStatus {
  type: "ChangeProductStatus";
  id: string;
  productId: string;
  version: number;
  status: ProductStatus;
}

// ---- what each service consumes --------------------------------------------

export type OrderRequest = PlaceOrder | CancelOrder | CancellationWindowClosed | ReturnOrder;
export type OrderResult =
  | StockReserved
  | StockRejected
  | PaymentCaptured
  | PaymentFailed
  | PaymentRefunded
  | ShipmentDispatched
  | ShipmentDelivered;
export type OrderInbound = OrderRequest | OrderResult;
export type InventoryInbound = StockReceived | ReserveStock | ReleaseStock | CommitStock;
export type PaymentInbound = OrderReleased | RefundRequested | SubmitPayment | StripeCallCompleted | ClockTicked;
export type ShippingInbound = ShipOrder | ParcelDelivered;
export type UserInbound = RegisterUser | ChangeUserStatus;
export type CatalogInbound = AddProduct | ChangeProductPrice | ChangeProductStatus;

export type OrderSystemEvent =
  | OrderInbound
  | InventoryInbound
  | PaymentInbound
  | ShippingInbound
  | UserInbound
  | CatalogInbound;

/** What a handler returns (the handler contract of archverify, restated here
 * so that the domain code does not depend on the tool). */
export interface Step<S, E> {
  state: S;
  emit?: E[];
}
