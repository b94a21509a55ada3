// Per-key parts of a service state. An entry of an object or Map belongs to key k when its
// key is tagged k (the key value itself, or the id of an event of key k) or when its value is a
// record with a field tagged k; a Set element belongs to k when it is tagged k. Arrays are
// atomic: their order would depend on the interleaving of keys, so they are never split.

export type Tags = ReadonlySet<string>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set) && !(v instanceof Date);

function recordTagged(value: unknown, tags: Tags): boolean {
  if (value instanceof Map) {
    for (const v of value.values()) if (typeof v === "string" && tags.has(v)) return true;
    return false;
  }
  if (!isPlainObject(value)) return false;
  for (const k in value) {
    const v = value[k];
    if (typeof v === "string" && tags.has(v)) return true;
  }
  return false;
}

const entryTagged = (key: unknown, value: unknown, tags: Tags) => (typeof key === "string" && tags.has(key)) || recordTagged(value, tags);

/** The value without the entries tagged by `tags` (recursively). */
export function strip(value: unknown, tags: Tags): unknown {
  if (value === null || typeof value !== "object" || tags.size === 0) return value;
  if (Array.isArray(value) || value instanceof Date) return value;
  if (value instanceof Set) {
    const out = new Set();
    for (const v of value) if (!(typeof v === "string" && tags.has(v))) out.add(v);
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    for (const [k, v] of value) if (!entryTagged(k, v, tags)) out.set(k, strip(v, tags));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (!entryTagged(k, v, tags)) out[k] = strip(v, tags);
  }
  return out;
}

export const CONFLICT: unique symbol = Symbol("conflict");

/**
 * Combines two states of one service reached by different keys: entries tagged by `tagsB`
 * come from `b`, entries tagged by `tagsA` from `a`, untagged (shared) entries must agree.
 * Returns CONFLICT when the shared parts differ.
 */
export function merge(a: unknown, b: unknown, tagsA: Tags, tagsB: Tags, equal: (x: unknown, y: unknown) => boolean): unknown {
  if (equal(a, b)) return a;
  if (a instanceof Set && b instanceof Set) {
    const out = new Set();
    for (const v of a) if (!(typeof v === "string" && tagsB.has(v))) out.add(v);
    for (const v of b) if (!(typeof v === "string" && tagsA.has(v))) out.add(v);
    return out;
  }
  const pick = (k: unknown, va: unknown, vb: unknown, hasA: boolean, hasB: boolean): unknown => {
    if (hasB && entryTagged(k, vb, tagsB)) return vb;
    if (hasA && entryTagged(k, va, tagsA)) return va;
    if (hasA && entryTagged(k, va, tagsB)) return hasB ? vb : undefined;
    if (hasB && entryTagged(k, vb, tagsA)) return hasA ? va : undefined;
    if (!hasA) return vb;
    if (!hasB) return va;
    return merge(va, vb, tagsA, tagsB, equal);
  };
  if (a instanceof Map && b instanceof Map) {
    const out = new Map();
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      const v = pick(k, a.get(k), b.get(k), a.has(k), b.has(k));
      if (v === CONFLICT) return CONFLICT;
      if (v !== undefined) out.set(k, v);
    }
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const v = pick(k, a[k], b[k], Object.hasOwn(a, k), Object.hasOwn(b, k));
      if (v === CONFLICT) return CONFLICT;
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return CONFLICT;
}

/** Renames strings: exact matches, and occurrences between non-alphanumerics (`pay-o1` -> `pay-o2`). */
export function renamer(mapping: ReadonlyMap<string, string>): (value: unknown) => unknown {
  const names = [...mapping.keys()].sort((x, y) => y.length - x.length);
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = names.length > 0 ? new RegExp(`(?<![A-Za-z0-9])(?:${escaped.join("|")})(?![A-Za-z0-9])`, "g") : undefined;
  const str = (s: string) => mapping.get(s) ?? (pattern ? s.replace(pattern, (m) => mapping.get(m) ?? m) : s);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return str(v);
    if (v === null || typeof v !== "object" || v instanceof Date) return v;
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Set) return new Set([...v].map(walk));
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [walk(k), walk(x)]));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[str(k)] = walk((v as Record<string, unknown>)[k]);
    return out;
  };
  return walk;
}
