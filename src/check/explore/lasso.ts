// Non-termination: a reachable cycle in the state graph is a schedule that never reaches
// quiescence (a redelivery loop, an emission ping-pong). Reported as a lasso: the shortest
// prefix to a state on a cycle, then the shortest cycle through it.

export interface Lasso {
  /** The state where the loop starts (the cycle state closest to the initial state). */
  entry: number;
  /** Canonical transition indexes of the loop, from `entry` back to `entry`. */
  loop: number[];
}

/** Strongly connected components (iterative Tarjan); returns the component id of each node. */
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

export function findLasso(n: number, from: readonly number[], to: readonly number[], via: readonly number[], depth: readonly number[]): Lasso | undefined {
  if (from.length === 0) return undefined;
  // CSR adjacency.
  const start = new Int32Array(n + 1);
  for (const f of from) start[f + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const targets = new Int32Array(from.length);
  const labels = new Int32Array(from.length);
  for (let e = 0; e < from.length; e++) {
    const pos = fill[from[e]!]!++;
    targets[pos] = to[e]!;
    labels[pos] = via[e]!;
  }
  const comp = components(n, start, targets);
  const size = new Int32Array(n);
  for (let v = 0; v < n; v++) size[comp[v]!]!++;
  let entry = -1;
  for (let v = 0; v < n; v++) {
    let onCycle = size[comp[v]!]! > 1;
    if (!onCycle) for (let e = start[v]!; e < start[v + 1]!; e++) if (targets[e] === v) onCycle = true;
    if (onCycle && (entry < 0 || depth[v]! < depth[entry]!)) entry = v;
  }
  if (entry < 0) return undefined;
  // Shortest cycle through `entry`: BFS inside its component back to it.
  const c = comp[entry]!;
  const prevNode = new Map<number, number>();
  const prevLabel = new Map<number, number>();
  const queue = [entry];
  let found = false;
  for (let qi = 0; qi < queue.length && !found; qi++) {
    const v = queue[qi]!;
    for (let e = start[v]!; e < start[v + 1]!; e++) {
      const w = targets[e]!;
      if (comp[w] !== c) continue;
      if (w === entry) {
        prevNode.set(-1, v);
        prevLabel.set(-1, labels[e]!);
        found = true;
        break;
      }
      if (prevNode.has(w)) continue;
      prevNode.set(w, v);
      prevLabel.set(w, labels[e]!);
      queue.push(w);
    }
  }
  if (!found) return undefined;
  const loop: number[] = [];
  let cur = -1;
  for (;;) {
    loop.push(prevLabel.get(cur)!);
    const p = prevNode.get(cur)!;
    if (p === entry) break;
    cur = p;
  }
  return { entry, loop: loop.reverse() };
}
