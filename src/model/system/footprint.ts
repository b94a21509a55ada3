// What a handler call (or a predicate) observes of a service state, and what it changes: the
// ground on which the explorer's key reduction decides that two keys' events are independent.
//
// Reads are seen by running the code on read-tracking Proxies: an entry read (a plain-object
// property, a Map entry, a Set element, present or absent) is noted with its path; enumerating a
// container (own keys, for-in, spread, Map/Set iteration, size) is a read of its key set.
// Containers reached are handed out as Proxies too, so reading inside them is seen; arrays,
// Dates and class instances are atomic values: reaching one reads all of it. Writes are a
// structural diff of the state before and after, at entry granularity.
//
// A guard sees every access before it happens and may abort it (the reduction uses it to find
// which other keys' parts a call depends on); opaque markers stand for another key's record the
// code must not look into (any access to one is noted and aborts the call).
import { encodeValue } from "../runtime/codec.js";

/** A location in a service state: segments joined by SEP (see `child`). */
export type PathKey = string;

const SEP = "\u0001";

/** The path of a service's whole state. */
export function rootPath(service: string): PathKey {
  return `r${JSON.stringify(service)}`;
}

/** Map keys and Set elements that can be named in a path (others make their container atomic). */
type Scalar = string | number | boolean | bigint | null | undefined;
const isScalar = (v: unknown): v is Scalar => v === null || (typeof v !== "object" && typeof v !== "function" && typeof v !== "symbol");

function scalarText(v: Scalar): string {
  switch (typeof v) {
    case "string":
      return `s${JSON.stringify(v)}`;
    case "number":
      return `n${Object.is(v, -0) ? "0" : String(v)}`;
    case "boolean":
      return v ? "t" : "f";
    case "bigint":
      return `i${v}`;
    case "undefined":
      return "u";
    default:
      return "l";
  }
}

function scalarOf(text: string): Scalar {
  switch (text[0]) {
    case "s":
      return JSON.parse(text.slice(1)) as string;
    case "n":
      return Number(text.slice(1));
    case "t":
      return true;
    case "f":
      return false;
    case "i":
      return BigInt(text.slice(1));
    case "u":
      return undefined;
    default:
      return null;
  }
}

const quoted = new Map<string, string>();
function quote(name: string): string {
  let q = quoted.get(name);
  if (q === undefined) {
    q = JSON.stringify(name);
    if (quoted.size < 100_000) quoted.set(name, q);
  }
  return q;
}

// Child paths are remembered: the same few are asked for in every tracked call.
const children = new Map<PathKey, Map<string, PathKey>>();
let childCount = 0;
export function propPath(parent: PathKey, name: string): PathKey {
  let byName = children.get(parent);
  if (byName === undefined) {
    if (childCount > 200_000) {
      children.clear();
      childCount = 0;
    }
    children.set(parent, (byName = new Map()));
  }
  let p = byName.get(name);
  if (p === undefined) {
    p = `${parent}${SEP}p${quote(name)}`;
    byName.set(name, p);
    childCount++;
  }
  return p;
}
export const entryPath = (parent: PathKey, key: Scalar): PathKey => `${parent}${SEP}m${scalarText(key)}`;
export const elementPath = (parent: PathKey, element: Scalar): PathKey => `${parent}${SEP}e${scalarText(element)}`;

/** `a` is `b` or contains it. */
export function covers(a: PathKey, b: PathKey): boolean {
  return a === b || (b.length > a.length && b.startsWith(a) && b[a.length] === SEP);
}

/** The container path of an entry path (undefined for a root). */
export function parentPath(p: PathKey): PathKey | undefined {
  const i = p.lastIndexOf(SEP);
  return i < 0 ? undefined : p.slice(0, i);
}

/** Strict ancestors of a path, nearest first. */
export function* ancestors(p: PathKey): Generator<PathKey> {
  for (let i = p.lastIndexOf(SEP); i >= 0; i = p.lastIndexOf(SEP, i - 1)) yield p.slice(0, i);
}

type Segment = { kind: "prop"; name: string } | { kind: "entry"; key: Scalar } | { kind: "element"; key: Scalar };

