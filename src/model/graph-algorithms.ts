// Cycle algorithms on directed @dagrejs/graphlib graphs, shared by the graph
// rules (service calls, event flow) and the module-cycle checker (files).
//
// Every function accepts either a graphlib `Graph` or a `GraphIndex` built once
// with `indexGraph(g)`. Build the index yourself when you ask many questions of
// the same graph (e.g. `shortestCycleThrough` for every edge of a component):
// the index holds the sorted adjacency, the strongly connected components and
// reusable scratch buffers, so each question costs only the size of the
// component it looks at instead of the whole graph.
//
// Determinism: nodes are visited in sorted (UTF-16 code unit) order and
// successors in sorted order, so the same graph always gives the same
// components, the same witness cycle and the same list of elementary cycles,
// whatever order the nodes and edges were inserted in.
//
// Cycles are returned closed: [a, b, c, a]; a self-loop is [a, a].
//
// The index is a snapshot: mutate the graph and you must index it again.
import type { Graph } from "@dagrejs/graphlib";

// Array.prototype.sort without a comparator orders strings by UTF-16 code units,
// the order promised here, and is several times faster than passing one.
const sortNames = (names: string[]) => names.sort();

/** A read-only, sorted, integer-indexed view of a directed graph. */
export interface GraphIndex {
  /** Node names, sorted; a node's number is its position here. */
  readonly nodes: readonly string[];
  readonly idOf: ReadonlyMap<string, number>;
  /** Successor numbers of each node, sorted ascending, without duplicates; self-loops included. */
  readonly succ: readonly Int32Array[];
  /** @internal lazily computed SCC number of each node (see `componentOf`). */
  sccId?: Int32Array;
  /** @internal strongly connected components (node numbers ascending), ordered by smallest member. */
  sccs?: number[][];
  /** @internal scratch buffers reused by the searches (single-threaded, non-reentrant). */
  scratch: { mark: Int32Array; parent: Int32Array; depth: Int32Array; stamp: number };
  /** @internal Johnson's buffers, allocated on first use; each call leaves them clean. */
  johnson?: JohnsonScratch;
}

interface JohnsonScratch {
  work: TarjanWork;
  live: Uint8Array;
  inRest: Uint8Array;
  inComp: Uint8Array;
  blocked: Uint8Array;
  blockedBy: (Set<number> | undefined)[];
}

export type GraphLike = Graph<unknown, unknown, unknown> | GraphIndex;

function isIndex(g: GraphLike): g is GraphIndex {
  return (g as GraphIndex).succ !== undefined && (g as GraphIndex).idOf !== undefined;
}

/** Builds the sorted integer view of a graphlib graph (directed; parallel edges collapse). */
export function indexGraph(g: Graph<unknown, unknown, unknown>): GraphIndex {
  const nodes = sortNames(g.nodes());
  const idOf = new Map<string, number>();
  nodes.forEach((name, i) => idOf.set(name, i));
  const succ = nodes.map((name) => {
    const out = (g.successors(name) ?? []).map((w) => idOf.get(w) as number);
    out.sort((a, b) => a - b);
    return Int32Array.from(out);
  });
  const n = nodes.length;
  return { nodes, idOf, succ, scratch: { mark: new Int32Array(n), parent: new Int32Array(n), depth: new Int32Array(n), stamp: 0 } };
}

/**
 * Builds the index straight from node names and edges, without a graphlib
 * graph. graphlib keeps adjacency in plain objects keyed by node name, and
 * adding keys to 100k small objects costs ~20 µs per edge in V8 (measured:
 * 500k calls between 100k services take ~10 s in `setEdge`), so callers with
 * large graphs (the topology rules) index their edge lists directly. Nodes
 * named only in edges are added.
 */
export function indexEdges(nodes: Iterable<string>, edges: Iterable<readonly [string, string]>): GraphIndex {
  const names = new Set(nodes);
  const edgeList: (readonly [string, string])[] = [];
  for (const e of edges) {
    names.add(e[0]);
    names.add(e[1]);
    edgeList.push(e);
  }
  const sorted = sortNames([...names]);
  const idOf = new Map<string, number>();
  sorted.forEach((name, i) => idOf.set(name, i));
  const lists: number[][] = sorted.map(() => []);
  for (const [from, to] of edgeList) (lists[idOf.get(from) as number] as number[]).push(idOf.get(to) as number);
  const succ = lists.map((out) => {
    out.sort((a, b) => a - b);
    return Int32Array.from(out.filter((w, i) => i === 0 || w !== out[i - 1]));
  });
  const n = sorted.length;
  return { nodes: sorted, idOf, succ, scratch: { mark: new Int32Array(n), parent: new Int32Array(n), depth: new Int32Array(n), stamp: 0 } };
}

