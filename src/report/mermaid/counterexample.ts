// The sequence diagram of a counterexample trace (reports/*.json): every
// delivery of the schedule in order, duplicates dashed, crashes and lost acks
// noted, and what broke at the end (the diverging state, the invariant, the
// loop that never ends).
import type { Event } from "../../model/handler.js";
import { eventShape } from "../../model/runtime/event-shape.js";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { formatDiff } from "../../check/simulate/diff.js";
import { readTrace, type Trace, type TraceTransition } from "../../check/simulate/trace-format.js";
import { isUserError } from "../../errors.js";
import type { Spec } from "../../spec/types.js";
import type { ReportFinding } from "../types.js";
import { sequenceDiagram, type Delivery, type Sender } from "./sequence.js";

/** What a replay through the handlers adds to a trace (see flow-job.ts). */
export interface TraceAnnotation {
  /** Send number (`seq`) of each message a service published -> that service. Inputs are absent. */
  senders: Record<number, string>;
  /** Per transition: what the step did (threw, dead-lettered, emissions lost in a crash). */
  notes: string[][];
}

const MAX_DIFF_LINES = 6;

/** The sender of a delivered message: the replay knows it; else an input, the channel's only producer, or the channel. */
function senderOf(t: TraceTransition, trace: Trace, spec: Spec | undefined, annotation: TraceAnnotation | undefined): Sender {
  const known = annotation?.senders[t.seq];
  if (known !== undefined) return { kind: "service", name: known };
  if (trace.inputs.some((i) => i.channel === t.channel && eventShape.id(i.event as Event) === t.id)) return { kind: "input", name: "scenario inputs" };
  const producers = spec?.channels.get(t.channel)?.producers ?? [];
  if (producers.length === 1) return { kind: "service", name: producers[0]!.name };
  return { kind: "channel", name: t.channel };
}

/** The start of a lasso's loop: the trace's own, else the one its finding carries (`counterexample.loopStart`). */
export function loopStartOf(trace: Trace, finding?: ReportFinding): number | undefined {
  if (trace.violation.kind !== "nontermination") return undefined;
  if (trace.violation.loopStart !== undefined) return trace.violation.loopStart;
  const fromFinding = (finding?.counterexample as { loopStart?: unknown } | undefined)?.loopStart;
  return typeof fromFinding === "number" ? fromFinding : undefined;
}

export function counterexampleDiagram(trace: Trace, options: { spec?: Spec; annotation?: TraceAnnotation; loopStart?: number } = {}): string {
  const v = trace.violation;
  // 1-based step of the transition the violation happened at (invariant, fault, unroutable).
  const badStep = v.kind === "invariant" || v.kind === "handler-fault" || v.kind === "unroutable" ? v.step : undefined;
  const deliveries: Delivery[] = trace.transitions.map((t, i) => {
    const d: Delivery = {
      from: senderOf(t, trace, options.spec, options.annotation),
      to: t.consumer,
      label: `${t.type} ${t.id}`,
      channel: t.channel,
    };
    if (t.action === "drop") d.dropped = true;
    if (t.duplicate) d.duplicate = true;
    if (t.ackLost) d.ackLost = true;
    if (t.crash) d.crash = true;
    const notes = [...(options.annotation?.notes[i] ?? [])];
    if (badStep !== undefined && i + 1 === badStep) {
      d.highlight = true;
      if (v.kind === "invariant") notes.push(`invariant ${v.name} broken here: ${v.message}`);
      if (v.kind === "handler-fault") notes.push(`${v.service} ${v.fault}: ${v.message}`);
      if (v.kind === "unroutable") notes.push(`${v.service} emits ${v.eventType}, which no channel carries: the event is lost`);
    }
    if (notes.length > 0) d.notes = notes;
    return d;
  });
  const n = trace.transitions.length;
  return sequenceDiagram(deliveries, {
    title: `${trace.rule} counterexample, scenario ${trace.scenario ?? "(generated inputs)"}: ${n} deliver${n === 1 ? "y" : "ies"}`,
    outcome: outcomeNotes(trace, badStep),
    ...(v.kind === "nontermination" && (v.loopStart ?? options.loopStart) !== undefined ? { loopStart: (v.loopStart ?? options.loopStart)! } : {}),
  });
}

function outcomeNotes(trace: Trace, badStep: number | undefined): string[] {
  const v = trace.violation;
  switch (v.kind) {
    case "divergence": {
      const lines = formatDiff(v.diff);
      const shown = lines.slice(0, MAX_DIFF_LINES);
      if (lines.length > shown.length) shown.push(`... ${lines.length - shown.length} more differences`);
      return ["end state differs from in-order delivery:", ...shown];
    }
    case "invariant":
      return badStep === 0 ? [`invariant ${v.name} is broken in the initial state: ${v.message}`] : [`invariant ${v.name} broken after delivery ${v.step}`];
    case "quiescence":
      return [`nothing in flight, but ${v.name} fails: ${v.message}`];
    case "nontermination":
      return [v.message];
    case "handler-fault":
      return [`${v.service} ${v.fault} at delivery ${v.step}`];
    case "unroutable":
      return [`${v.service} emitted ${v.eventType} at delivery ${v.step}: no channel carries it`];
  }
}

export interface CounterexampleRef {
  finding: ReportFinding;
  trace: Trace;
  /** The trace file, relative to the working directory. */
  file: string;
}

/** The counterexample traces the findings name (`counterexample.file`, relative to `cwd`); missing files are skipped. */
export function counterexamplesOf(findings: readonly ReportFinding[], cwd: string): CounterexampleRef[] {
  const out: CounterexampleRef[] = [];
  for (const f of findings) {
    const file = (f.counterexample as { file?: unknown } | undefined)?.file;
    if (typeof file !== "string" || !existsSync(resolve(cwd, file))) continue;
    try {
      out.push({ finding: f, trace: readTrace(resolve(cwd, file)), file });
    } catch (error) {
      if (!isUserError(error)) throw error;
    }
  }
  return out;
}

