// "did you mean": the bounded edit distance agrees with a brute-force oracle.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closest, editDistance } from "../../src/spec/suggest.js";

/** Optimal string alignment distance by plain recursion with memo: the oracle. */
function oracle(a: string, b: string): number {
  const memo = new Map<string, number>();
  const d = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let best = Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d(i - 2, j - 2) + 1);
    memo.set(key, best);
    return best;
  };
  return d(a.length, b.length);
}

const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "d"), maxLength: 8 });

describe("editDistance", () => {
  it("equals the oracle", () => {
    fc.assert(fc.property(word, word, (a, b) => editDistance(a, b) === oracle(a, b)));
  });

  it("with a bound, is exact up to the bound and bound + 1 beyond it", () => {
    fc.assert(
      fc.property(word, word, fc.nat({ max: 4 }), (a, b, max) => {
        const exact = oracle(a, b);
        expect(editDistance(a, b, max)).toBe(exact <= max ? exact : max + 1);
      }),
    );
  });

  it("counts a transposition as one edit", () => {
    expect(editDistance("servcies", "services")).toBe(1);
  });
});

describe("closest", () => {
  it("finds typos, ignores case and far-off names", () => {
    expect(closest("servcies", ["services", "channels"])).toBe("services");
    expect(closest("Inventory", ["inventory", "order"])).toBe("inventory");
    expect(closest("xyz", ["services", "channels"])).toBeUndefined();
  });

  it("returns a candidate within the threshold exactly when the oracle finds one", () => {
    fc.assert(
      fc.property(word.filter((w) => w.length > 0), fc.array(word, { maxLength: 6 }), (name, known) => {
        const max = Math.max(1, Math.floor(name.length / 3));
        const distances = known.filter((k) => k !== name).map((k) => (k.toLowerCase() === name.toLowerCase() ? 0 : oracle(name, k)));
        const best = Math.min(Number.POSITIVE_INFINITY, ...distances);
        const found = closest(name, known);
        if (best <= max) {
          expect(found).toBeDefined();
          expect(oracle(name, found ?? "")).toBe(best);
          // Ties go to the alphabetically first name, so the hint is deterministic.
          const tied = known.filter((k) => k !== name && oracle(name, k) === best).sort();
          expect(found).toBe(tied[0]);
        } else {
          expect(found).toBeUndefined();
        }
      }),
    );
  });
});
