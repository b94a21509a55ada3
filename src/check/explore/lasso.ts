// Non-termination under a fair broker. A reachable cycle in the state graph is a schedule that
// never reaches quiescence, but only a FAIR one is a real non-termination: a real broker
// eventually delivers every message it keeps in flight (weak fairness), so a loop that starves a
// message (a handler that throws until another message arrives, redelivered forever while that
// message waits) is a schedule no broker produces.
//
// Fairness is per message (its interned entry: content and counters). A loop is fair when every
// message that is deliverable (a `deliver` or `drop` of it enabled) in every state of the loop is
// acted on somewhere in the loop: delivered (plainly, with a lost ack or with a crash) or dropped.
// Faults are never owed: a fair broker need not lose an ack or crash, it must only not starve.
// (In a cycle the state recurs, so a message deliverable anywhere in it and never acted on is
// deliverable throughout: the weak and strong readings agree.)
//
// This is a generalized Büchi condition, so the strongly connected components decide it exactly:
// a component with a cycle holds a fair loop iff every message deliverable in all its states is
// acted on by an edge inside it. The loop is then built inside the component: from its state
// closest to the initial one, walk to the nearest edge or state that discharges a starved message
// until none is starved, then back.

export interface Lasso {
  /** The state where the loop starts (the fair-cycle state closest to the initial state). */
  entry: number;
  /** Canonical transition indexes of the loop, from `entry` back to `entry`. */
  loop: number[];
}

export interface LassoSearch {
  /** A fair lasso, when one exists. */
  lasso?: Lasso;
  /** The graph has a cycle (fair or not). */
  cyclic: boolean;
}

/**
 * The explored graph. Edge e goes from `from[e]` to `to[e]` by canonical transition `via[e]`,
 * acting on message `message[e]`. `to[e] === -1`: the transition is enabled but was not explored
 * (asleep, or cut by the state bound): it counts for what is deliverable, not for the graph.
 */
export interface LassoGraph {
  states: number;
  from: readonly number[];
  to: readonly number[];
  via: readonly number[];
  message: readonly number[];
  /** Distance of each state from the initial state (prefix length). */
  depth: readonly number[];
}

/** Strongly connected components (iterative Tarjan) over edges with a target; component id per node. */
function components(n: number, start: Int32Array, targets: Int32Array): Int32Array {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const call: number[] = [];
  const edgePos = new Int32Array(n);
  let counter = 0;
  let compCount = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    call.push(root);
    index[root] = low[root] = counter++;
    edgePos[root] = start[root]!;
    stack.push(root);
    onStack[root] = 1;
    while (call.length > 0) {
      const v = call[call.length - 1]!;
      if (edgePos[v]! < start[v + 1]!) {
        const w = targets[edgePos[v]!]!;
        edgePos[v]!++;
        if (w < 0) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          edgePos[w] = start[w]!;
          stack.push(w);
          onStack[w] = 1;
          call.push(w);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      call.pop();
      const p = call[call.length - 1];
      if (p !== undefined) low[p] = Math.min(low[p]!, low[v]!);
      if (low[v] === index[v]) {
        for (;;) {
          const w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = compCount;
          if (w === v) break;
        }
        compCount++;
      }
    }
  }
  return comp;
}

/** The graph as CSR arrays (edges grouped by source, in recording order). */
interface Csr {
  start: Int32Array;
  targets: Int32Array;
  labels: Int32Array;
  messages: Float64Array;
}

function csr(g: LassoGraph): Csr {
  const n = g.states;
  const start = new Int32Array(n + 1);
  for (const f of g.from) start[f + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const m = g.from.length;
  const targets = new Int32Array(m);
  const labels = new Int32Array(m);
  const messages = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const pos = fill[g.from[e]!]!++;
    targets[pos] = g.to[e]!;
    labels[pos] = g.via[e]!;
    messages[pos] = g.message[e]!;
  }
  return { start, targets, labels, messages };
}

function deliverable(c: Csr, v: number, message: number): boolean {
  for (let e = c.start[v]!; e < c.start[v + 1]!; e++) if (c.messages[e] === message) return true;
  return false;
}

