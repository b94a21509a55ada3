import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffValues, toPlainJSON, valueCodec } from "../../src/model/runtime/codec.js";

/** Values built from JSON scalars, arrays, objects, Maps, Sets and Dates. */
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("a", "b", ""), fc.boolean(), fc.constant(null)),
    fc.integer({ min: 0, max: 3 }).map((t) => new Date(t * 1000)),
    fc.array(tie("v"), { maxLength: 3 }),
    // spread: fc.dictionary may build null-prototype objects, which the oracle tells apart
    fc.dictionary(fc.constantFrom("x", "y", "z"), tie("v"), { maxKeys: 3 }).map((d) => ({ ...d })),
    fc.array(fc.tuple(fc.constantFrom("k1", "k2", "k3"), tie("v")), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }).map((e) => new Set(e)),
  ),
})).v;

/** The same value rebuilt with every object, Map and Set in reverse insertion order. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v instanceof Map) return new Map([...v].reverse().map(([k, x]) => [k, reordered(x)]));
  if (v instanceof Set) return new Set([...v].reverse());
  if (v instanceof Date) return new Date(v.getTime());
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)]));
  return v;
}

describe("valueCodec", () => {
  it("agrees with a structural deep-equality oracle", () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(valueCodec.equal(a, b)).toBe(isDeepStrictEqual(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it("ignores insertion order of objects, Maps and Sets", () => {
    fc.assert(
      fc.property(value, (a) => {
        expect(valueCodec.encode(reordered(a))).toBe(valueCodec.encode(a));
      }),
    );
  });

  it("treats undefined fields as absent and compares Dates by time", () => {
    expect(valueCodec.equal({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(valueCodec.equal(new Date(5), new Date(5))).toBe(true);
    expect(valueCodec.equal(new Date(5), new Date(6))).toBe(false);
    expect(valueCodec.equal(new Map([["a", 1]]), { a: 1 })).toBe(false);
  });

  it("gives a plain, sorted JSON form and a path-wise diff", () => {
    expect(toPlainJSON({ b: new Set([2, 1]), a: new Map([["k", new Date(0)]]) })).toEqual({ a: { k: "1970-01-01T00:00:00.000Z" }, b: [1, 2] });
    expect(diffValues({ o: { x: 1, y: [1, 2] } }, { o: { x: 2, y: [1] } })).toEqual([
      { path: "o.x", left: 1, right: 2 },
      { path: "o.y[1]", left: 2, right: undefined },
    ]);
  });
});