/** The segments of a path after its root, and the root's service name. */
const decoded = new Map<PathKey, { service: string; segments: Segment[] }>();
export function decodePath(p: PathKey): { service: string; segments: Segment[] } {
  let d = decoded.get(p);
  if (d === undefined) {
    d = decode(p);
    if (decoded.size < 100_000) decoded.set(p, d);
  }
  return d;
}

function decode(p: PathKey): { service: string; segments: Segment[] } {
  const parts = p.split(SEP);
  const service = JSON.parse(parts[0]!.slice(1)) as string;
  const segments = parts.slice(1).map((s): Segment => {
    const body = s.slice(1);
    if (s[0] === "p") return { kind: "prop", name: JSON.parse(body) as string };
    if (s[0] === "m") return { kind: "entry", key: scalarOf(body) };
    return { kind: "element", key: scalarOf(body) };
  });
  return { service, segments };
}

/** A human form of a path: `dock.orders.o1`. */
export function describePath(p: PathKey): string {
  const { service, segments } = decodePath(p);
  return [service, ...segments.map((s) => (s.kind === "prop" ? s.name : s.kind === "entry" ? `get(${String(s.key)})` : `has(${String(s.key)})`))].join(".");
}

export type Kind = "plain" | "map" | "set" | "atomic" | "scalar";
const kinds = new WeakMap<object, Kind>();

/** How a value is tracked: containers entry by entry, anything else as one value. */
export function kindOf(v: unknown): Kind {
  if (v === null || typeof v !== "object") return "scalar";
  if (Array.isArray(v)) return "atomic";
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null) return "plain";
  // Maps and Sets are containers when every key can be named in a path (looked at once per object).
  let k = kinds.get(v);
  if (k !== undefined) return k;
  if (v instanceof Map) {
    k = "map";
    for (const key of v.keys()) if (!isScalar(key)) k = "atomic";
  } else if (v instanceof Set) {
    k = "set";
    for (const x of v) if (!isScalar(x)) k = "atomic";
  } else k = "atomic";
  kinds.set(v, k);
  return k;
}

/** Plain-object fields count as present when defined (the codec's view: `undefined` is absent). */
const hasField = (o: object, name: string) => Object.hasOwn(o, name) && (o as Record<string, unknown>)[name] !== undefined;

/** What the code touched. */
export type Access = { kind: "entry"; path: PathKey } | { kind: "keys"; path: PathKey };

/** Thrown by an opaque record when touched (the code may catch it: `opaqueTouched` says so anyway). */
export class OpaqueAccess extends Error {}

export interface TrackerOptions {
  /** Sees every access first; may throw to abort the call. */
  guard?: (access: Access) => void;
  /** Values standing for another key's record: any access to one is noted and throws. */
  isOpaque?: (value: unknown) => boolean;
  /** Note reads (default true; false when only the guard, `passed` and the result matter). */
  record?: boolean;
}

interface Origin {
  target: object;
  path: PathKey;
}

/** The read sets of a tracker that does not note reads (never added to). */
const NOTHING: Set<PathKey> = new Set();

/** One tracked run: wrap the input, run the code, unwrap what it returned. */
export class Tracker {
  /** Entry values observed (scalars, atomic values, absence). */
  readonly reads: Set<PathKey>;
  /** Containers reached (their kind observed, not their contents). */
  readonly reached: Set<PathKey>;
  /** Containers whose key sets were observed. */
  readonly keyReads: Set<PathKey>;
  /** Input containers returned at their own path (everything in them kept). */
  readonly passed = new Set<PathKey>();
  /** Input containers returned elsewhere (in another place or in an event): read whole. */
  readonly moved = new Set<PathKey>();
  /** Where the code tried to change its input. */
  mutated: PathKey | undefined;
  /** The first opaque record the code looked into. */
  opaqueTouched: PathKey | undefined;
  private readonly proxies = new Map<PathKey, object>();
  // (A Map, not a WeakMap: a tracker lives for one call, and WeakMaps are dear to make.)
  private readonly origins = new Map<object, Origin>();

  private readonly guard: ((access: Access) => void) | undefined;
  private readonly record: boolean;