/**
 * Builds the index from node names and a successor function (called twice per
 * node), e.g. straight from a spec's adjacency lists. Successors that are not
 * among `nodes` are added as nodes.
 */
export function indexAdjacency(nodes: Iterable<string>, successors: (node: string) => Iterable<string>): GraphIndex {
  const names = new Set(nodes);
  // A Set visits what is added during iteration, so nodes named only as successors get their own successors asked too.
  for (const v of names) for (const w of successors(v)) names.add(w);
  const sorted = sortNames([...names]);
  const idOf = new Map<string, number>();
  sorted.forEach((name, i) => idOf.set(name, i));
  const succ = sorted.map((v) => {
    const out: number[] = [];
    for (const w of successors(v)) out.push(idOf.get(w) as number);
    if (out.length > 1) out.sort((a, b) => a - b);
    return Int32Array.from(out.filter((w, i) => i === 0 || w !== out[i - 1]));
  });
  const n = sorted.length;
  return { nodes: sorted, idOf, succ, scratch: { mark: new Int32Array(n), parent: new Int32Array(n), depth: new Int32Array(n), stamp: 0 } };
}

const asIndex = (g: GraphLike): GraphIndex => (isIndex(g) ? g : indexGraph(g));

// ---------------------------------------------------------------------------
// Strongly connected components

/**
 * Tarjan's algorithm, iterative. graphlib's `alg.tarjan` recurses once per
 * node on a path, so a 100k-service call chain (or a long module chain)
 * overflows V8's stack ("Maximum call stack size exceeded"); an explicit stack
 * has no such limit. Works on node numbers; `allowed` restricts it to a subgraph.
 */
interface TarjanWork {
  index: Int32Array;
  low: Int32Array;
  onStack: Uint8Array;
  edgePtr: Int32Array;
}

const tarjanWork = (n: number): TarjanWork => ({
  index: new Int32Array(n).fill(-1),
  low: new Int32Array(n),
  onStack: new Uint8Array(n),
  edgePtr: new Int32Array(n),
});

/** `work` may be reused across calls on the same index: the entries a call touches are reset before it returns,
 * so repeated calls on small subgraphs (Johnson's algorithm) cost the subgraph, not the whole graph. */
function tarjan(ix: GraphIndex, roots: Iterable<number>, allowed?: (v: number) => boolean, work = tarjanWork(ix.nodes.length)): number[][] {
  const { index, low, onStack, edgePtr } = work;
  const stack: number[] = [];
  const frames: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (const root of roots) {
    if (index[root] !== -1) continue;
    frames.push(root);
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const v = frames[frames.length - 1] as number;
      const succ = ix.succ[v] as Int32Array;
      let descended = false;
      while (edgePtr[v]! < succ.length) {
        const w = succ[edgePtr[v]!++] as number;
        if (allowed && !allowed(w)) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push(w);
          descended = true;
          break;
        }
        if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
      }
      if (descended) continue;
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined && low[v]! < low[parent]!) low[parent] = low[v]!;
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        comp.sort((a, b) => a - b);
        out.push(comp);
      }
    }
  }
  // Every visited node ended in a component: reset exactly those entries.
  for (const comp of out) {
    for (const v of comp) {
      index[v] = -1;
      edgePtr[v] = 0;
    }
  }
  out.sort((a, b) => (a[0] as number) - (b[0] as number));
  return out;
}

function ensureSccs(ix: GraphIndex): { sccId: Int32Array; sccs: number[][] } {
  if (!ix.sccs || !ix.sccId) {
    const sccs = tarjan(ix, ix.nodes.keys());
    const sccId = new Int32Array(ix.nodes.length);
    sccs.forEach((comp, c) => {
      for (const v of comp) sccId[v] = c;
    });
    ix.sccs = sccs;
    ix.sccId = sccId;
  }
  return { sccId: ix.sccId, sccs: ix.sccs };
}

