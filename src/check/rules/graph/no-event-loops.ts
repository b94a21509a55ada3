// Event loops: a service publishes an event whose consumers (transitively)
// publish events it consumes again. Unless some handler stops the chain, one
// input event keeps the loop busy forever; and even when it stops, the loop is
// where duplicate and reordered deliveries compound.
import { cyclicComponents, shortestCycleInComponent } from "../../../model/graph-algorithms.js";
import { eventFlow, type EventFlowEdge, type EventFlowNode, type Topology } from "../../../model/topology-graphs.js";
import type { CheckContext, RawFinding, Rule } from "../../types.js";
import { listNames, ruleOptions } from "./rule-options.js";

const ID = "no-event-loops";

export const noEventLoops: Rule = {
  id: ID,
  defaultSeverity: "warning",
  category: "graph",
  description: "The event flow (producer -> channel -> consumer -> the channels it produces on -> ...) has no cycle.",
  fix: "Make sure the loop ends: let the consumer that closes it publish on a channel nobody upstream consumes, or, if a handler provably stops the chain (a saga's reply), list the reply channel in this rule's ignoreChannels option.",
  details: [
    "Builds the event flow from `channels.<name>.producers` and `consumers`: a service points to each channel it produces on,",
    "a channel to each of its consumers. The spec does not say which consumed event makes a service publish which event,",
    "so the rule assumes any may: a cycle is a possible loop, reported once per strongly connected component with a shortest",
    "witness `service -> channel -> service -> ... -> service`, located at the first producer entry, with the spec line of every step.",
    "A saga (order publishes OrderPlaced, payment answers on payment-events, order consumes the answer) is such a cycle:",
    "its reply channel ends the chain, which the spec cannot show.",
    "Options:",
    "  ignoreChannels: [channel, ...]  channels left out of the flow, e.g. saga reply channels whose consumers never publish in response.",
  ].join("\n"),
  check(ctx: CheckContext): RawFinding[] {
    const options = ruleOptions(ctx, ID);
    options.onlyKeys("ignoreChannels");
    const ignore = new Set(options.names("ignoreChannels", new Set(ctx.spec.channels.keys()), "channel"));
    const flow = ctx.cached(`graph:event-flow:${[...ignore].sort().join(",")}`, () => eventFlow(ctx.spec, { ignoreChannels: ignore }));
    const findings: RawFinding[] = [];
    for (const component of cyclicComponents(flow.index)) {
      const shortest = shortestCycleInComponent(flow.index, component[0] as string);
      if (shortest) findings.push(loopFinding(flow, startAtService(flow, shortest.cycle), component, shortest.exact));
    }
    return findings;
  },
};

/** Rotates a closed cycle to start at its smallest service (cycles alternate services and channels). */
function startAtService(flow: Topology<EventFlowNode, EventFlowEdge>, cycle: string[]): string[] {
  const open = cycle.slice(0, -1);
  let start = -1;
  open.forEach((id, i) => {
    if (flow.node(id)?.kind === "service" && (start === -1 || id < (open[start] as string))) start = i;
  });
  const rotated = [...open.slice(start), ...open.slice(0, start)];
  return [...rotated, rotated[0] as string];
}

function loopFinding(flow: Topology<EventFlowNode, EventFlowEdge>, cycle: string[], component: string[], exact: boolean): RawFinding {
  const nodes = cycle.map((id) => flow.node(id) as EventFlowNode);
  const edges: EventFlowEdge[] = [];
  for (let i = 0; i + 1 < cycle.length; i++) edges.push(flow.edge(cycle[i] as string, cycle[i + 1] as string) as EventFlowEdge);
  const names = nodes.map((n) => n.name);
  const steps: string[] = [];
  for (let i = 0; i + 2 < nodes.length; i += 2) steps.push(`${names[i]} publishes on ${names[i + 1]}, consumed by ${names[i + 2]}`);
  const services = component.map((id) => flow.node(id) as EventFlowNode).filter((n) => n.kind === "service");
  let message = `event loop: ${steps.join("; ")}`;
  const loopServices = (cycle.length - 1) / 2;
  if (services.length > loopServices) {
    message += `; the loop is part of a group of ${services.length} services whose events reach each other: ${listNames(services.map((s) => s.name))}`;
  }
  if (!exact) message += " (the shortest loop found; the group is too large to prove none is shorter)";
  const path = names.join(" -> ");
  return { message, witness: names, location: (edges[0] as EventFlowEdge).loc, related: edges.map((e) => e.loc), subject: path };
}
