// The seed's MicroservicePlatform as far as ProcessOrder uses it: the services
// it calls synchronously. The handler (./handler.ts) replays ProcessOrder's
// logic on messages; this is where the seed's calls are made.
import type { UserStatus } from "../shared/events.js";

export interface UserServiceClient {
  getUser(userId: string): Promise<{ id: string; status: UserStatus }>;
}

export interface ProductServiceClient {
  getProduct(productId: string): Promise<{ id: string; name: string; sku: string; price: number }>;
}

export interface InventoryServiceClient {
  getInventory(productId: string): Promise<{ productId: string; available: number }>;
  reserveInventory(productId: string, quantity: number): Promise<void>;
  releaseInventory(productId: string, quantity: number): Promise<void>;
}

export class MicroservicePlatform {
  constructor(
    readonly userService: UserServiceClient,
    readonly productService: ProductServiceClient,
    readonly inventoryService: InventoryServiceClient,
  ) {}
}
