// The cycle algorithms against brute-force oracles on random small graphs.
import { Graph } from "@dagrejs/graphlib";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  componentOf,
  cyclicComponents,
  elementaryCycles,
  indexEdges,
  indexGraph,
  shortestCycleInComponent,
  shortestCycleThrough,
  shortestPath,
  stronglyConnectedComponents,
} from "../../src/model/graph-algorithms.js";

interface SmallGraph {
  n: number;
  edges: [number, number][];
}

/** Node names that do not sort like their numbers ("n10" < "n2"), to catch index/name mix-ups. */
const nameOf = (i: number) => `n${i}`;

const smallGraph = (maxNodes: number) =>
  fc.integer({ min: 1, max: maxNodes }).chain((n) =>
    fc
      .uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3, selector: ([a, b]) => `${a},${b}` })
      .map((edges): SmallGraph => ({ n, edges })),
  );

function toGraphlib({ n, edges }: SmallGraph, shuffleSeed = 0): Graph {
  const g = new Graph();
  // Insert nodes in a scrambled order: results must not depend on insertion order.
  const order = Array.from({ length: n }, (_, k) => (k + shuffleSeed) % n);
  if (shuffleSeed % 2 === 1) order.reverse();
  for (const k of order) g.setNode(nameOf(k));
  for (const [a, b] of edges) g.setEdge(nameOf(a), nameOf(b));
  return g;
}

/** Floyd–Warshall distances in edges (path of >= 0 edges; Infinity when unreachable). */
function distances({ n, edges }: SmallGraph): number[][] {
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (const [a, b] of edges) if (a !== b) d[a]![b] = 1;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (d[i]![k]! + d[k]![j]! < d[i]![j]!) d[i]![j] = d[i]![k]! + d[k]![j]!;
  return d;
}

const hasEdge = (g: SmallGraph, a: number, b: number) => g.edges.some(([x, y]) => x === a && y === b);

/** Every simple cycle, by trying every sequence of distinct nodes that starts at its smallest. */
function bruteForceCycles(g: SmallGraph): Set<string> {
  const found = new Set<string>();
  const extend = (seq: number[]) => {
    const start = seq[0]!;
    const last = seq[seq.length - 1]!;
    if (hasEdge(g, last, start)) found.add([...seq, start].map(nameOf).join(" "));
    for (let v = start + 1; v < g.n; v++) if (!seq.includes(v) && hasEdge(g, last, v)) extend([...seq, v]);
  };
  for (let s = 0; s < g.n; s++) extend([s]);
  return found;
}

function assertRealCycle(g: Graph, cycle: string[]): void {
  expect(cycle.length).toBeGreaterThanOrEqual(2);
  expect(cycle[0]).toBe(cycle[cycle.length - 1]);
  for (let i = 0; i + 1 < cycle.length; i++) expect(g.hasEdge(cycle[i]!, cycle[i + 1]!)).toBe(true);
}

function assertElementary(cycle: string[]): void {
  const inner = cycle.slice(0, -1);
  expect(new Set(inner).size).toBe(inner.length);
}

