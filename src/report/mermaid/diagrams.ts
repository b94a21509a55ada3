// Every diagram of a spec, in the order a docs page shows them: topology,
// context map, the event flow of each scenario, the domain model of each code
// root, and one sequence diagram per counterexample the checks saved.
import { createHash } from "node:crypto";
import { nameSlug, traceNameParts, type Trace } from "../../check/simulate/trace-format.js";
import { isUserError } from "../../errors.js";
import { runInSandbox } from "../../model/runtime/sandbox.js";
import type { Spec } from "../../spec/types.js";
import type { ReportFinding } from "../types.js";
import { classDiagram } from "./class-diagram.js";
import { contextMapDiagram } from "./context-map.js";
import { counterexampleDiagram, counterexamplesOf, loopStartOf, type TraceAnnotation } from "./counterexample.js";
import { domainModels } from "./domain.js";
import { eventFlowDiagram } from "./event-flow.js";
import { handlerCounterexample, handlerCounterexampleDiagram } from "./handler-counterexample.js";
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

/**
 * Diagram ids of one spec: readable (`flow-happy-path`), stable, and unique even when two
 * elements' names slug alike or a service and a shared kernel share a name: the second one
 * to want an id gets a short hash of what it is (its kind and real name) appended.
 */
class DiagramIds {
  private readonly owners = new Map<string, string>();

  take(wanted: string, key: string): string {
    let id = wanted;
    for (let n = 0; this.owners.has(id) && this.owners.get(id) !== key; n++) id = `${wanted}-${shortHash(`${key}\u0000${n}`)}`;
    this.owners.set(id, key);
    return id;
  }
}

const shortHash = (s: string) => createHash("sha256").update(s, "utf8").digest("hex").slice(0, 8);

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
  const ids = new DiagramIds();
  diagrams.push({ id: "topology", kind: "topology", title: "Topology", source: topologyDiagram(spec, { findings, cwd: options.cwd }) });
  if (spec.contexts.size > 0) diagrams.push({ id: "context-map", kind: "context-map", title: "Context map", source: contextMapDiagram(spec) });

  const cxs = counterexamplesOf(findings, options.cwd);
  const { flows, annotations } = await handlerRuns(spec, cxs.map((c) => c.trace), options);
  for (const f of flows) {
    diagrams.push({
      id: ids.take(`flow-${nameSlug(f.scenario)}`, `scenario\u0000${f.scenario}`),
      kind: "event-flow",
      title: `Scenario ${f.scenario}`,
      ...(f.description ? { caption: f.description } : {}),
      source: eventFlowDiagram(f),
    });
  }
  if (options.classDiagrams !== false) {
    for (const m of domainModels(spec, options.cwd)) {
      diagrams.push({
        id: ids.take(`domain-${nameSlug(m.name)}`, `${m.kind}\u0000${m.name}`),
        kind: "class",
        title: `${m.kind === "service" ? "Service" : "Shared kernel"} ${m.name}`,
        caption: `Types declared in \`${m.root}\` (and the types they refer to).`,
        source: classDiagram(m),
      });
    }
  }
  cxs.forEach((c, i) => {
    const stem = traceNameParts(c.file, spec.file).join("--");
    diagrams.push({
      id: ids.take(`counterexample-${stem.split("--").map((p) => nameSlug(p)).join("--")}`, `trace\u0000${c.file}`),
      kind: "counterexample",
      title: traceTitle(c.trace, c.finding, stem.split("--").slice(2).join("--")),
      caption: c.finding.message,
      source: counterexampleDiagram(c.trace, { spec, ...(annotations[i] ? { annotation: annotations[i] } : {}), ...optionalLoop(loopStartOf(c.trace, c.finding)) }),
    });
  });
  // Handler property counterexamples carry their events in the finding, not in a trace file.
  for (const f of findings) {
    const cx = handlerCounterexample(f);
    if (!cx) continue;
    const subject = f.subject ?? cx.service;
    diagrams.push({
      id: ids.take(`counterexample-${nameSlug(cx.property)}--${nameSlug(subject)}`, `finding\u0000${cx.property}\u0000${subject}\u0000${f.message}`),
      kind: "counterexample",
      title: `${cx.property} · ${subject}`,
      caption: f.message,
      source: handlerCounterexampleDiagram(cx, { spec }),
    });
  }
  return diagrams;
}

/** `model-lost-event · happy-path · order/OrderCreatedEvent`: rule, scenario and (when the rule saves several traces per scenario) the subject, as the spec names them. */
function traceTitle(trace: Trace, finding: ReportFinding, fileSubject: string): string {
  const scenario = trace.scenario ?? "generated inputs";
  const prefix = `scenario:${scenario}:`;
  const subject = fileSubject && (finding.subject?.startsWith(prefix) ? finding.subject.slice(prefix.length) : fileSubject);
  return [trace.rule, scenario, ...(subject ? [subject] : [])].join(" · ");
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