  constructor(private readonly options: TrackerOptions = {}) {
    this.guard = options.guard;
    this.record = options.record ?? true;
    this.reads = this.record ? new Set() : NOTHING;
    this.reached = this.record ? new Set() : NOTHING;
    this.keyReads = this.record ? new Set() : NOTHING;
  }

  /** The value at `path` as the code sees it. */
  wrap(value: unknown, path: PathKey): unknown {
    if (value === null || typeof value !== "object") return value;
    if (this.options.isOpaque?.(value)) return this.cached(path, () => this.opaque(value, path));
    const kind = kindOf(value);
    if (kind === "plain") return this.cached(path, () => this.plain(value, path));
    if (kind === "map") return this.cached(path, () => this.map(value as Map<Scalar, unknown>, path));
    if (kind === "set") return this.cached(path, () => this.set(value as Set<Scalar>, path));
    return value;
  }

  /** What the code returned, with the input's Proxies replaced by what they stand for. `at`: where
   * the value goes in the new state (undefined: elsewhere, e.g. in an emitted event). */
  unwrap(value: unknown, at: PathKey | undefined, depth = 0): unknown {
    if (value === null || typeof value !== "object") return value;
    const origin = this.origins.get(value);
    if (origin) {
      if (at === origin.path) this.passed.add(at);
      else this.moved.add(origin.path);
      return origin.target;
    }
    if (depth > 256) return value;
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const x: unknown = value[i];
        const u = this.unwrap(x, undefined, depth + 1);
        if (u !== x) (out ??= value.slice())[i] = u;
      }
      return out ?? value;
    }
    if (value instanceof Map) {
      let changed = false;
      const entries: [unknown, unknown][] = [];
      for (const [k, x] of value as Map<unknown, unknown>) {
        const uk = this.unwrap(k, undefined, depth + 1);
        const ux = this.unwrap(x, at !== undefined && isScalar(k) ? entryPath(at, k) : undefined, depth + 1);
        if (uk !== k || ux !== x) changed = true;
        entries.push([uk, ux]);
      }
      return changed ? new Map(entries) : value;
    }
    if (value instanceof Set) {
      let changed = false;
      const items: unknown[] = [];
      for (const x of value as Set<unknown>) {
        const u = this.unwrap(x, undefined, depth + 1);
        if (u !== x) changed = true;
        items.push(u);
      }
      return changed ? new Set(items) : value;
    }
    if (value instanceof Date) return value;
    let out: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      const x = record[k];
      const u = this.unwrap(x, at !== undefined ? propPath(at, k) : undefined, depth + 1);
      if (u !== x) {
        out ??= Object.assign(Object.create(Object.getPrototypeOf(record) as object | null) as Record<string, unknown>, record);
        out[k] = u;
      }
    }
    return out ?? value;
  }

  private cached(path: PathKey, make: () => object): object {
    let p = this.proxies.get(path);
    if (!p) {
      p = make();
      this.proxies.set(path, p);
    }
    return p;
  }

  private register(proxy: object, target: object, path: PathKey): object {
    this.origins.set(proxy, { target, path });
    return proxy;
  }

  /** An entry at `path` is read: its value if scalar or atomic, its kind if a container. */
  private entry(path: PathKey, value: unknown, present: boolean): unknown {
    if (!present) {
      if (this.record) this.reads.add(path);
      return value;
    }
    if (value === null || typeof value !== "object") {
      if (this.record) this.reads.add(path);
      return value;
    }
    const opaque = this.options.isOpaque?.(value) ?? false;
    const kind = opaque ? "plain" : kindOf(value);
    if (this.record) (kind === "atomic" ? this.reads : this.reached).add(path);
    return kind === "atomic" ? value : this.wrap(value, path);
  }

  private touch(access: Access): void {
    if (this.guard) this.guard(access);
  }

  private plain(target: object, path: PathKey): object {
    return this.register(new Proxy(new Shadow(target, path, this), plainHandler), target, path);
  }

  /** (For the shared plain-object handler.) */
  readEntry(path: PathKey, target: object, name: string): unknown {
    const p = propPath(path, name);
    this.touch({ kind: "entry", path: p });
    if (Object.hasOwn(target, name)) {
      const v = (target as Record<string, unknown>)[name];
      return this.entry(p, v, v !== undefined);
    }
    if (this.record) this.reads.add(p);
    return Reflect.get(target, name) as unknown;
  }

  /** (For the shared plain-object handler.) */
  hasEntry(path: PathKey, name: string): void {
    const p = propPath(path, name);
    this.touch({ kind: "entry", path: p });
    if (this.record) this.reads.add(p);
  }

  /** (For the shared plain-object handler.) */
  readKeys(path: PathKey): void {
    this.touch({ kind: "keys", path });
    if (this.record) this.keyReads.add(path);
  }

  /** (For the shared plain-object handler.) */
  describeEntry(path: PathKey, target: object, name: string): PropertyDescriptor | undefined {
    const d = Reflect.getOwnPropertyDescriptor(target, name);
    const p = propPath(path, name);
    this.touch({ kind: "entry", path: p });
    if (!d) {
      if (this.record) this.reads.add(p);
      return undefined;
    }
    // (Reported configurable: the Proxy's own target is a stand-in.)
    if (!("value" in d)) return { ...d, configurable: true };
    return { value: this.entry(p, d.value, d.value !== undefined), writable: true, enumerable: d.enumerable ?? true, configurable: true };
  }

  /** (For the shared handlers.) */
  refuse(path: PathKey): never {
    this.mutated ??= path;
    throw new TypeError("a handler must not change its input state");
  }

  private map(target: Map<Scalar, unknown>, path: PathKey): object {
    const keys = () => this.readKeys(path);
    const read = (k: Scalar, v: unknown) => this.entry(entryPath(path, k), v, true);
    const lookup = (k: unknown) => {
      if (!isScalar(k)) {
        // No entry has such a key (its container would be atomic): only the key set tells.
        keys();
        return undefined;
      }
      const p = entryPath(path, k);
      this.touch({ kind: "entry", path: p });
      return p;
    };
    const methods: Record<PropertyKey, unknown> = {
      get: (k: unknown) => {
        const p = lookup(k);
        if (p === undefined) return undefined;
        if (target.has(k as Scalar)) return this.entry(p, target.get(k as Scalar), true);
        if (this.record) this.reads.add(p);
        return undefined;
      },
      has: (k: unknown) => {
        const p = lookup(k);
        if (p !== undefined && this.record) this.reads.add(p);
        return target.has(k as Scalar);
      },
      keys: () => {
        keys();
        return target.keys();
      },
      values: function* () {
        keys();
        for (const [k, v] of target) yield read(k, v);
      },
      entries: function* () {
        keys();
        for (const [k, v] of target) yield [k, read(k, v)];
      },
      forEach: (fn: (v: unknown, k: unknown, m: unknown) => void, thisArg?: unknown) => {
        keys();
        for (const [k, v] of target) fn.call(thisArg, read(k, v), k, proxy);
      },
      set: () => this.refuse(path),
      delete: () => this.refuse(path),
      clear: () => this.refuse(path),
    };
    methods[Symbol.iterator] = methods.entries;
    const proxy: object = this.collection(target, path, Map.prototype, methods, keys);
    return this.register(proxy, target, path);
  }

  private set(target: Set<Scalar>, path: PathKey): object {
    const keys = () => this.readKeys(path);
    const methods: Record<PropertyKey, unknown> = {
      has: (x: unknown) => {
        if (!isScalar(x)) {
          keys();
          return false;
        }
        const p = elementPath(path, x);
        this.touch({ kind: "entry", path: p });
        if (this.record) this.reads.add(p);
        return target.has(x);
      },
      values: () => {
        keys();
        return target.values();
      },
      keys: () => {
        keys();
        return target.values();
      },
      entries: () => {
        keys();
        return target.entries();
      },
      forEach: (fn: (v: unknown, k: unknown, s: unknown) => void, thisArg?: unknown) => {
        keys();
        for (const x of target) fn.call(thisArg, x, x, proxy);
      },
      add: () => this.refuse(path),
      delete: () => this.refuse(path),
      clear: () => this.refuse(path),
    };
    methods[Symbol.iterator] = methods.values;
    const proxy: object = this.collection(target, path, Set.prototype, methods, keys);
    return this.register(proxy, target, path);
  }

  /** A Map or Set stand-in: its methods are ours (the built-ins refuse a Proxy as `this`). */
  private collection(target: Map<Scalar, unknown> | Set<Scalar>, path: PathKey, proto: object, methods: Record<PropertyKey, unknown>, keys: () => void): object {
    return new Proxy(
      {},
      {
        get: (_, prop) => {
          if (prop === "size") {
            keys();
            return target.size;
          }
          if (Object.hasOwn(methods, prop)) return methods[prop];
          return Reflect.get(proto, prop, target) as unknown;
        },
        has: (_, prop) => prop in target,
        ownKeys: () => [],
        getOwnPropertyDescriptor: () => undefined,
        getPrototypeOf: () => proto,
        set: () => this.refuse(path),
        defineProperty: () => this.refuse(path),
        deleteProperty: () => this.refuse(path),
        setPrototypeOf: () => this.refuse(path),
        preventExtensions: () => this.refuse(path),
      },
    );
  }

  /** Another key's record: looking into it is what the caller wants to know about. */
  private opaque(marker: object, path: PathKey): object {
    return this.register(new Proxy(new Shadow(marker, path, this), opaqueHandler), marker, path);
  }

  /** (For the shared opaque handler.) */
  touchedOpaque(path: PathKey): never {
    this.opaqueTouched ??= path;
    throw new OpaqueAccess(`looked into another key's record at ${describePath(path)}`);
  }

}

