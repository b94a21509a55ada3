// Structural equality and canonical encoding of states and events: two values
// are equal when they hold the same data, whatever the key insertion order of
// their objects and Maps or the insertion order of their Sets. Dates compare
// by time. `undefined` object fields count as absent (as in JSON).
import type { ValueCodec } from "../runtime-types.js";

export const valueCodec: ValueCodec = {
  equal: (a, b) => a === b || encodeValue(a) === encodeValue(b),
  encode: encodeValue,
  toJSON: toPlainJSON,
};

export function encodeValue(value: unknown): string {
  // Fast path without cycle bookkeeping; a value nested deeper than any real state is re-encoded
  // with it (a cycle shows as "#cycle" where it closes, the same text either way).
  try {
    return fast(value, 0);
  } catch (error) {
    if (error !== TOO_DEEP) throw error;
    return enc(value, new Set());
  }
}

const TOO_DEEP = Symbol("too deep");
const MAX_FAST_DEPTH = 64;

// JSON.stringify of object keys: states use few distinct keys, so they are worth remembering.
const quotedKeys = new Map<string, string>();
function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 100_000) quotedKeys.set(k, q);
  }
  return q;
}

function scalar(v: unknown): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? (Object.is(v, -0) ? "0" : String(v)) : `#${String(v)}`;
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "#undefined";
    case "bigint":
      return `${v}n`;
    case "symbol":
      return `#${String(v)}`;
    case "function":
      return `#function`;
  }
  return "null";
}

/** `enc` without the `seen` set, for values at most MAX_FAST_DEPTH deep (same output). */
function fast(v: unknown, depth: number): string {
  if (v === null || typeof v !== "object") return scalar(v);
  if (depth > MAX_FAST_DEPTH) throw TOO_DEEP;
  const o = v as object;
  const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
  if (Array.isArray(o)) {
    let out = "[";
    for (let i = 0; i < o.length; i++) {
      const x: unknown = o[i];
      // (a hole encodes as nothing, as Array.prototype.map leaves it)
      out += (i === 0 ? "" : ",") + (x === undefined && !(i in o) ? "" : fast(x, depth + 1));
    }
    return `${out}]`;
  }
  // Plain records first (the common case); the checks below cannot match them.
  if ((proto === Object.prototype || proto === null) && !ArrayBuffer.isView(o)) return fastRecord(o as Record<string, unknown>, "", depth);
  if (o instanceof Date) return `#Date(${o.getTime()})`;
  if (o instanceof Map) {
    const entries: string[] = [];
    for (const [k, x] of o) entries.push(`${fast(k, depth + 1)}=>${fast(x, depth + 1)}`);
    return `#Map{${entries.sort().join(",")}}`;
  }
  if (o instanceof Set) {
    const items: string[] = [];
    for (const x of o) items.push(fast(x, depth + 1));
    return `#Set[${items.sort().join(",")}]`;
  }
  if (ArrayBuffer.isView(o)) return `#${o.constructor.name}[${Array.from(o as unknown as ArrayLike<number>).join(",")}]`;
  return fastRecord(o as Record<string, unknown>, proto && proto !== Object.prototype ? (proto.constructor?.name ?? "") : "", depth);
}

function fastRecord(o: Record<string, unknown>, name: string, depth: number): string {
  const keys = Object.keys(o);
  if (keys.length > 1) keys.sort();
  let out = `${name}{`;
  let first = true;
  for (const k of keys) {
    const x = o[k];
    if (x === undefined) continue;
    out += `${first ? "" : ","}${quoteKey(k)}:${fast(x, depth + 1)}`;
    first = false;
  }
  return `${out}}`;
}

/** The reference encoding, with cycle detection. */
function enc(v: unknown, seen: Set<object>): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? (Object.is(v, -0) ? "0" : String(v)) : `#${String(v)}`;
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "#undefined";
    case "bigint":
      return `${v}n`;
    case "symbol":
      return `#${String(v)}`;
    case "function":
      return `#function`;
  }
  if (v === null) return "null";
  const o = v as object;
  if (seen.has(o)) return "#cycle";
  seen.add(o);
  try {
    if (Array.isArray(o)) return `[${o.map((x) => enc(x, seen)).join(",")}]`;
    if (o instanceof Date) return `#Date(${o.getTime()})`;
    if (o instanceof Map) {
      const entries = [...o].map(([k, x]) => `${enc(k, seen)}=>${enc(x, seen)}`).sort();
      return `#Map{${entries.join(",")}}`;
    }
    if (o instanceof Set) return `#Set[${[...o].map((x) => enc(x, seen)).sort().join(",")}]`;
    if (ArrayBuffer.isView(o)) return `#${o.constructor.name}[${Array.from(o as unknown as ArrayLike<number>).join(",")}]`;
    const keys = Object.keys(o)
      .filter((k) => (o as Record<string, unknown>)[k] !== undefined)
      .sort();
    const body = keys.map((k) => `${JSON.stringify(k)}:${enc((o as Record<string, unknown>)[k], seen)}`).join(",");
    const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
    const name = proto && proto !== Object.prototype ? (proto.constructor?.name ?? "") : "";
    return `${name}{${body}}`;
  } finally {
    seen.delete(o);
  }
}

/** A plain JSON form for reports: Map -> object (string-like keys) or entry
 * list, Set -> array sorted by encoding, Date -> ISO string, keys sorted. */
export function toPlainJSON(value: unknown): unknown {
  return plain(value, new Set());
}

function plain(v: unknown, seen: Set<object>): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "undefined") return null;
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v !== "object") return String(v);
  if (seen.has(v)) return "[cycle]";
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => plain(x, seen));
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
    if (v instanceof Map) {
      const entries = [...v].sort(([a], [b]) => compareStrings(encodeValue(a), encodeValue(b)));
      if (entries.every(([k]) => typeof k === "string" || typeof k === "number")) {
        return Object.fromEntries(entries.map(([k, x]) => [String(k), plain(x, seen)]));
      }
      return entries.map(([k, x]) => [plain(k, seen), plain(x, seen)]);
    }
    if (v instanceof Set) {
      return [...v].sort((a, b) => compareStrings(encodeValue(a), encodeValue(b))).map((x) => plain(x, seen));
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = plain(x, seen);
    }
    return out;
  } finally {
    seen.delete(v);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One place where two values differ. `path` uses dots and [index]. */
export interface ValueDifference {
  path: string;
  left: unknown;
  right: unknown;
}

/** The places where two values differ (in their plain JSON form), up to `limit`. */
export function diffValues(left: unknown, right: unknown, limit = 20): ValueDifference[] {
  const out: ValueDifference[] = [];
  walk(toPlainJSON(left), toPlainJSON(right), "", out, limit);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: ValueDifference[], limit: number): void {
  if (out.length >= limit) return;
  if (encodeValue(a) === encodeValue(b)) return;
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = isRecord(a) && isRecord(b);
  if (bothArrays) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], `${path}[${i}]`, out, limit);
    return;
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) walk(a[k], b[k], path ? `${path}.${k}` : k, out, limit);
    return;
  }
  out.push({ path: path || "(root)", left: a, right: b });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
