// TypeShape -> fast-check arbitrary of JSON values. Events must interact to
// expose bugs, so values are drawn from small pools: identifier-like fields
// (`id`, `*Id`, `key`, the channel key) from three values per field, numbers
// mostly small integers, strings mostly from a few short words. Every value is
// JSON: finite numbers (fractions exact in binary, so sums do not depend on
// their order), no -0, no undefined inside arrays, optional fields omitted.
import fc from "fast-check";
import type { TypeShape } from "./type-shape.js";

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
      if (shape.integer || ID_NAME.test(field)) return fc.integer({ min: -2, max: 10 });
      return fc.oneof(
        { arbitrary: fc.integer({ min: -2, max: 10 }), weight: 4 },
        { arbitrary: fc.integer({ min: -4000, max: 4000 }).map((n) => (n === 0 ? 0 : n / 4)), weight: 1 },
      );
    case "string":
      if (ctx.keyPaths.has(path) || ID_NAME.test(field)) return fc.constantFrom(...idPool(field, ctx.pool));
      if (shape.format === "date-time" || DATE_NAME.test(field)) {
        return fc.integer({ min: 0, max: 30 * 24 * 3600 }).map((s) => new Date(EPOCH + s * 1000).toISOString());
      }
      return fc.oneof({ arbitrary: fc.constantFrom(...WORDS), weight: 3 }, { arbitrary: fc.string({ maxLength: 6 }), weight: 1 });
    case "array":
      if (shape.items.kind === "cut") return fc.constant([]);
      return fc.array(build(shape.items, path, field, ctx), { maxLength: ctx.maxLength });
    case "tuple":
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
          record[f.name] = fc.constant(null);
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

/** JSON round trip: what a broker would deliver (drops -0, undefined). */
export function normalizeJson(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}