const hasSelfLoop = (ix: GraphIndex, v: number) => (ix.succ[v] as Int32Array).includes(v);

/** Strongly connected components: each sorted, the list ordered by smallest member. Every node is in exactly one. */
export function stronglyConnectedComponents(g: GraphLike): string[][] {
  const ix = asIndex(g);
  return ensureSccs(ix).sccs.map((c) => c.map((v) => ix.nodes[v] as string));
}

/** The components that contain a cycle: more than one node, or one node with a self-loop. */
export function cyclicComponents(g: GraphLike): string[][] {
  const ix = asIndex(g);
  return ensureSccs(ix)
    .sccs.filter((c) => c.length > 1 || hasSelfLoop(ix, c[0] as number))
    .map((c) => c.map((v) => ix.nodes[v] as string));
}

/** The component of `node`, sorted (undefined if the node is not in the graph). */
export function componentOf(g: GraphLike, node: string): string[] | undefined {
  const ix = asIndex(g);
  const v = ix.idOf.get(node);
  if (v === undefined) return undefined;
  const { sccId, sccs } = ensureSccs(ix);
  return (sccs[sccId[v] as number] as number[]).map((w) => ix.nodes[w] as string);
}

// ---------------------------------------------------------------------------
// Shortest paths and cycles (BFS; edges unweighted)

function nextStamp(ix: GraphIndex): number {
  const s = ix.scratch;
  if (s.stamp >= 0x7ffffff0) {
    s.mark.fill(0);
    s.stamp = 0;
  }
  return ++s.stamp;
}

/** BFS from `src` to `dst` inside the component `comp` (node numbers; path has >= 1 edge when src !== dst). */
function bfsPath(ix: GraphIndex, src: number, dst: number, comp: number, sccId: Int32Array): number[] | undefined {
  const { mark, parent } = ix.scratch;
  const stamp = nextStamp(ix);
  mark[src] = stamp;
  parent[src] = -1;
  const queue = [src];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    if (v === dst) {
      const path: number[] = [];
      for (let x = v; x !== -1; x = parent[x] as number) path.push(x);
      return path.reverse();
    }
    for (const w of ix.succ[v] as Int32Array) {
      if (mark[w] === stamp || sccId[w] !== comp) continue;
      mark[w] = stamp;
      parent[w] = v;
      queue.push(w);
    }
  }
  return undefined;
}

/**
 * A shortest cycle that uses the edge `from -> to`: [from, to, ..., from]
 * (a BFS from `to` back to `from`). `[from, from]` for a self-loop.
 * Undefined when the edge does not exist or lies on no cycle (its ends are in
 * different strongly connected components). Among equally short cycles the
 * BFS with sorted successors picks the same one every time.
 */
export function shortestCycleThrough(g: GraphLike, from: string, to: string): string[] | undefined {
  const ix = asIndex(g);
  const u = ix.idOf.get(from);
  const v = ix.idOf.get(to);
  if (u === undefined || v === undefined || !(ix.succ[u] as Int32Array).includes(v)) return undefined;
  if (u === v) return [from, from];
  const { sccId } = ensureSccs(ix);
  if (sccId[u] !== sccId[v]) return undefined;
  const back = bfsPath(ix, v, u, sccId[u] as number, sccId);
  if (!back) return undefined;
  return [from, ...back.map((w) => ix.nodes[w] as string)];
}

/** A shortest path from `from` to `to` (both included), or undefined when `to` is unreachable. */
export function shortestPath(g: GraphLike, from: string, to: string): string[] | undefined {
  const ix = asIndex(g);
  const u = ix.idOf.get(from);
  const v = ix.idOf.get(to);
  if (u === undefined || v === undefined) return undefined;
  const everywhere = new Int32Array(ix.nodes.length);
  const path = bfsPath(ix, u, v, 0, everywhere);
  return path?.map((w) => ix.nodes[w] as string);
}

export interface ShortestCycleResult {
  /** Closed cycle [a, ..., a]; rotated to start at its smallest node on the search's own terms (see below). */
  cycle: string[];
  /** False when the work bound stopped the search before it proved no shorter cycle exists. */
  exact: boolean;
}

export interface ShortestCycleOptions {
  /** Edge visits after which the search returns the shortest cycle found so far (default 5,000,000). */
  maxWork?: number;
}

