// Immutable helpers for the plain-object tables every service keeps its
// entities in. Lookups use own properties only, so an id such as "__proto__"
// or "toString" is an ordinary key and never reaches Object.prototype.

export type Table<T> = Readonly<Record<string, T>>;

export function lookup<T>(table: Table<T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A copy of `table` with `key` set to `value` (defineProperty semantics, so
 * every key, "__proto__" included, becomes an own data property). */
export function put<T>(table: Table<T>, key: string, value: T): Table<T> {
  const copy: Record<string, T> = { ...table };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A positive whole number of units (quantities). */
export function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0;
}

/** A non-negative whole number of cents. */
export function isCents(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

export function isText(s: unknown): s is string {
  return typeof s === "string" && s.length > 0;
}

/** A copy of `table` without `key`. */
export function remove<T>(table: Table<T>, key: string): Table<T> {
  if (!Object.hasOwn(table, key)) return table;
  let copy: Table<T> = {};
  for (const k of Object.keys(table)) if (k !== key) copy = put(copy, k, table[k] as T);
  return copy;
}

/** A plain object (not null, not an array): what an event's nested record must be before its fields are read. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
