// TypeShape -> fast-check arbitrary of JSON values. Events must interact to
// expose bugs, so values are drawn from small pools: identifier-like fields
// (`id`, `*Id`, `key`, the channel key) from three values per field, numbers
// mostly small integers, strings mostly from a few short words. Every value is
// JSON and fits the shape: finite numbers within the declared bounds (fractions
// exact in binary, so sums do not depend on their order), no -0, no undefined
// inside arrays, optional fields omitted, strings of the declared format,
// pattern and length. Numbers shrink towards the simplest value the bounds
// allow (integers before fractions, small before large).
import fc from "fast-check";
import type { ArrayShape, NumberShape, StringShape, TypeShape } from "./type-shape.js";

export interface ArbitraryOptions {
  /** Dotted paths that are keys (the channel `key:`): drawn from the key pool. */
  keyPaths?: readonly string[];
  /** Values per identifier pool (default 3). */
  poolSize?: number;
  /** Longest generated array (default 3). */
  maxLength?: number;
}

const ID_NAME = /(^id$|Id$|_id$|ID$|^key$|Key$)/;
const DATE_NAME = /(At$|Date$|^date$|Time$|^time$|^timestamp$|^at$)/;
const WORDS = ["a", "b", "c"];
const EPOCH = Date.UTC(2025, 0, 1);
/** Numbers without a bound on a side stay within this much of 0. */
const SPAN = 1000;

export function arbitraryOf(shape: TypeShape, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  return build(shape, "", "", { keyPaths: new Set(options.keyPaths ?? []), pool: options.poolSize ?? 3, maxLength: options.maxLength ?? 3 });
}

interface Ctx {
  keyPaths: Set<string>;
  pool: number;
  maxLength: number;
}

/** The identifier pool of a field: `orderId` -> order-1, order-2, order-3. */
export function idPool(field: string, size = 3): string[] {
  const base = field.replace(/(Id|_id|ID|Key)$/, "").replace(/^(id|key)$/, "k") || "k";
  return Array.from({ length: size }, (_, i) => `${base.toLowerCase()}-${i + 1}`);
}

function build(shape: TypeShape, path: string, field: string, ctx: Ctx): fc.Arbitrary<unknown> {
  switch (shape.kind) {
    case "literal":
      return fc.constant(shape.value);
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "number":
      return numberArbitrary(shape, ID_NAME.test(field));
    case "string":
      return stringArbitrary(shape, path, field, ctx);
    case "template":
      return fc
        .tuple(...shape.types.map((t) => build(t, path, "", ctx)))
        .map((values) => shape.texts[0] + values.map((v, i) => `${String(v)}${shape.texts[i + 1] ?? ""}`).join(""));
    case "array":
      return arrayArbitrary(shape, path, field, ctx);
    case "tuple":
      // (pruneCuts leaves no cut element; null only for hand-made shapes)
      return fc.tuple(...shape.items.map((t, i) => (t.kind === "cut" ? fc.constant(null) : build(t, `${path}.${i}`, field, ctx))));
    case "union": {
      const options = shape.options.filter((o) => o.kind !== "cut");
      if (options.length === 0) return fc.constant(null);
      return options.length === 1 ? build(options[0] as TypeShape, path, field, ctx) : fc.oneof(...options.map((o) => build(o, path, field, ctx)));
    }
    case "object": {
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const f of shape.fields) {
        if (f.type.kind === "cut") {
          if (f.optional) continue;
          record[f.name] = fc.constant(null); // (pruneCuts leaves no required cut field)
        } else record[f.name] = build(f.type, path ? `${path}.${f.name}` : f.name, f.name, ctx);
        if (!f.optional) required.push(f.name);
      }
      const fixed = fc.record(record, { requiredKeys: required });
      if (!shape.rest || shape.rest.kind === "cut") return fixed;
      const rest = fc.dictionary(fc.constantFrom(...idPool(field || "k", ctx.pool)), build(shape.rest, `${path}.*`, field, ctx), { maxKeys: ctx.maxLength });
      if (shape.fields.length === 0) return rest;
      return fc.tuple(rest, fixed).map(([extra, base]) => ({ ...extra, ...base }));
    }
    case "json":
      return fc.jsonValue({ maxDepth: 2 }).map(normalizeJson);
    case "cut":
      return fc.constant(null);
  }
}

function arrayArbitrary(shape: ArrayShape, path: string, field: string, ctx: Ctx): fc.Arbitrary<unknown> {
  const minLength = shape.minItems ?? 0;
  const maxLength = Math.max(minLength, Math.min(shape.maxItems ?? Infinity, ctx.maxLength));
  if (shape.items.kind === "cut") return fc.constant([]);
  const item = build(shape.items, path, field, ctx);
  if (shape.uniqueItems) return fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) });
  return fc.array(item, { minLength, maxLength });
}

