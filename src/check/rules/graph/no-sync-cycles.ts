// Synchronous call cycles: services that (transitively) call each other cannot
// be deployed, scaled or failed independently, and a slow call anywhere on the
// cycle can exhaust every caller's threads (the seed's acyclicity property).
import { cyclicComponents, elementaryCycles, shortestCycleInComponent } from "../../../model/graph-algorithms.js";
import { syncCalls, type SyncCallEdge, type Topology } from "../../../model/topology-graphs.js";
import type { ServiceSpec, SourceLocation } from "../../../spec/types.js";
import type { CheckContext, RawFinding, Rule } from "../../types.js";
import { listNames, ruleOptions } from "./rule-options.js";

const ID = "no-sync-cycles";

export const noSyncCycles: Rule = {
  id: ID,
  defaultSeverity: "error",
  category: "graph",
  description: "The synchronous call graph (services' `calls:`) has no cycle.",
  fix: "Break the cycle: make one of the calls asynchronous (publish an event instead), merge the services, or move the shared logic into a service both can call.",
  details: [
    "Builds the graph of synchronous calls (`services.<name>.calls`) and finds its strongly connected components.",
    "Each component that contains a cycle is reported once, with a shortest cycle in it as the witness",
    "(`a -> b -> c -> a`), located at the first call of the witness; the finding lists the spec line of every call on it.",
    "A service that calls itself is a cycle too.",
    "With `--all-cycles` every elementary cycle of each component is listed, up to `--max-cycles` per component (default 100);",
    "when the bound cuts a component's list, one more finding says so.",
    "For components too large to prove the witness the shortest (a bounded search, counted in edges visited), the message says it is the shortest found.",
    "Options: none.",
  ].join("\n"),
  check(ctx: CheckContext): RawFinding[] {
    ruleOptions(ctx, ID).onlyKeys();
    const calls = ctx.cached("graph:sync-calls", () => syncCalls(ctx.spec));
    const findings: RawFinding[] = [];
    for (const component of cyclicComponents(calls.index)) {
      if (ctx.options.allCycles) findings.push(...allCycleFindings(ctx, calls, component));
      else {
        const shortest = shortestCycleInComponent(calls.index, component[0] as string);
        if (shortest) findings.push(cycleFinding(calls, shortest.cycle, component, shortest.exact));
      }
    }
    return findings;
  },
};

function allCycleFindings(ctx: CheckContext, calls: Topology<ServiceSpec, SyncCallEdge>, component: string[]): RawFinding[] {
  const { cycles, truncated } = elementaryCycles(calls.index, { maxCycles: ctx.options.maxCycles, within: component });
  const findings = cycles.map((cycle) => cycleFinding(calls, cycle, component, true));
  if (truncated) {
    const first = calls.edge(cycles[0]?.[0] ?? "", cycles[0]?.[1] ?? "");
    findings.push({
      severity: "info",
      subject: `component of ${component[0]}`,
      fix: "Raise --max-cycles to list more, or break the cycles listed first: removing one call often breaks many cycles at once.",
      message: `listed the first ${cycles.length} elementary call cycle${cycles.length === 1 ? "" : "s"} of the component {${listNames(component)}}; more exist and were not listed (raise --max-cycles to see them)`,
      ...(first ? { location: first.loc } : { location: (calls.node(component[0] as string) as ServiceSpec).loc }),
    });
  }
  return findings;
}

function cycleFinding(calls: Topology<ServiceSpec, SyncCallEdge>, cycle: string[], component: string[], exact: boolean): RawFinding {
  const edges: SyncCallEdge[] = [];
  for (let i = 0; i + 1 < cycle.length; i++) edges.push(calls.edge(cycle[i] as string, cycle[i + 1] as string) as SyncCallEdge);
  const related: SourceLocation[] = edges.flatMap((e) => e.calls.map((c) => c.loc));
  const path = cycle.join(" -> ");
  const length = cycle.length - 1;
  let message =
    length === 1 ? `${cycle[0]} calls itself synchronously: ${path}` : `synchronous call cycle of ${length} services: ${path}`;
  if (component.length > length) {
    message += `; the cycle is part of a group of ${component.length} services that all reach each other: ${listNames(component)}`;
  }
  if (!exact) message += " (the shortest cycle found; the group is too large to prove none is shorter)";
  return { message, witness: cycle, location: (edges[0] as SyncCallEdge).loc, related, subject: path };
}
