// The two graphs of a topology spec:
// - the synchronous call graph: service -> service, one edge per (caller, callee)
//   pair carrying every `calls:` entry that makes it (with its spec location);
// - the event flow: producer -> channel -> consumer -> the channels that consumer
//   produces on -> ... (services and channels are both nodes, so a cycle in this
//   graph is an event loop).
//
// Each comes in two forms. `syncCallGraph` / `eventFlowGraph` build
// @dagrejs/graphlib graphs, the library-facing model (diagrams, user scripts).
// `syncCalls` / `eventFlow` build a `Topology`: the same nodes, edges and labels
// indexed for the algorithms in graph-algorithms.ts. The rules use the latter
// because graphlib's `setEdge` costs ~20 µs per edge at this size (see
// `indexEdges`): 500k calls between 100k services would take ~10 s to build.
import { Graph } from "@dagrejs/graphlib";
import type { CallSpec, ChannelSpec, ServiceSpec, SourceLocation, Spec } from "../spec/types.js";
import { indexAdjacency, type GraphIndex } from "./graph-algorithms.js";

/** Labelled nodes and edges plus the sorted index the algorithms run on. */
export interface Topology<N, E> {
  index: GraphIndex;
  node(id: string): N | undefined;
  edge(from: string, to: string): E | undefined;
  /** Every edge, grouped by source in the spec's order. */
  edges(): E[];
}

interface Edge {
  to: string;
}

/** Out-edges per node, deduplicated by target. Most nodes have a handful, so a list beats a Map per node. */
class Adjacency<E extends Edge> {
  readonly out = new Map<string, E[]>();
  private readonly bigLists = new Map<string, Map<string, E>>();

  /** Adds the edge unless one from `from` to the same target exists; returns the edge kept. */
  add(from: string, edge: E): E {
    const existing = this.get(from, edge.to);
    if (existing) return existing;
    let list = this.out.get(from);
    if (!list) this.out.set(from, (list = []));
    list.push(edge);
    const big = this.bigLists.get(from);
    if (big) big.set(edge.to, edge);
    else if (list.length > 16) this.bigLists.set(from, new Map(list.map((e) => [e.to, e])));
    return edge;
  }

  /** Sets every out-edge of `from` at once (targets already distinct). */
  setAll(from: string, list: E[]): void {
    this.out.set(from, list);
    if (list.length > 16) this.bigLists.set(from, new Map(list.map((e) => [e.to, e])));
  }

  get(from: string, to: string): E | undefined {
    const big = this.bigLists.get(from);
    if (big) return big.get(to);
    return this.out.get(from)?.find((e) => e.to === to);
  }
}

function topology<N, E extends Edge>(nodes: Map<string, N>, adjacency: Adjacency<E>): Topology<N, E> {
  let index: GraphIndex | undefined;
  const none: E[] = [];
  return {
    get index() {
      index ??= indexAdjacency(nodes.keys(), (v) => (adjacency.out.get(v) ?? none).map((e) => e.to));
      return index;
    },
    node: (id) => nodes.get(id),
    edge: (from, to) => adjacency.get(from, to),
    edges: () => [...adjacency.out.values()].flat(),
  };
}

function toGraphlib<N, E extends Edge>(t: { nodes: Map<string, N>; edges: Adjacency<E> }): Graph<undefined, N, E> {
  const g = new Graph<undefined, N, E>({ directed: true });
  for (const [id, label] of t.nodes) g.setNode(id, label);
  for (const [from, out] of t.edges.out) for (const edge of out) g.setEdge(from, edge.to, edge);
  return g;
}

// ---------------------------------------------------------------------------
// Synchronous calls

export interface SyncCallEdge {
  from: string;
  to: string;
  /** Every `calls:` entry from `from` to `to`, in spec order (usually one). */
  calls: CallSpec[];
  /** Where the first of them is written. */
  loc: SourceLocation;
}