describe("strongly connected components", () => {
  test.prop([smallGraph(9)], { numRuns: 300 })("same component <=> mutually reachable", (sg) => {
    const g = toGraphlib(sg);
    const d = distances(sg);
    const comps = stronglyConnectedComponents(g);
    const compOf = new Map<string, number>();
    comps.forEach((c, i) => c.forEach((v) => compOf.set(v, i)));
    expect(compOf.size).toBe(sg.n);
    expect(comps.flat().length).toBe(sg.n);
    for (let i = 0; i < sg.n; i++)
      for (let j = 0; j < sg.n; j++) {
        const mutual = d[i]![j]! < Infinity && d[j]![i]! < Infinity;
        expect(compOf.get(nameOf(i)) === compOf.get(nameOf(j))).toBe(mutual);
      }
  });

  test.prop([smallGraph(9)], { numRuns: 200 })("cyclic components are exactly those with a cycle", (sg) => {
    const g = toGraphlib(sg);
    const d = distances(sg);
    const cyclic = new Set(cyclicComponents(g).flat());
    for (let i = 0; i < sg.n; i++) {
      const onCycle = hasEdge(sg, i, i) || sg.edges.some(([a, b]) => a === i && b !== i && d[b]![i]! < Infinity);
      expect(cyclic.has(nameOf(i))).toBe(onCycle);
    }
  });

  test.prop([smallGraph(8), fc.nat(20)], { numRuns: 100 })("do not depend on insertion order", (sg, seed) => {
    const reversed: SmallGraph = { n: sg.n, edges: [...sg.edges].reverse() };
    expect(stronglyConnectedComponents(toGraphlib(reversed, seed))).toEqual(stronglyConnectedComponents(toGraphlib(sg)));
  });

  it("handles a 100,000-node ring and chain without overflowing the stack", () => {
    const n = 100_000;
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    const ringEdges = names.map((v, i) => [v, names[(i + 1) % n]!] as const);
    const ring = indexEdges(names, ringEdges);
    const comps = stronglyConnectedComponents(ring);
    expect(comps).toHaveLength(1);
    expect(comps[0]).toHaveLength(n);
    const witness = shortestCycleInComponent(ring, "s0");
    expect(witness?.cycle).toHaveLength(n + 1);
    expect(witness?.exact).toBe(true);
    expect(elementaryCycles(ring, { maxCycles: 5 }).cycles.map((c) => c.length)).toEqual([n + 1]);
    const chain = indexEdges(names, ringEdges.slice(0, -1));
    expect(stronglyConnectedComponents(chain)).toHaveLength(n);
    expect(cyclicComponents(chain)).toEqual([]);
  });

  test.prop([smallGraph(8)], { numRuns: 100 })("indexEdges and indexGraph agree", (sg) => {
    const edges = sg.edges.map(([a, b]) => [nameOf(a), nameOf(b)] as const);
    const nodes = Array.from({ length: sg.n }, (_, i) => nameOf(i));
    const direct = indexEdges(nodes, [...edges, ...edges]);
    const viaGraphlib = indexGraph(toGraphlib(sg));
    expect(direct.nodes).toEqual(viaGraphlib.nodes);
    expect(direct.succ.map((s) => [...s])).toEqual(viaGraphlib.succ.map((s) => [...s]));
  });

  it("componentOf names the members of a node's component", () => {
    const g = new Graph();
    g.setPath(["a", "b", "c", "a"]);
    g.setEdge("c", "d");
    expect(componentOf(g, "b")).toEqual(["a", "b", "c"]);
    expect(componentOf(g, "d")).toEqual(["d"]);
    expect(componentOf(g, "zz")).toBeUndefined();
  });
});

describe("shortest cycles", () => {
  test.prop([smallGraph(9)], { numRuns: 300 })("through an edge: a real cycle as short as the oracle's", (sg) => {
    const g = toGraphlib(sg);
    const ix = indexGraph(g);
    const d = distances(sg);
    for (const [a, b] of sg.edges) {
      const cycle = shortestCycleThrough(ix, nameOf(a), nameOf(b));
      const oracle = a === b ? 1 : 1 + d[b]![a]!;
      if (oracle === Infinity) {
        expect(cycle).toBeUndefined();
        continue;
      }
      expect(cycle).toBeDefined();
      assertRealCycle(g, cycle!);
      assertElementary(cycle!);
      expect(cycle!.slice(0, 2)).toEqual(a === b ? [nameOf(a), nameOf(a)] : [nameOf(a), nameOf(b)]);
      expect(cycle!.length - 1).toBe(oracle);
    }
  });

  test.prop([smallGraph(8)], { numRuns: 100 })("through a missing edge: none", (sg) => {
    const g = toGraphlib(sg);
    for (let a = 0; a < sg.n; a++)
      for (let b = 0; b < sg.n; b++) if (!hasEdge(sg, a, b)) expect(shortestCycleThrough(g, nameOf(a), nameOf(b))).toBeUndefined();
  });

  test.prop([smallGraph(9)], { numRuns: 300 })("of a component: a real cycle of the component's girth", (sg) => {
    const g = toGraphlib(sg);
    const ix = indexGraph(g);
    const d = distances(sg);
    for (const comp of stronglyConnectedComponents(ix)) {
      const members = new Set(comp);
      let girth = Infinity;
      for (const [a, b] of sg.edges)
        if (members.has(nameOf(a)) && members.has(nameOf(b))) girth = Math.min(girth, a === b ? 1 : 1 + d[b]![a]!);
      const result = shortestCycleInComponent(ix, comp[0]!);
      if (girth === Infinity) {
        expect(result).toBeUndefined();
        continue;
      }
      expect(result?.exact).toBe(true);
      assertRealCycle(g, result!.cycle);
      assertElementary(result!.cycle);
      expect(result!.cycle.every((v) => members.has(v))).toBe(true);
      expect(result!.cycle.length - 1).toBe(girth);
    }
  });

  test.prop([smallGraph(9)], { numRuns: 200 })("a tiny work bound still returns a real cycle, marked inexact", (sg) => {
    const g = toGraphlib(sg);
    for (const comp of cyclicComponents(g)) {
      const result = shortestCycleInComponent(g, comp[0]!, { maxWork: 1 });
      assertRealCycle(g, result!.cycle);
      assertElementary(result!.cycle);
    }
  });

  test.prop([smallGraph(9)], { numRuns: 200 })("shortestPath is a real path of the oracle's length", (sg) => {
    const g = toGraphlib(sg);
    const d = distances(sg);
    for (let a = 0; a < sg.n; a++)
      for (let b = 0; b < sg.n; b++) {
        const path = shortestPath(g, nameOf(a), nameOf(b));
        if (d[a]![b] === Infinity) expect(path).toBeUndefined();
        else {
          expect(path!.length - 1).toBe(d[a]![b]);
          for (let i = 0; i + 1 < path!.length; i++) expect(g.hasEdge(path![i]!, path![i + 1]!)).toBe(true);
        }
      }
  });
});

