// Every diagram of a spec, in the order a docs page shows them: topology,
// context map, the event flow of each scenario, the domain model of each code
// root, and one sequence diagram per counterexample the checks saved.
import { traceNameParts, type Trace } from "../../check/simulate/trace-format.js";
import { isUserError } from "../../errors.js";
import { runInSandbox } from "../../model/runtime/sandbox.js";
import type { Spec } from "../../spec/types.js";
import type { ReportFinding } from "../types.js";
import { classDiagram } from "./class-diagram.js";
import { contextMapDiagram } from "./context-map.js";
import { counterexampleDiagram, counterexamplesOf, loopStartOf, type TraceAnnotation } from "./counterexample.js";
import { domainModels } from "./domain.js";
import { eventFlowDiagram } from "./event-flow.js";
import { staticScenarioFlow, type ScenarioFlow } from "./flow.js";
import type { FlowJobInput, FlowJobOutput } from "./flow-job.js";
import { topologyDiagram } from "./topology.js";

export type DiagramKind = "topology" | "context-map" | "event-flow" | "class" | "counterexample";

export interface Diagram {
  /** File-name-safe and unique within a spec: `topology`, `flow-happy-path`, ... */
  id: string;
  kind: DiagramKind;
  title: string;
  /** Text shown above the diagram (a scenario's description, a finding's message). */
  caption?: string;
  source: string;
}

const optionalLoop = (loopStart: number | undefined) => (loopStart === undefined ? {} : { loopStart });

export const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "x";

export interface SpecDiagramsOptions {
  cwd: string;
  findings?: readonly ReportFinding[];
  /** Run the handlers for the event flows and the counterexample senders (default true). */
  runHandlers?: boolean;
  /** Domain class diagrams (ts-morph; default true). */
  classDiagrams?: boolean;
  /** Told why an event flow fell back to the spec (handlers failed to load, a handler hung). */
  warn?: (message: string) => void;
}

export async function specDiagrams(spec: Spec, options: SpecDiagramsOptions): Promise<Diagram[]> {
  const findings = options.findings ?? [];
  const diagrams: Diagram[] = [];
  diagrams.push({ id: "topology", kind: "topology", title: "Topology", source: topologyDiagram(spec, { findings }) });
  if (spec.contexts.size > 0) diagrams.push({ id: "context-map", kind: "context-map", title: "Context map", source: contextMapDiagram(spec) });

  const cxs = counterexamplesOf(findings, options.cwd);
  const { flows, annotations } = await handlerRuns(spec, cxs.map((c) => c.trace), options);
  for (const f of flows) {
    diagrams.push({
      id: `flow-${slug(f.scenario)}`,
      kind: "event-flow",
      title: `Scenario ${f.scenario}`,
      ...(f.description ? { caption: f.description } : {}),
      source: eventFlowDiagram(f),
    });
  }
  if (options.classDiagrams !== false) {
    for (const m of domainModels(spec, options.cwd)) {
      diagrams.push({
        id: `domain-${slug(m.name)}`,
        kind: "class",
        title: `${m.kind === "service" ? "Service" : "Shared kernel"} ${m.name}`,
        caption: `Types declared in \`${m.root}\` (and the types they refer to).`,
        source: classDiagram(m),
      });
    }
  }
  const used = new Set<string>();
  cxs.forEach((c, i) => {
    const stem = traceNameParts(c.file, spec.file).join("--");
    let id = `counterexample-${slug(stem)}`;
    while (used.has(id)) id += "-x";
    used.add(id);
    diagrams.push({
      id,
      kind: "counterexample",
      // The trace file's stem names rule, scenario and subject (`model-lost-event--happy-path--order-X`).
      title: stem.split("--").join(" · "),
      caption: c.finding.message,
      source: counterexampleDiagram(c.trace, { spec, ...(annotations[i] ? { annotation: annotations[i] } : {}), ...optionalLoop(loopStartOf(c.trace, c.finding)) }),
    });
  });
  return diagrams;
}

const FLOW_JOB = new URL("./flow-job.ts", import.meta.url).href;

/** In-order flows of every scenario and the senders of each trace; static flows when the handlers cannot run. */
async function handlerRuns(spec: Spec, traces: Trace[], options: SpecDiagramsOptions): Promise<{ flows: ScenarioFlow[]; annotations: Array<TraceAnnotation | undefined> }> {
  const scenarios = [...spec.scenarios.keys()];
  const fallback = (reason: string) => ({ flows: scenarios.map((s) => staticScenarioFlow(spec, s, reason)), annotations: traces.map(() => undefined) });
  if (scenarios.length === 0 && traces.length === 0) return fallback("");
  const handled = [...spec.services.values()].some((s) => s.handler && !s.external);
  if (options.runHandlers === false) return fallback("handlers not run");
  if (!handled) return fallback("no service has a handler");
  try {
    const result = await runInSandbox<FlowJobInput, FlowJobOutput>(FLOW_JOB, { spec, traces });
    if (!result.ok) {
      const reason = `the handler of ${result.timeout.service} did not return within ${result.timeout.timeoutMs} ms`;
      options.warn?.(`event flows drawn from the spec: ${reason}`);
      return fallback(reason);
    }
    return result.value;
  } catch (error) {
    if (!isUserError(error)) throw error;
    const reason = `handlers did not load: ${error.message.split("\n")[0]}`;
    options.warn?.(`event flows drawn from the spec: ${reason}`);
    return fallback("handlers did not load");
  }
}
