// Fair-cycle detection on small random graphs against a brute-force oracle that knows nothing
// of strongly connected components: a fair loop exists iff some set of states S, with the edges
// among them, is strongly connected and every message deliverable in all of S is acted on by an
// edge inside S (a walk that covers S and all its edges is then a fair loop).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { findFairLasso, type LassoGraph } from "../../src/check/explore/lasso.js";

interface Out {
  message: number;
  /** -1: enabled, not explored. */
  to: number;
}
interface RandomGraph {
  out: Out[][];
  depth: number[];
}

const randomGraph: fc.Arbitrary<RandomGraph> = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.record({
    out: fc.array(
      fc.uniqueArray(fc.record({ message: fc.integer({ min: 0, max: 3 }), to: fc.integer({ min: -1, max: n - 1 }) }), { maxLength: 4, selector: (o) => o.message }),
      { minLength: n, maxLength: n },
    ),
    depth: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
  }),
);

function toGraph(g: RandomGraph): LassoGraph {
  const from: number[] = [];
  const to: number[] = [];
  const via: number[] = [];
  const message: number[] = [];
  g.out.forEach((outs, s) =>
    outs.forEach((o, i) => {
      from.push(s);
      to.push(o.to);
      via.push(i);
      message.push(o.message);
    }),
  );
  return { states: g.out.length, from, to, via, message, depth: g.depth };
}

/** States lying on some fair loop, by brute force over state sets. */
function oracle(g: RandomGraph): Set<number> {
  const n = g.out.length;
  const onFair = new Set<number>();
  for (let mask = 1; mask < 1 << n; mask++) {
    const S = [...Array(n).keys()].filter((s) => mask & (1 << s));
    const inS = (s: number) => s >= 0 && (mask & (1 << s)) !== 0;
    const edges = S.flatMap((s) => g.out[s]!.filter((o) => inS(o.to)).map((o) => ({ from: s, ...o })));
    if (edges.length === 0) continue;
    const reach = (forward: boolean) => {
      const seen = new Set([S[0]!]);
      for (let changed = true; changed; ) {
        changed = false;
        for (const e of edges) {
          const [a, b] = forward ? [e.from, e.to] : [e.to, e.from];
          if (seen.has(a) && !seen.has(b)) {
            seen.add(b);
            changed = true;
          }
        }
      }
      return seen.size === S.length;
    };
    if (!reach(true) || !reach(false)) continue;
    const everywhere = [0, 1, 2, 3].filter((m) => S.every((s) => g.out[s]!.some((o) => o.message === m)));
    if (everywhere.every((m) => edges.some((e) => e.message === m))) for (const s of S) onFair.add(s);
  }
  return onFair;
}

/** Follows the loop from `entry`; returns the states visited, or undefined if it does not close. */
function walk(g: RandomGraph, entry: number, loop: number[]): { states: number[]; taken: number[] } | undefined {
  const states = [entry];
  const taken: number[] = [];
  let cur = entry;
  for (const i of loop) {
    const o = g.out[cur]![i];
    if (!o || o.to < 0) return undefined;
    taken.push(o.message);
    cur = o.to;
    states.push(cur);
  }
  return cur === entry ? { states, taken } : undefined;
}

describe("fair lasso detection", () => {
  it("finds a fair loop exactly when one exists, from the closest state on one, and the loop it returns is fair", () => {
    fc.assert(
      fc.property(randomGraph, (g) => {
        const fair = oracle(g);
        const { lasso, cyclic } = findFairLasso(toGraph(g));
        expect(lasso !== undefined).toBe(fair.size > 0);
        if (fair.size > 0) expect(cyclic).toBe(true);
        if (!lasso) return;
        expect(g.depth[lasso.entry]).toBe(Math.min(...[...fair].map((s) => g.depth[s]!)));
        const w = walk(g, lasso.entry, lasso.loop);
        expect(w).toBeDefined();
        expect(lasso.loop.length).toBeGreaterThan(0);
        const starved = [0, 1, 2, 3].filter((m) => w!.states.every((s) => g.out[s]!.some((o) => o.message === m)) && !w!.taken.includes(m));
        expect(starved).toEqual([]);
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it("does not take a loop that starves a message for a non-termination", () => {
    // State 0: message 0 throws (self-loop), message 1 (the one that would make it succeed) waits.
    const g: RandomGraph = { out: [[{ message: 0, to: 0 }, { message: 1, to: 1 }], [{ message: 0, to: 2 }], []], depth: [0, 1, 2] };
    expect(findFairLasso(toGraph(g))).toEqual({ cyclic: true });
    // Once message 1 is gone, message 0 throwing forever is fair: nothing else is owed.
    const poisoned: RandomGraph = { out: [[{ message: 0, to: 0 }, { message: 1, to: 1 }], [{ message: 0, to: 1 }]], depth: [0, 1] };
    expect(findFairLasso(toGraph(poisoned))).toEqual({ cyclic: true, lasso: { entry: 1, loop: [0] } });
  });

  it("a message enabled but never explored (asleep) still counts as starved", () => {
    const g: RandomGraph = { out: [[{ message: 0, to: 0 }, { message: 1, to: -1 }]], depth: [0] };
    expect(findFairLasso(toGraph(g)).lasso).toBeUndefined();
  });
});
