// Types for the validity tests: every generated value must type-check against
// them (the TypeScript checker is the oracle). Deep nesting through unions,
// arrays and optional wrappers must not be cut; recursion must be cut only
// where the type allows leaving something out.
interface Meta {
  eventId: string;
  occurredAt: string;
  correlationId?: string;
}
interface Envelope<T extends string, D> {
  type: T;
  data: D;
  metadata: Meta;
}
interface Product {
  sku: string;
  name: string;
  price: { amount: number; currency: "EUR" | "USD"; discount?: { code: string; pct: number } };
}
interface Line {
  product: Product;
  qty: number;
  options?: { gift?: { wrap: { color: "red" | "blue"; note: string | null } } }[];
}
interface Tree {
  label: string;
  children: Tree[];
}
interface Chain {
  value: number;
  next: Chain | null;
}
interface Folder {
  name: string;
  parent?: Folder;
  files: { path: `/${string}.txt`; size: number }[];
}
type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
interface Box<T> {
  inner: T;
}
/** Each level a new instantiation: only the declaration count stops it. */
interface Grow<T> {
  value: T;
  more?: Grow<T[]>;
}
type Deep = Envelope<"Deep", { orderId: string; order: { lines: Line[]; note?: string; totals: [number, { tax: number; lines: number }] } }>;
type Recursive = Envelope<"Recursive", { tree: Tree; chain: Chain; folder: Folder; json: Json }>;
type Templated = { type: "Templated"; id: string; ref: `order-${number}`; route: `${"GET" | "POST"} /${string}`; boxed: Box<Box<Box<Box<Box<number>>>>>; grow: Grow<string> };

export type DeepEvent = Deep | Recursive | Templated;

export const deep = {
  initialState: () => ({}),
  handle: (state: object, _event: DeepEvent) => ({ state }),
};