/** The stand-in target of a plain-object Proxy: what the shared handler needs to know. */
class Shadow {
  constructor(
    readonly target: object,
    readonly path: PathKey,
    readonly tracker: Tracker,
  ) {}
}

const plainHandler: ProxyHandler<Shadow> = {
  get: (s, prop) => (typeof prop === "symbol" ? (Reflect.get(s.target, prop) as unknown) : s.tracker.readEntry(s.path, s.target, prop)),
  has: (s, prop) => {
    if (typeof prop !== "symbol") s.tracker.hasEntry(s.path, prop);
    return Reflect.has(s.target, prop);
  },
  ownKeys: (s) => {
    s.tracker.readKeys(s.path);
    return Reflect.ownKeys(s.target);
  },
  getOwnPropertyDescriptor: (s, prop) => {
    if (typeof prop !== "symbol") return s.tracker.describeEntry(s.path, s.target, prop);
    const d = Reflect.getOwnPropertyDescriptor(s.target, prop);
    return d ? { ...d, configurable: true } : undefined;
  },
  getPrototypeOf: (s) => Reflect.getPrototypeOf(s.target),
  set: (s) => s.tracker.refuse(s.path),
  defineProperty: (s) => s.tracker.refuse(s.path),
  deleteProperty: (s) => s.tracker.refuse(s.path),
  setPrototypeOf: (s) => s.tracker.refuse(s.path),
  preventExtensions: (s) => s.tracker.refuse(s.path),
};

