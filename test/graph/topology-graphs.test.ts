import { describe, expect, it } from "vitest";
import { cyclicComponents, shortestCycleThrough } from "../../src/model/graph-algorithms.js";
import { channelNodeId, eventFlow, eventFlowGraph, serviceNodeId, syncCallGraph, syncCalls } from "../../src/model/topology-graphs.js";
import { buildSpec, callLoc } from "./spec-builder.js";

const spec = buildSpec({
  services: { order: { calls: ["payment", "payment", "inventory"] }, payment: { calls: ["order"] }, inventory: {}, idle: {} },
  channels: {
    "order-events": { producers: ["order"], consumers: ["inventory", "payment"] },
    "payment-events": { producers: ["payment"], consumers: ["order"] },
  },
});

describe("topology graphs", () => {
  it("sync call graph: one edge per caller and callee, carrying every call", () => {
    const g = syncCallGraph(spec);
    expect(g.nodes().sort()).toEqual(["idle", "inventory", "order", "payment"]);
    expect(g.edges().map((e) => `${e.v}->${e.w}`).sort()).toEqual(["order->inventory", "order->payment", "payment->order"]);
    const edge = g.edge("order", "payment");
    expect(edge.calls).toHaveLength(2);
    expect(edge.loc).toEqual(callLoc(spec, "order", "payment"));
    expect(cyclicComponents(g)).toEqual([["order", "payment"]]);
    expect(shortestCycleThrough(g, "payment", "order")).toEqual(["payment", "order", "payment"]);
  });

  it("the indexed form has the same nodes, edges and labels as the graphlib one", () => {
    const g = syncCallGraph(spec);
    const t = syncCalls(spec);
    expect(t.index.nodes).toEqual([...g.nodes()].sort());
    expect(t.edges()).toEqual(g.edges().map((e) => g.edge(e)));
    const f = eventFlowGraph(spec);
    const ft = eventFlow(spec);
    expect(new Set(ft.edges())).toEqual(new Set(f.edges().map((e) => f.edge(e))));
  });

  it("event flow: producer -> channel -> consumer, services and channels apart", () => {
    const g = eventFlowGraph(spec);
    expect(g.successors(serviceNodeId("order"))).toEqual([channelNodeId("order-events")]);
    expect(g.successors(channelNodeId("order-events"))?.sort()).toEqual([serviceNodeId("inventory"), serviceNodeId("payment")]);
    expect(g.node(serviceNodeId("idle"))).toBeUndefined();
    expect(g.edge(serviceNodeId("payment"), channelNodeId("payment-events")).kind).toBe("publishes");
    expect(cyclicComponents(g)).toEqual([[channelNodeId("order-events"), channelNodeId("payment-events"), serviceNodeId("order"), serviceNodeId("payment")]]);
  });

  it("event flow leaves out ignored channels", () => {
    const g = eventFlowGraph(spec, { ignoreChannels: new Set(["payment-events"]) });
    expect(g.hasNode(channelNodeId("payment-events"))).toBe(false);
    expect(cyclicComponents(g)).toEqual([]);
  });
});