/**
 * A shortest cycle inside the strongly connected component that contains
 * `node` (any member names the component). Undefined when the component is
 * acyclic (a single node without self-loop).
 *
 * Finding the girth of a directed graph costs a BFS per node (O(V·E)); the
 * searches are pruned at the best length found so far, which makes them cheap
 * when short cycles exist, and a deterministic work bound (counted in edge
 * visits, not time) caps huge components: then `exact` is false. A component
 * in which every node has exactly one successor is a single ring and is
 * answered without search.
 */
export function shortestCycleInComponent(g: GraphLike, node: string, options: ShortestCycleOptions = {}): ShortestCycleResult | undefined {
  const ix = asIndex(g);
  const start = ix.idOf.get(node);
  if (start === undefined) return undefined;
  const { sccId, sccs } = ensureSccs(ix);
  const c = sccId[start] as number;
  const members = sccs[c] as number[];
  const names = (vs: number[]) => vs.map((v) => ix.nodes[v] as string);
  const first = members[0] as number;
  if (members.length === 1) return hasSelfLoop(ix, first) ? { cycle: names([first, first]), exact: true } : undefined;
  for (const v of members) if (hasSelfLoop(ix, v)) return { cycle: names([v, v]), exact: true };

  const inComp = (w: number) => sccId[w] === c;
  if (members.every((v) => countIf(ix.succ[v] as Int32Array, inComp) === 1)) {
    // A ring: follow it from the smallest member.
    const ring = [first];
    for (let v = firstIf(ix.succ[first] as Int32Array, inComp); v !== first; v = firstIf(ix.succ[v] as Int32Array, inComp)) ring.push(v);
    ring.push(first);
    return { cycle: names(ring), exact: true };
  }

  const maxWork = options.maxWork ?? 5_000_000;
  const { mark, parent, depth } = ix.scratch;
  let work = 0;
  let best: number[] | undefined;
  let exact = true;
  search: for (const root of members) {
    const stamp = nextStamp(ix);
    mark[root] = stamp;
    parent[root] = -1;
    depth[root] = 0;
    const queue = [root];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head] as number;
      const d = depth[v] as number;
      // A cycle closed from here has d + 1 edges; it must beat the best strictly.
      if (best && d + 1 >= best.length - 1) break;
      for (const w of ix.succ[v] as Int32Array) {
        if (++work > maxWork) {
          exact = false;
          break search;
        }
        if (w === root) {
          const cyc: number[] = [];
          for (let x = v; x !== -1; x = parent[x] as number) cyc.push(x);
          cyc.reverse().push(root);
          best = cyc;
          break;
        }
        if (mark[w] === stamp || !inComp(w)) continue;
        mark[w] = stamp;
        parent[w] = v;
        depth[w] = d + 1;
        queue.push(w);
      }
      if (best && best.length - 1 === d + 1) break;
    }
    if (best && best.length === 3) break; // two nodes calling each other: nothing shorter without a self-loop
  }
  if (!best) {
    // Only reachable when the work bound hit before any cycle closed; fall back to one cheap witness.
    const w = firstIf(ix.succ[first] as Int32Array, inComp);
    const back = bfsPath(ix, w, first, c, sccId) as number[];
    best = [first, ...back];
  }
  return { cycle: names(best), exact };
}

function countIf(xs: Int32Array, p: (x: number) => boolean): number {
  let k = 0;
  for (const x of xs) if (p(x)) k++;
  return k;
}

function firstIf(xs: Int32Array, p: (x: number) => boolean): number {
  for (const x of xs) if (p(x)) return x;
  return -1;
}

// ---------------------------------------------------------------------------
// Elementary cycles (Johnson 1975), bounded

export interface ElementaryCyclesOptions {
  /** Stop after this many cycles (required: a dense graph has exponentially many). */
  maxCycles: number;
  /** Only cycles whose nodes all lie in this set (e.g. one component). */
  within?: Iterable<string>;
}

export interface ElementaryCyclesResult {
  /** Closed cycles [s, ..., s], each starting at its smallest node, in the order Johnson's algorithm finds them
   * (deterministic: it depends only on the graph). */
  cycles: string[][];
  /** True when more cycles exist than `maxCycles`: the list was cut. */
  truncated: boolean;
}