const touched = (s: Shadow): never => s.tracker.touchedOpaque(s.path);
const opaqueHandler: ProxyHandler<Shadow> = {
  get: touched,
  has: touched,
  ownKeys: touched,
  getOwnPropertyDescriptor: touched,
  getPrototypeOf: touched,
  set: touched,
  defineProperty: touched,
  deleteProperty: touched,
  setPrototypeOf: touched,
  preventExtensions: touched,
  isExtensible: touched,
};

/** Where two states of one service differ: entries added, removed or changed, and containers whose
 * key sets changed (an entry added or removed). */
export interface Writes {
  writes: Set<PathKey>;
  keyWrites: Set<PathKey>;
}

export function diffWrites(before: unknown, after: unknown, path: PathKey, out: Writes): void {
  if (before === after) return;
  const kb = kindOf(before);
  const ka = kindOf(after);
  if (kb !== ka) {
    out.writes.add(path);
    return;
  }
  switch (kb) {
    case "scalar":
      if (!(before !== before && after !== after)) out.writes.add(path);
      return;
    case "atomic":
      if (encodeValue(before) !== encodeValue(after)) out.writes.add(path);
      return;
    case "plain": {
      const b = before as Record<string, unknown>;
      const a = after as Record<string, unknown>;
      for (const k of Object.keys(b)) {
        if (b[k] === undefined) continue;
        if (!hasField(a, k)) {
          out.writes.add(propPath(path, k));
          out.keyWrites.add(path);
        } else diffWrites(b[k], a[k], propPath(path, k), out);
      }
      for (const k of Object.keys(a)) {
        if (a[k] !== undefined && !hasField(b, k)) {
          out.writes.add(propPath(path, k));
          out.keyWrites.add(path);
        }
      }
      return;
    }
    case "map": {
      const b = before as Map<Scalar, unknown>;
      const a = after as Map<Scalar, unknown>;
      for (const [k, v] of b) {
        if (!a.has(k)) {
          out.writes.add(entryPath(path, k));
          out.keyWrites.add(path);
        } else diffWrites(v, a.get(k), entryPath(path, k), out);
      }
      for (const k of a.keys()) {
        if (!b.has(k)) {
          out.writes.add(entryPath(path, k));
          out.keyWrites.add(path);
        }
      }
      return;
    }
    case "set": {
      const b = before as Set<Scalar>;
      const a = after as Set<Scalar>;
      for (const x of b) {
        if (!a.has(x)) {
          out.writes.add(elementPath(path, x));
          out.keyWrites.add(path);
        }
      }
      for (const x of a) {
        if (!b.has(x)) {
          out.writes.add(elementPath(path, x));
          out.keyWrites.add(path);
        }
      }
      return;
    }
  }
}