// ---- numbers ----

/**
 * Numbers are drawn as a side of the whole step nearest 0 (above it first), a
 * count of whole steps from it (integers, or multiples of multipleOf) and, for
 * plain numbers, a quarter taken back towards it (5.25 is 6 steps less 0.75).
 * Shrinking moves the side to "above", the fraction to none and the count
 * towards 0, each monotone in the distance from 0: a failure that needs a
 * number above 5 shrinks to 6 (not 5.25), one that needs at least 100 to 100.
 */
function numberArbitrary(shape: NumberShape, idLike: boolean): fc.Arbitrary<number> {
  const b = bounds(shape);
  const integer = shape.integer === true || (idLike && shape.multipleOf === undefined);
  const unit = shape.multipleOf !== undefined ? (integer && !Number.isInteger(shape.multipleOf) ? 1 : shape.multipleOf) : 1;
  const whole = multiples(unit, b);
  if (whole.kLo > whole.kHi) return continuousNumber(shape);
  const inRange = (x: number) => (b.loOpen ? x > b.lo : x >= b.lo) && (b.hiOpen ? x < b.hi : x <= b.hi);
  const k0 = Math.min(Math.max(0, whole.kLo), whole.kHi);
  const origin = exact(k0 * unit);
  const up = whole.kHi - k0;
  const down = k0 - whole.kLo;
  const fractions = integer || shape.multipleOf !== undefined ? [0] : [0, 0, 0, 0.5, 0.25, 0.75];
  const at = (below: boolean, steps: number, fraction: number): number => {
    const sign = (below && down > 0) || up === 0 ? -1 : 1;
    const x = exact(origin + sign * (Math.min(steps, sign > 0 ? up : down) * unit - fraction));
    return inRange(x) ? x : exact(origin + sign * Math.min(steps, sign > 0 ? up : down) * unit);
  };
  const wide = fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: Math.max(up, down) }), fc.constantFrom(...fractions))
    .map(([below, steps, fraction]) => at(below, steps, fraction));
  const smallRange = multiples(unit, bounds({ ...shape, minimum: Math.max(-2, b.lo), maximum: Math.min(10, b.hi) }));
  const small = smallRange.kLo <= smallRange.kHi ? fc.integer({ min: smallRange.kLo, max: smallRange.kHi }).map((k) => exact(k * unit)) : wide;
  if (idLike) return small;
  return fc.oneof({ arbitrary: small, weight: 4 }, { arbitrary: wide, weight: 1 });
}

function bounds(shape: NumberShape): { lo: number; hi: number; loOpen: boolean; hiOpen: boolean } {
  let lo = shape.minimum ?? -Infinity;
  let hi = shape.maximum ?? Infinity;
  let loOpen = false;
  let hiOpen = false;
  if (shape.exclusiveMinimum !== undefined && shape.exclusiveMinimum >= lo) [lo, loOpen] = [shape.exclusiveMinimum, true];
  if (shape.exclusiveMaximum !== undefined && shape.exclusiveMaximum <= hi) [hi, hiOpen] = [shape.exclusiveMaximum, true];
  // A side without a bound: SPAN around 0, or around the other bound when it is far from 0.
  if (lo === -Infinity) lo = Math.min(-SPAN, hi - 2 * SPAN);
  if (hi === Infinity) hi = Math.max(SPAN, lo + 2 * SPAN);
  return { lo, hi, loOpen, hiOpen };
}

/** Multiples k * step with lo <= k * step <= hi (open ends excluded). */
function multiples(step: number, b: ReturnType<typeof bounds>): { kLo: number; kHi: number } {
  let kLo = Math.ceil(b.lo / step);
  let kHi = Math.floor(b.hi / step);
  if (b.loOpen && kLo * step <= b.lo) kLo++;
  if (b.hiOpen && kHi * step >= b.hi) kHi--;
  return { kLo, kHi };
}

const exact = (x: number) => (Number.isInteger(x) ? x : Number.parseFloat(x.toPrecision(15)));

/** A range too narrow for quarters (0 < x < 0.1): any double in it. */
function continuousNumber(shape: NumberShape): fc.Arbitrary<number> {
  const b = bounds(shape);
  if (!(b.lo < b.hi || (b.lo === b.hi && !b.loOpen && !b.hiOpen))) return fc.constant(b.lo); // empty: nothing fits
  return fc.double({ min: b.lo, max: b.hi, minExcluded: b.loOpen, maxExcluded: b.hiOpen, noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));
}

