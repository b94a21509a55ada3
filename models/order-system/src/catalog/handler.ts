// The catalog (product) service: products with a price and a status. Admin
// updates come as versioned commands; each field is a last-writer-wins
// register, so duplicates and reordering are harmless. The order API reads
// prices from here synchronously when it accepts an order.
import type { AddProduct, CatalogInbound, ChangeProductPrice, ChangeProductStatus, Currency, ProductStatus, Step } from "../shared/events.js";
import { isCents, isText, lookup, put, type Table } from "../shared/records.js";
import { isVersion, merge, type Register } from "../shared/register.js";

export interface Product {
  id: string;
  name: Register<string> | null;
  sku: Register<string> | null;
  priceCents: Register<number> | null;
  currency: Register<Currency> | null;
  status: Register<ProductStatus> | null;
}

export interface CatalogState {
  products: Table<Product>;
}

type Result = Step<CatalogState, never>;

const STATUSES: readonly string[] = ["active", "inactive", "discontinued", "out_of_stock"];

function blank(id: string): Product {
  return { id, name: null, sku: null, priceCents: null, currency: null, status: null };
}

function write(state: CatalogState, product: Product): Result {
  const before = lookup(state.products, product.id);
  if (before && JSON.stringify(before) === JSON.stringify(product)) return { state };
  return { state: { products: put(state.products, product.id, product) } };
}

function add(state: CatalogState, e: AddProduct): Result {
  if (!isText(e.productId) || !isVersion(e.version) || !isCents(e.priceCents)) return { state };
  const p = lookup(state.products, e.productId) ?? blank(e.productId);
  const v = e.version;
  return write(state, {
    ...p,
    name: merge(p.name ?? undefined, { value: e.name, version: v }),
    sku: merge(p.sku ?? undefined, { value: e.sku, version: v }),
    priceCents: merge(p.priceCents ?? undefined, { value: e.priceCents, version: v }),
    currency: merge(p.currency ?? undefined, { value: e.currency, version: v }),
    status: merge(p.status ?? undefined, { value: "active", version: v }),
  });
}

function changePrice(state: CatalogState, e: ChangeProductPrice): Result {
  if (!isText(e.productId) || !isVersion(e.version) || !isCents(e.priceCents)) return { state };
  const p = lookup(state.products, e.productId) ?? blank(e.productId);
  return write(state, { ...p, priceCents: merge(p.priceCents ?? undefined, { value: e.priceCents, version: e.version }) });
}

function changeStatus(state: CatalogState, e: ChangeProductStatus): Result {
  if (!isText(e.productId) || !isVersion(e.version) || !STATUSES.includes(e.status)) return { state };
  const p = lookup(state.products, e.productId) ?? blank(e.productId);
  return write(state, { ...p, status: merge(p.status ?? undefined, { value: e.status, version: e.version }) });
}

export const catalog = {
  initialState: (): CatalogState => ({ products: {} }),

  handle(state: CatalogState, event: CatalogInbound): Result {
    switch (event.type) {
      case "AddProduct":
        return add(state, event);
      case "ChangeProductPrice":
        return changePrice(state, event);
      case "ChangeProductStatus":
        return changeStatus(state, event);
      default:
        return { state };
    }
  },
};
