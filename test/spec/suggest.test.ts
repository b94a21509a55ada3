// "did you mean": the bounded edit distance agrees with a brute-force oracle.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closest, editDistance, NameIndex } from "../../src/spec/suggest.js";

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

/** The hint rule written out plainly: the nearest name within the typo budget
 * (none for names under 3 letters), ties alphabetical; else the one name that
 * extends `name` or that `name` extends, the shorter being at least 3 letters. */
function closestOracle(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const max = name.length < 3 ? 0 : Math.max(1, Math.floor(name.length / 3));
  const others = [...new Set(known)].filter((k) => k !== name);
  const scored = others.map((k) => ({ k, d: k.toLowerCase() === lower ? 0 : oracle(lower, k.toLowerCase()) }));
  const best = Math.min(Number.POSITIVE_INFINITY, ...scored.map((s) => s.d));
  if (best <= max) return scored.filter((s) => s.d === best).map((s) => s.k).sort()[0];
  const related = others.filter((k) => {
    const kl = k.toLowerCase();
    if (kl === lower || Math.min(kl.length, lower.length) < 3) return false;
    return kl.startsWith(lower) || lower.startsWith(kl);
  });
  return related.length === 1 ? related[0] : undefined;
}

describe("closest", () => {
  it("finds typos, ignores case and far-off names", () => {
    expect(closest("servcies", ["services", "channels"])).toBe("services");
    expect(closest("Inventory", ["inventory", "order"])).toBe("inventory");
    expect(closest("xyz", ["services", "channels"])).toBeUndefined();
  });

  it("suggests the one name a prefix stands for, or the one name a longer name extends", () => {
    expect(closest("order", ["ordering", "billing"])).toBe("ordering");
    expect(closest("order", ["ordering", "orders-v2"])).toBeUndefined();
    expect(closest("ordering-service", ["ordering", "billing"])).toBe("ordering");
  });

  it("gives no hint for one- and two-letter names, where every short name is one edit away", () => {
    expect(closest("b", ["a", "c"])).toBeUndefined();
    expect(closest("ab", ["ac", "xy"])).toBeUndefined();
    expect(closest("B", ["b"])).toBe("b");
  });

  it("agrees with the plainly written rule on random names", () => {
    const name = fc.string({ unit: fc.constantFrom("a", "b", "c", "A"), maxLength: 7 });
    fc.assert(
      fc.property(name, fc.array(name, { maxLength: 8 }), (n, known) => {
        expect(closest(n, known)).toBe(closestOracle(n, known));
        expect(closest(n, new NameIndex(known))).toBe(closestOracle(n, known));
      }),
      { numRuns: 2000 },
    );
  });

  it("answers a few hundred searches over 100,000 names in well under a second each", () => {
    const known = Array.from({ length: 100_000 }, (_, i) => `service-${i}`);
    const index = new NameIndex(known);
    const start = performance.now();
    for (let i = 0; i < 200; i++) expect(index.closest(`servcie-${i * 400}`)).toBe(`service-${i * 400}`);
    // A plain scan computing every distance took ~150 ms a search here; the budget is generous for slow machines.
    expect((performance.now() - start) / 200).toBeLessThan(50);
  });
});
