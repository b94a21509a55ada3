// The order service's API behind the gateway's /orders route. Not part of the
// handler: it makes the synchronous reads a placement needs (the customer's
// status from the user service, the prices from the catalog) and turns the
// request into the PlaceOrder command the saga handles, so the saga itself
// stays a pure function of its inbox.
import type { Address, CancelOrder, Currency, PlaceOrder, ReturnOrder, UserStatus } from "../shared/events.js";

export interface UserServiceClient {
  getUser(userId: string): Promise<{ id: string; status: UserStatus }>;
}

export interface CatalogServiceClient {
  getProduct(productId: string): Promise<{ id: string; sku: string; priceCents: number }>;
}

/** The log of the customer's requests (the `order-requests` channel): one partition, so the
 * order service handles them in the order they were appended. */
export interface OrderRequestLog {
  append(request: PlaceOrder | CancelOrder | ReturnOrder): Promise<void>;
}

export interface PlaceOrderRequest {
  orderId: string;
  userId: string;
  currency: Currency;
  items: { productId: string; quantity: number }[];
  shippingAddress: Address;
  billingAddress: Address;
}

export class OrderApi {
  constructor(
    private readonly users: UserServiceClient,
    private readonly catalog: CatalogServiceClient,
    private readonly log: OrderRequestLog,
  ) {}

  /** POST /orders. `requestId` is the client's idempotency key: a retried request is the same command. */
  async placeOrder(requestId: string, req: PlaceOrderRequest): Promise<PlaceOrder> {
    const customer = await this.users.getUser(req.userId);
    const items = [];
    for (const line of req.items) {
      const product = await this.catalog.getProduct(line.productId);
      items.push({ productId: product.id, sku: product.sku, quantity: line.quantity, unitPriceCents: product.priceCents });
    }
    const command: PlaceOrder = {
      type: "PlaceOrder",
      id: requestId,
      orderId: req.orderId,
      userId: req.userId,
      customerStatus: customer.status,
      items,
      currency: req.currency,
      shippingAddress: req.shippingAddress,
      billingAddress: req.billingAddress,
    };
    await this.log.append(command);
    return command;
  }

  /** DELETE /orders/:id: accepted or refused by the order service, by the request's place in the log. */
  async cancelOrder(requestId: string, orderId: string, reason: string): Promise<CancelOrder> {
    const command: CancelOrder = { type: "CancelOrder", id: requestId, orderId, reason };
    await this.log.append(command);
    return command;
  }

  /** POST /orders/:id/return */
  async returnOrder(requestId: string, orderId: string, reason: string): Promise<ReturnOrder> {
    const command: ReturnOrder = { type: "ReturnOrder", id: requestId, orderId, reason };
    await this.log.append(command);
    return command;
  }
}