describe("elementary cycles (Johnson)", () => {
  test.prop([smallGraph(7)], { numRuns: 300 })("with a high bound: exactly the brute-force simple cycles", (sg) => {
    const g = toGraphlib(sg);
    const { cycles, truncated } = elementaryCycles(g, { maxCycles: 100_000 });
    expect(truncated).toBe(false);
    for (const c of cycles) {
      assertRealCycle(g, c);
      assertElementary(c);
    }
    const keys = cycles.map((c) => c.join(" "));
    expect(new Set(keys).size).toBe(keys.length);
    // Johnson starts every cycle at its smallest node; compare by that canonical form.
    expect(new Set(keys)).toEqual(bruteForceCycles(sg));
  });

  test.prop([smallGraph(7), fc.nat(6)], { numRuns: 200 })("a bound cuts the list and says so", (sg, bound) => {
    const g = toGraphlib(sg);
    const all = bruteForceCycles(sg);
    const { cycles, truncated } = elementaryCycles(g, { maxCycles: bound });
    expect(cycles.length).toBe(Math.min(bound, all.size));
    expect(truncated).toBe(all.size > bound);
    for (const c of cycles) expect(all.has(c.join(" "))).toBe(true);
  });

  test.prop([smallGraph(7), fc.nat(5)], { numRuns: 150 })("within a component: only that component's cycles, on a reused index", (sg, bound) => {
    // One index for every call: its reused buffers must come back clean, even after a cut list.
    const ix = indexGraph(toGraphlib(sg));
    const all = bruteForceCycles(sg);
    for (const comp of cyclicComponents(ix)) {
      const members = new Set(comp);
      const expected = [...all].filter((c) => c.split(" ").every((v) => members.has(v)));
      elementaryCycles(ix, { maxCycles: bound, within: comp });
      const { cycles } = elementaryCycles(ix, { maxCycles: 100_000, within: comp });
      expect(new Set(cycles.map((c) => c.join(" ")))).toEqual(new Set(expected));
    }
    expect(new Set(elementaryCycles(ix, { maxCycles: 100_000 }).cycles.map((c) => c.join(" ")))).toEqual(all);
  });

  test.prop([smallGraph(7)], { numRuns: 100 })("is deterministic", (sg) => {
    const a = elementaryCycles(toGraphlib(sg), { maxCycles: 50 });
    const b = elementaryCycles(toGraphlib({ n: sg.n, edges: [...sg.edges].reverse() }, 3), { maxCycles: 50 });
    expect(b).toEqual(a);
  });

  it("enumerates the cycles of a complete graph on 5 nodes (84 of them)", () => {
    const g = new Graph();
    const names = ["a", "b", "c", "d", "e"];
    for (const x of names) for (const y of names) if (x !== y) g.setEdge(x, y);
    // sum over k=2..5 of C(5,k)·(k-1)! = 10 + 20 + 30 + 24
    expect(elementaryCycles(g, { maxCycles: 1000 }).cycles).toHaveLength(84);
  });
});