function syncCallParts(spec: Spec) {
  const edges = new Adjacency<SyncCallEdge>();
  for (const service of spec.services.values()) {
    if (service.calls.length === 0) continue;
    const out: SyncCallEdge[] = [];
    const byTarget = service.calls.length > 16 ? new Map<string, SyncCallEdge>() : undefined;
    for (const call of service.calls) {
      const existing = byTarget ? byTarget.get(call.to.name) : out.find((e) => e.to === call.to.name);
      if (existing) existing.calls.push(call);
      else {
        const edge: SyncCallEdge = { from: service.name, to: call.to.name, calls: [call], loc: call.loc };
        out.push(edge);
        byTarget?.set(edge.to, edge);
      }
    }
    edges.setAll(service.name, out);
  }
  return { nodes: spec.services as Map<string, ServiceSpec>, edges };
}

/** The synchronous call graph, indexed for the algorithms. Node ids are service names. */
export function syncCalls(spec: Spec): Topology<ServiceSpec, SyncCallEdge> {
  const { nodes, edges } = syncCallParts(spec);
  return topology(nodes, edges);
}

/** The synchronous call graph as a graphlib graph (node label: the service; edge label: its calls). */
export function syncCallGraph(spec: Spec): Graph<undefined, ServiceSpec, SyncCallEdge> {
  return toGraphlib(syncCallParts(spec));
}

// ---------------------------------------------------------------------------
// Event flow

export type EventFlowNode =
  | { kind: "service"; id: string; name: string; service: ServiceSpec }
  | { kind: "channel"; id: string; name: string; channel: ChannelSpec };

export interface EventFlowEdge {
  /** `publishes`: service -> channel (a `producers:` entry); `delivers`: channel -> service (a `consumers:` entry). */
  kind: "publishes" | "delivers";
  from: string;
  to: string;
  /** Where the producer or consumer is listed. */
  loc: SourceLocation;
}

/** Node ids of the event flow: services and channels may share a name, so ids carry the kind. */
export const serviceNodeId = (name: string) => `service:${name}`;
export const channelNodeId = (name: string) => `channel:${name}`;

export interface EventFlowOptions {
  /** Channels left out of the flow (e.g. saga reply channels whose consumers never publish in response). */
  ignoreChannels?: ReadonlySet<string>;
}

function eventFlowParts(spec: Spec, options: EventFlowOptions = {}) {
  const nodes = new Map<string, EventFlowNode>();
  const edges = new Adjacency<EventFlowEdge>();
  // Only services that produce or consume are in the flow: the others cannot be on an event loop.
  const addService = (name: string) => {
    const id = serviceNodeId(name);
    if (!nodes.has(id)) nodes.set(id, { kind: "service", id, name, service: spec.services.get(name) as ServiceSpec });
  };
  const addEdge = (edge: EventFlowEdge) => void edges.add(edge.from, edge);
  for (const channel of spec.channels.values()) {
    if (options.ignoreChannels?.has(channel.name)) continue;
    const id = channelNodeId(channel.name);
    nodes.set(id, { kind: "channel", id, name: channel.name, channel });
    for (const p of channel.producers) addService(p.name);
    for (const c of channel.consumers) addService(c.name);
    for (const p of channel.producers) addEdge({ kind: "publishes", from: serviceNodeId(p.name), to: id, loc: p.loc });
    for (const c of channel.consumers) addEdge({ kind: "delivers", from: id, to: serviceNodeId(c.name), loc: c.loc });
  }
  return { nodes, edges };
}

/** The event flow, indexed for the algorithms (services that neither produce nor consume are left out). Node ids: `serviceNodeId(name)`, `channelNodeId(name)`. */
export function eventFlow(spec: Spec, options?: EventFlowOptions): Topology<EventFlowNode, EventFlowEdge> {
  const { nodes, edges } = eventFlowParts(spec, options);
  return topology(nodes, edges);
}

/** The event flow as a graphlib graph. */
export function eventFlowGraph(spec: Spec, options?: EventFlowOptions): Graph<undefined, EventFlowNode, EventFlowEdge> {
  return toGraphlib(eventFlowParts(spec, options));
}
