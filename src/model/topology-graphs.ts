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
import { indexEdges, type GraphIndex } from "./graph-algorithms.js";

/** Labelled nodes and edges plus the sorted index the algorithms run on. */
export interface Topology<N, E> {
  index: GraphIndex;
  node(id: string): N | undefined;
  edge(from: string, to: string): E | undefined;
  /** Every edge, grouped by source in the spec's order. */
  edges(): E[];
}

function topology<N, E>(nodes: Map<string, N>, edges: Map<string, Map<string, E>>): Topology<N, E> {
  let index: GraphIndex | undefined;
  return {
    get index() {
      if (!index) {
        const pairs: [string, string][] = [];
        for (const [from, out] of edges) for (const to of out.keys()) pairs.push([from, to]);
        index = indexEdges(nodes.keys(), pairs);
      }
      return index;
    },
    node: (id) => nodes.get(id),
    edge: (from, to) => edges.get(from)?.get(to),
    edges: () => [...edges.values()].flatMap((out) => [...out.values()]),
  };
}

function toGraphlib<N, E>(t: { nodes: Map<string, N>; edges: Map<string, Map<string, E>> }): Graph<undefined, N, E> {
  const g = new Graph<undefined, N, E>({ directed: true });
  for (const [id, label] of t.nodes) g.setNode(id, label);
  for (const [from, out] of t.edges) for (const [to, label] of out) g.setEdge(from, to, label);
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
  const nodes = new Map<string, ServiceSpec>(spec.services);
  const edges = new Map<string, Map<string, SyncCallEdge>>();
  for (const service of spec.services.values()) {
    for (const call of service.calls) {
      let out = edges.get(service.name);
      if (!out) edges.set(service.name, (out = new Map()));
      const existing = out.get(call.to.name);
      if (existing) existing.calls.push(call);
      else out.set(call.to.name, { from: service.name, to: call.to.name, calls: [call], loc: call.loc });
    }
  }
  return { nodes, edges };
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
  const edges = new Map<string, Map<string, EventFlowEdge>>();
  for (const service of spec.services.values()) {
    const id = serviceNodeId(service.name);
    nodes.set(id, { kind: "service", id, name: service.name, service });
  }
  const addEdge = (edge: EventFlowEdge) => {
    let out = edges.get(edge.from);
    if (!out) edges.set(edge.from, (out = new Map()));
    if (!out.has(edge.to)) out.set(edge.to, edge);
  };
  for (const channel of spec.channels.values()) {
    if (options.ignoreChannels?.has(channel.name)) continue;
    const id = channelNodeId(channel.name);
    nodes.set(id, { kind: "channel", id, name: channel.name, channel });
    for (const p of channel.producers) addEdge({ kind: "publishes", from: serviceNodeId(p.name), to: id, loc: p.loc });
    for (const c of channel.consumers) addEdge({ kind: "delivers", from: id, to: serviceNodeId(c.name), loc: c.loc });
  }
  return { nodes, edges };
}

/** The event flow, indexed for the algorithms. Node ids: `serviceNodeId(name)`, `channelNodeId(name)`. */
export function eventFlow(spec: Spec, options?: EventFlowOptions): Topology<EventFlowNode, EventFlowEdge> {
  const { nodes, edges } = eventFlowParts(spec, options);
  return topology(nodes, edges);
}

/** The event flow as a graphlib graph. */
export function eventFlowGraph(spec: Spec, options?: EventFlowOptions): Graph<undefined, EventFlowNode, EventFlowEdge> {
  return toGraphlib(eventFlowParts(spec, options));
}