/** The value at `path` inside `state` (the service state at the path's root); `present` false when absent. */
export function valueAt(state: unknown, path: PathKey): { present: boolean; value: unknown } {
  let cur: unknown = state;
  for (const s of decodePath(path).segments) {
    if (cur === null || typeof cur !== "object") return { present: false, value: undefined };
    if (s.kind === "prop") {
      if (kindOf(cur) !== "plain" || !hasField(cur, s.name)) return { present: false, value: undefined };
      cur = (cur as Record<string, unknown>)[s.name];
    } else if (s.kind === "entry") {
      if (!(cur instanceof Map) || !cur.has(s.key)) return { present: false, value: undefined };
      cur = cur.get(s.key);
    } else {
      if (!(cur instanceof Set)) return { present: false, value: undefined };
      return cur.has(s.key) ? { present: true, value: true } : { present: false, value: undefined };
    }
  }
  return { present: true, value: cur };
}

/** `state` with the value at `path` replaced (or removed when not `present`), copying only the
 * containers on the way. Returns undefined when a container on the way is missing. */
export function withValueAt(state: unknown, path: PathKey, present: boolean, value: unknown): unknown {
  const segments = decodePath(path).segments;
  const go = (cur: unknown, i: number): unknown => {
    if (i === segments.length) return present ? value : undefined;
    const s = segments[i]!;
    if (cur === null || typeof cur !== "object") throw new MissingContainer();
    if (s.kind === "prop") {
      if (kindOf(cur) !== "plain") throw new MissingContainer();
      const rec = cur as Record<string, unknown>;
      const last = i === segments.length - 1;
      const next = last ? undefined : rec[s.name];
      const v = go(next, i + 1);
      const out = Object.assign(Object.create(Object.getPrototypeOf(rec) as object | null) as Record<string, unknown>, rec);
      if (last && !present) delete out[s.name];
      else out[s.name] = v;
      return out;
    }
    if (s.kind === "entry") {
      if (!(cur instanceof Map)) throw new MissingContainer();
      const last = i === segments.length - 1;
      const v = go(last ? undefined : cur.get(s.key), i + 1);
      const out = new Map(cur);
      if (last && !present) out.delete(s.key);
      else out.set(s.key, v);
      return out;
    }
    if (!(cur instanceof Set) || i !== segments.length - 1) throw new MissingContainer();
    const out = new Set(cur);
    if (present) out.add(s.key);
    else out.delete(s.key);
    return out;
  };
  try {
    return go(state, 0);
  } catch (error) {
    if (error instanceof MissingContainer) return undefined;
    throw error;
  }
}

