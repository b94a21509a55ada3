// Cycles of a module graph: every strongly connected component and, for every
// import inside one, a shortest cycle through that import. Listing a cycle per
// edge (not one per component) is what makes the answer complete: each import
// that takes part in a cycle appears in at least one reported cycle, so fixing
// the reported cycles leaves none behind.
import { cyclicComponents, indexEdges, shortestCycleThrough, type GraphIndex } from "../../model/graph-algorithms.js";
import type { ModuleEdge, ModuleGraph } from "./types.js";

export type TypeOnlyMode = "include" | "exclude";

export interface CycleAnalysis {
  files: number;
  /** Edges of the analysed graph (type-only ones left out under `exclude`). */
  edges: number;
  /** Components with a cycle: sorted members, ordered by first member. Absolute paths. */
  sccs: string[][];
  /** Closed cycles [a, ..., a] starting at their smallest file, deduplicated and sorted. */
  cycles: string[][];
  /** The edges of the analysed graph, by `from\0to` (for locations). */
  edgeOf: Map<string, ModuleEdge>;
  index: GraphIndex;
}

export const edgeKey = (from: string, to: string) => `${from}\0${to}`;

/** The graph an analysis runs on: every file, and the edges `mode` keeps. */
export function analysedEdges(graph: ModuleGraph, mode: TypeOnlyMode): ModuleEdge[] {
  return mode === "include" ? graph.edges : graph.edges.filter((e) => !e.typeOnly);
}

export function findCycles(graph: ModuleGraph, mode: TypeOnlyMode): CycleAnalysis {
  const edges = analysedEdges(graph, mode);
  const index = indexEdges(
    graph.files,
    edges.map((e) => [e.from, e.to] as const),
  );
  const sccs = cyclicComponents(index);
  const edgeOf = new Map(edges.map((e) => [edgeKey(e.from, e.to), e]));
  const member = new Map<string, number>();
  sccs.forEach((comp, c) => comp.forEach((f) => member.set(f, c)));
  const seen = new Set<string>();
  const cycles: string[][] = [];
  for (const e of edges) {
    const c = member.get(e.from);
    if (c === undefined || member.get(e.to) !== c) continue;
    const cycle = shortestCycleThrough(index, e.from, e.to);
    if (!cycle) continue;
    const canonical = rotateToSmallest(cycle);
    const key = canonical.join("\0");
    if (seen.has(key)) continue;
    seen.add(key);
    cycles.push(canonical);
  }
  cycles.sort(compareCycles);
  return { files: graph.files.length, edges: edges.length, sccs, cycles, edgeOf, index };
}

/** [b, c, a, b] -> [a, b, c, a]: one spelling per cycle, so duplicates found from different edges collapse. */
export function rotateToSmallest(cycle: readonly string[]): string[] {
  const open = cycle.slice(0, -1);
  let best = 0;
  for (let i = 1; i < open.length; i++) if ((open[i] as string) < (open[best] as string)) best = i;
  const rotated = [...open.slice(best), ...open.slice(0, best)];
  return [...rotated, rotated[0] as string];
}

export function compareCycles(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
