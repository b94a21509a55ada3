// What a divergence report shows: the paths where two system states differ, and which side
// lacks a path (JSON has no undefined, so "absent" must be said, not confused with null).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDiff } from "../../src/check/simulate/diff.js";
import { diffServices, plainCodec } from "../../src/model/system/index.js";

describe("diffServices", () => {
  it("names each differing path, and the side that lacks it", () => {
    const actual = { cart: { c1: { items: { s1: 2 }, note: null } }, pricing: { total: 1 } };
    const expected = { cart: { c1: { items: {}, note: "x" } }, pricing: { total: 1 } };
    const diff = diffServices(plainCodec, ["cart", "pricing"], actual, expected);
    expect(diff).toEqual([
      { service: "cart", path: "c1.items.s1", actual: 2, expected: null, absent: "expected" },
      { service: "cart", path: "c1.note", actual: null, expected: "x" },
    ]);
    expect(formatDiff(diff)).toEqual(["cart.c1.items.s1: 2, expected (absent)", 'cart.c1.note: null, expected "x"']);
    // and survives the trip through a trace file
    expect(formatDiff(JSON.parse(JSON.stringify(diff)))).toEqual(formatDiff(diff));
  });

  it("is empty exactly when the states are equal, and every entry's sides differ", () => {
    const value = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 2 }), fc.constantFrom("a", "b"));
    const state = fc.dictionary(fc.constantFrom("a", "b", "c"), fc.oneof(value, fc.dictionary(fc.constantFrom("x", "y"), value)));
    fc.assert(
      fc.property(state, state, (a, b) => {
        const diff = diffServices(plainCodec, ["s"], { s: a }, { s: b });
        expect(diff.length === 0).toBe(plainCodec.equal(a, b));
        for (const d of diff) {
          expect(JSON.stringify(d.actual) === JSON.stringify(d.expected) && d.absent === undefined).toBe(false);
          if (d.absent) expect(d[d.absent]).toBeNull();
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