class MissingContainer extends Error {}

/** `withValueAt` for several disjoint paths at once, copying each container on the way once. */
export function withValuesAt(state: unknown, entries: readonly { path: PathKey; present: boolean; value: unknown }[]): unknown {
  if (entries.length === 0) return state;
  if (entries.length === 1) return withValueAt(state, entries[0]!.path, entries[0]!.present, entries[0]!.value);
  interface Item {
    segments: Segment[];
    present: boolean;
    value: unknown;
  }
  const items: Item[] = entries.map((e) => ({ segments: decodePath(e.path).segments, present: e.present, value: e.value }));
  const segText = (s: Segment) => (s.kind === "prop" ? `p${s.name}` : `${s.kind[0]}${scalarText(s.key)}`);
  const go = (cur: unknown, group: Item[], depth: number): unknown => {
    if (cur === null || typeof cur !== "object") throw new MissingContainer();
    // Entries that end here are one group each; the others are grouped by their next segment.
    let bySeg: Map<string, Item[]> | undefined;
    const groups: Item[][] = [];
    for (const it of group) {
      if (it.segments.length === depth + 1) {
        groups.push([it]);
        continue;
      }
      const t = segText(it.segments[depth]!);
      const g = (bySeg ??= new Map()).get(t);
      if (g) g.push(it);
      else {
        const fresh = [it];
        bySeg.set(t, fresh);
        groups.push(fresh);
      }
    }
    const kind = kindOf(cur);
    let out: Record<string, unknown> | Map<Scalar, unknown> | Set<Scalar>;
    if (kind === "plain") out = Object.assign(Object.create(Object.getPrototypeOf(cur) as object | null) as Record<string, unknown>, cur);
    else if (kind === "map") out = new Map(cur as Map<Scalar, unknown>);
    else if (kind === "set") out = new Set(cur as Set<Scalar>);
    else throw new MissingContainer();
    for (const g of groups) {
      const s = g[0]!.segments[depth]!;
      const last = g.length === 1 && g[0]!.segments.length === depth + 1 ? g[0] : undefined;
      if (s.kind === "prop") {
        if (!(kind === "plain")) throw new MissingContainer();
        const rec = out as Record<string, unknown>;
        if (last) {
          if (last.present) rec[s.name] = last.value;
          else delete rec[s.name];
        } else rec[s.name] = go(rec[s.name], g, depth + 1);
      } else if (s.kind === "entry") {
        if (kind !== "map") throw new MissingContainer();
        const map = out as Map<Scalar, unknown>;
        if (last) {
          if (last.present) map.set(s.key, last.value);
          else map.delete(s.key);
        } else map.set(s.key, go(map.get(s.key), g, depth + 1));
      } else {
        if (kind !== "set" || !last) throw new MissingContainer();
        const set = out as Set<Scalar>;
        if (last.present) set.add(s.key);
        else set.delete(s.key);
      }
    }
    return out;
  };
  try {
    return go(state, items, 0);
  } catch (error) {
    if (error instanceof MissingContainer) return undefined;
    throw error;
  }
}

/** Structural equality with the codec's view of data (undefined fields absent, Map/Set order
 * free), quick where both sides share objects. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  switch (ka) {
    case "scalar":
      return a !== a && b !== b;
    case "atomic":
      return encodeValue(a) === encodeValue(b);
    case "plain": {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      let n = 0;
      for (const k of Object.keys(x)) {
        if (x[k] === undefined) continue;
        n++;
        if (!hasField(y, k) || !sameValue(x[k], y[k])) return false;
      }
      for (const k of Object.keys(y)) if (y[k] !== undefined) n--;
      return n === 0;
    }
    case "map": {
      const x = a as Map<Scalar, unknown>;
      const y = b as Map<Scalar, unknown>;
      if (x.size !== y.size) return false;
      for (const [k, v] of x) if (!y.has(k) || !sameValue(v, y.get(k))) return false;
      return true;
    }
    case "set": {
      const x = a as Set<Scalar>;
      const y = b as Set<Scalar>;
      if (x.size !== y.size) return false;
      for (const v of x) if (!y.has(v)) return false;
      return true;
    }
  }
}