/**
 * Every elementary cycle (no repeated node) up to `maxCycles`, by Johnson's
 * algorithm: for the smallest node s of each cyclic component, find all cycles
 * through s, remove s, and split what is left into components again. Cost is
 * O((V + E) · (cycles + 1)), so the bound also bounds the time. Iterative (no
 * recursion), so long cycles do not overflow the stack.
 */
export function elementaryCycles(g: GraphLike, options: ElementaryCyclesOptions): ElementaryCyclesResult {
  const ix = asIndex(g);
  const n = ix.nodes.length;
  const maxCycles = Math.max(0, options.maxCycles);
  // Per-call buffers would cost O(V) each time the rule asks about one small component of a big graph.
  const scratch = (ix.johnson ??= {
    work: tarjanWork(n),
    live: new Uint8Array(n),
    inRest: new Uint8Array(n),
    inComp: new Uint8Array(n),
    blocked: new Uint8Array(n),
    blockedBy: new Array<Set<number> | undefined>(n),
  });
  const { work, live, inRest, inComp, blocked, blockedBy } = scratch;
  let roots: number[];
  if (options.within) {
    roots = [];
    for (const name of options.within) {
      const v = ix.idOf.get(name);
      if (v !== undefined && !live[v]) {
        live[v] = 1;
        roots.push(v);
      }
    }
    roots.sort((a, b) => a - b);
  } else {
    live.fill(1);
    roots = [...ix.nodes.keys()];
  }

  const cycles: string[][] = [];
  const isCyclic = (comp: number[]) => comp.length > 1 || hasSelfLoop(ix, comp[0] as number);
  // Work list of components, a stack: the component with the smallest node is on top, and the
  // pieces a component falls into are pushed on top again, so the order is fixed by the graph.
  const pending = tarjan(ix, roots, (w) => live[w] === 1, work).filter(isCyclic).reverse();
  for (const v of roots) live[v] = 0;

  while (pending.length > 0) {
    const comp = pending.pop() as number[];
    const s = comp[0] as number;
    for (const v of comp) {
      inComp[v] = 1;
      blocked[v] = 0;
      blockedBy[v]?.clear();
    }
    // Johnson's CIRCUIT from s, with an explicit stack (after networkx's simple_cycles).
    const path = [s];
    const ptr = [0];
    const closed = [false];
    blocked[s] = 1;
    while (path.length > 0) {
      const depth = path.length - 1;
      const v = path[depth] as number;
      const succ = ix.succ[v] as Int32Array;
      let descended = false;
      while ((ptr[depth] as number) < succ.length) {
        const w = succ[ptr[depth]!++] as number;
        if (!inComp[w]) continue;
        if (w === s) {
          if (cycles.length === maxCycles) {
            cleanup(comp, inComp);
            return { cycles, truncated: true };
          }
          cycles.push([...path, s].map((x) => ix.nodes[x] as string));
          closed[depth] = true;
        } else if (!blocked[w]) {
          path.push(w);
          ptr.push(0);
          closed.push(false);
          blocked[w] = 1;
          descended = true;
          break;
        }
      }
      if (descended) continue;
      path.pop();
      ptr.pop();
      if (closed.pop()) {
        if (closed.length > 0) closed[closed.length - 1] = true;
        unblock(v, blocked, blockedBy);
      } else {
        for (const w of succ) {
          if (!inComp[w]) continue;
          const set = (blockedBy[w] ??= new Set());
          set.add(v);
        }
      }
    }
    cleanup(comp, inComp);
    // Remove s; what remains of the component may split into smaller cyclic components.
    const rest = comp.slice(1);
    if (rest.length > 0) {
      for (const v of rest) inRest[v] = 1;
      const sub = tarjan(ix, rest, (w) => inRest[w] === 1, work).filter(isCyclic);
      for (const v of rest) inRest[v] = 0;
      for (let i = sub.length - 1; i >= 0; i--) pending.push(sub[i] as number[]);
    }
  }
  return { cycles, truncated: false };
}

function cleanup(comp: number[], inComp: Uint8Array): void {
  for (const v of comp) inComp[v] = 0;
}

function unblock(start: number, blocked: Uint8Array, blockedBy: (Set<number> | undefined)[]): void {
  const stack = [start];
  while (stack.length > 0) {
    const v = stack.pop() as number;
    if (!blocked[v]) continue;
    blocked[v] = 0;
    const waiting = blockedBy[v];
    if (waiting) {
      for (const w of waiting) stack.push(w);
      waiting.clear();
    }
  }
}