export function findFairLasso(g: LassoGraph): LassoSearch {
  const n = g.states;
  if (g.from.length === 0) return { cyclic: false };
  const c = csr(g);
  const comp = components(n, c.start, c.targets);
  const size = new Int32Array(n);
  for (let v = 0; v < n; v++) size[comp[v]!]!++;
  const cyclicComp = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    if (size[comp[v]!]! > 1) cyclicComp[comp[v]!] = 1;
    else for (let e = c.start[v]!; e < c.start[v + 1]!; e++) if (c.targets[e] === v) cyclicComp[comp[v]!] = 1;
  }
  const members = new Map<number, number[]>();
  for (let v = 0; v < n; v++) {
    if (!cyclicComp[comp[v]!]) continue;
    const list = members.get(comp[v]!);
    if (list) list.push(v);
    else members.set(comp[v]!, [v]);
  }
  if (members.size === 0) return { cyclic: false };

  // The fair component whose closest state is closest to the initial state (ties: lowest id).
  let entry = -1;
  for (const states of members.values()) {
    if (!fairComponent(c, comp, states)) continue;
    for (const v of states) if (entry < 0 || g.depth[v]! < g.depth[entry]! || (g.depth[v] === g.depth[entry] && v < entry)) entry = v;
  }
  if (entry < 0) return { cyclic: true };
  return { cyclic: true, lasso: { entry, loop: fairLoop(c, comp, entry) } };
}

/** Every message deliverable in all the component's states is acted on by an edge inside it. */
function fairComponent(c: Csr, comp: Int32Array, states: readonly number[]): boolean {
  const id = comp[states[0]!]!;
  const inAll = new Map<number, number>();
  const taken = new Set<number>();
  for (const v of states) {
    const seen = new Set<number>();
    for (let e = c.start[v]!; e < c.start[v + 1]!; e++) {
      const m = c.messages[e]!;
      if (!seen.has(m)) {
        seen.add(m);
        inAll.set(m, (inAll.get(m) ?? 0) + 1);
      }
      const w = c.targets[e]!;
      if (w >= 0 && comp[w] === id) taken.add(m);
    }
  }
  for (const [m, count] of inAll) if (count === states.length && !taken.has(m)) return false;
  return true;
}

/** A fair loop from `entry` back to it inside its (fair) component, as canonical transition indexes. */
function fairLoop(c: Csr, comp: Int32Array, entry: number): number[] {
  const id = comp[entry]!;
  const loop: number[] = [];
  // Messages deliverable in every state walked so far and not yet acted on.
  let starved = new Set<number>();
  for (let e = c.start[entry]!; e < c.start[entry + 1]!; e++) starved.add(c.messages[e]!);
  const visit = (v: number) => {
    const next = new Set<number>();
    for (const m of starved) if (deliverable(c, v, m)) next.add(m);
    starved = next;
  };
  const takeEdge = (e: number) => {
    loop.push(c.labels[e]!);
    starved.delete(c.messages[e]!);
    visit(c.targets[e]!);
  };
  let current = entry;
  while (starved.size > 0) {
    const want = Math.min(...starved);
    const path = shortestInside(c, comp, id, current, (v) => v !== current && !deliverable(c, v, want), (e) => c.messages[e] === want);
    for (const e of path) takeEdge(e);
    current = path.length > 0 ? c.targets[path.at(-1)!]! : current;
  }
  if (current !== entry || loop.length === 0) {
    for (const e of shortestInside(c, comp, id, current, (v) => v === entry, () => false, true)) takeEdge(e);
  }
  return loop;
}

/**
 * Edge positions of a shortest path inside component `id` from `from` to a state satisfying
 * `stopAt` or through an edge satisfying `stopOn` (that edge included). `nonEmpty`: the path
 * takes at least one edge (a cycle back to `from`).
 */
function shortestInside(
  c: Csr,
  comp: Int32Array,
  id: number,
  from: number,
  stopAt: (v: number) => boolean,
  stopOn: (e: number) => boolean,
  nonEmpty = false,
): number[] {
  if (!nonEmpty && stopAt(from)) return [];
  /** The edge (position) and state each reached state was first reached by. */
  const viaEdge = new Map<number, number>();
  const viaState = new Map<number, number>();
  const pathTo = (v: number, last?: number): number[] => {
    const out = last === undefined ? [] : [last];
    for (let cur = v; cur !== from; cur = viaState.get(cur)!) out.push(viaEdge.get(cur)!);
    return out.reverse();
  };
  const queue = [from];
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi]!;
    for (let e = c.start[v]!; e < c.start[v + 1]!; e++) {
      const w = c.targets[e]!;
      if (w < 0 || comp[w] !== id) continue;
      if (stopOn(e) || (w === from && nonEmpty && stopAt(w))) return pathTo(v, e);
      if (w === from || viaEdge.has(w)) continue;
      viaEdge.set(w, e);
      viaState.set(w, v);
      if (stopAt(w)) return pathTo(w);
      queue.push(w);
    }
  }
  throw new Error("internal: no path inside a strongly connected component");
}