// ---- strings ----

function stringArbitrary(shape: StringShape, path: string, field: string, ctx: Ctx): fc.Arbitrary<string> {
  const constrained = shape.format !== undefined || shape.pattern !== undefined || shape.minLength !== undefined || shape.maxLength !== undefined;
  if (ctx.keyPaths.has(path) || ID_NAME.test(field)) {
    return fc.constantFrom(...(constrained ? poolOf(constrainedString(shape), field, ctx.pool) : idPool(field, ctx.pool)));
  }
  if (!constrained && DATE_NAME.test(field)) return dateTime();
  return constrainedString(shape);
}

/** `size` different values of an arbitrary, the same on every run (a pool for identifier fields with a format or pattern). */
function poolOf(arb: fc.Arbitrary<string>, field: string, size: number): string[] {
  let seed = 7;
  for (const ch of field) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) | 0;
  const values = [...new Set(fc.sample(arb, { numRuns: 10 * size, seed }))].slice(0, size);
  return values.length > 0 ? values : [""];
}

const dateTime = () => fc.integer({ min: 0, max: 30 * 24 * 3600 }).map((s) => new Date(EPOCH + s * 1000).toISOString());

/** Generators for the JSON Schema formats an event field may declare. */
const FORMATS: Record<string, () => fc.Arbitrary<string>> = {
  "date-time": dateTime,
  date: () => fc.integer({ min: 0, max: 365 }).map((d) => new Date(EPOCH + d * 86_400_000).toISOString().slice(0, 10)),
  time: () => fc.integer({ min: 0, max: 24 * 3600 - 1 }).map((s) => new Date(EPOCH + s * 1000).toISOString().slice(11, 19)),
  email: () => fc.constantFrom(...WORDS).map((w) => `${w}@example.com`),
  "idn-email": () => fc.constantFrom(...WORDS).map((w) => `${w}@example.com`),
  uuid: () => fc.integer({ min: 1, max: 3 }).map((n) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`),
  guid: () => fc.integer({ min: 1, max: 3 }).map((n) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`),
  uri: () => fc.constantFrom(...WORDS).map((w) => `https://example.com/${w}`),
  url: () => fc.constantFrom(...WORDS).map((w) => `https://example.com/${w}`),
  iri: () => fc.constantFrom(...WORDS).map((w) => `https://example.com/${w}`),
  "uri-reference": () => fc.constantFrom(...WORDS).map((w) => `/${w}`),
  hostname: () => fc.constantFrom(...WORDS).map((w) => `${w}.example.com`),
  "idn-hostname": () => fc.constantFrom(...WORDS).map((w) => `${w}.example.com`),
  ipv4: () => fc.integer({ min: 1, max: 254 }).map((n) => `10.0.0.${n}`),
  ipv6: () => fc.integer({ min: 1, max: 254 }).map((n) => `2001:db8::${n.toString(16)}`),
  duration: () => fc.integer({ min: 1, max: 30 }).map((n) => `P${n}D`),
};

function constrainedString(shape: StringShape): fc.Arbitrary<string> {
  const minLength = shape.minLength ?? 0;
  const maxLength = shape.maxLength ?? Infinity;
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
  const format = shape.format !== undefined ? FORMATS[shape.format] : undefined;
  // A known format wins over its pattern (zod writes its own validation regex as the pattern).
  if (format) return shape.minLength === undefined && shape.maxLength === undefined ? format() : format().filter(fits);
  if (shape.pattern !== undefined) {
    const matching = stringMatching(shape.pattern);
    if (matching) return shape.minLength === undefined && shape.maxLength === undefined ? matching : matching.filter(fits);
  }
  if (maxLength < minLength) return fc.constant("");
  const word = (w: string) => w.repeat(Math.max(1, minLength)).slice(0, Math.min(Math.max(1, minLength), maxLength));
  const words = fc.constantFrom(...WORDS.map(word));
  const any = fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength, 6)) });
  return fc.oneof({ arbitrary: words, weight: 3 }, { arbitrary: any, weight: 1 });
}

/** Strings matching a pattern, when fast-check can generate them (no lookaround or backreference). */
function stringMatching(pattern: string): fc.Arbitrary<string> | undefined {
  try {
    const regex = new RegExp(pattern);
    const arb = fc.stringMatching(regex);
    fc.sample(arb, { numRuns: 1, seed: 1 }); // unsupported syntax throws here
    return arb;
  } catch {
    return undefined;
  }
}

/** JSON round trip: what a broker would deliver (drops -0, undefined). */
export function normalizeJson(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}
