// A canonical encoding of plain data (objects, arrays, Map, Set, Date, primitives), used when
// the caller gives no ValueCodec (tests, benches, the library used without handler loading).
// Object keys and Map/Set entries are sorted, so insertion order never matters.
import type { ValueCodec } from "../runtime-types.js";

// Keys that cannot be confused with the encoding's punctuation are written bare.
const SAFE_KEY = /^[A-Za-z_$][\w$-]*$/;

function enc(value: unknown, seen: Set<object>): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : `#${String(value)}`;
    case "boolean":
      return value ? "t" : "f";
    case "undefined":
      return "u";
    case "bigint":
      return `${value}n`;
    case "function":
    case "symbol":
      return `#${typeof value}`;
  }
  if (value === null) return "n";
  const obj = value as object;
  if (seen.has(obj)) return "#cycle";
  seen.add(obj);
  // (seen guards against cyclic values, which are not plain data but must not hang the checker)
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${obj.map((v) => enc(v, seen)).join(",")}]`;
  } else if (obj instanceof Map) {
    const entries = [...obj].map(([k, v]) => `${enc(k, seen)}:${enc(v, seen)}`).sort();
    out = `M{${entries.join(",")}}`;
  } else if (obj instanceof Set) {
    out = `S{${[...obj].map((v) => enc(v, seen)).sort().join(",")}}`;
  } else if (obj instanceof Date) {
    out = `D${obj.getTime()}`;
  } else {
    const keys = Object.keys(obj);
    if (keys.length > 1) keys.sort();
    const record = obj as Record<string, unknown>;
    out = "{";
    let first = true;
    for (const k of keys) {
      const v = record[k];
      // An absent key and a key holding undefined are the same state.
      if (v === undefined) continue;
      out += `${first ? "" : ","}${SAFE_KEY.test(k) ? k : JSON.stringify(k)}:${enc(v, seen)}`;
      first = false;
    }
    out += "}";
  }
  seen.delete(obj);
  return out;
}

function toJSON(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    return value;
  }
  if (Array.isArray(value)) return value.map(toJSON);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Set) {
    return [...value].map(toJSON).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  if (value instanceof Map) {
    const entries = [...value].sort(([a], [b]) => (enc(a, new Set()) < enc(b, new Set()) ? -1 : 1));
    if (entries.every(([k]) => typeof k === "string")) return Object.fromEntries(entries.map(([k, v]) => [k, toJSON(v)]));
    return entries.map(([k, v]) => [toJSON(k), toJSON(v)]);
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = toJSON(v);
  }
  return out;
}

export const plainCodec: ValueCodec = {
  encode: (value) => enc(value, new Set()),
  equal: (a, b) => enc(a, new Set()) === enc(b, new Set()),
  toJSON,
};
