// The event flow of a scenario: one real run through the handlers with the
// shared semantics (model/system), every message delivered oldest first with
// no broker fault, recording who sent each message. A trace of a checker is
// replayed the same way to learn its senders (the trace names only consumers).
import type { Event } from "../../model/handler.js";
import { eventShape } from "../../model/runtime/event-shape.js";
import type { SystemInput, SystemModel, SystemState } from "../../model/system/index.js";
import type { Trace } from "../../check/simulate/trace-format.js";
import type { Spec } from "../../spec/types.js";
import type { TraceAnnotation } from "./counterexample.js";

export interface FlowStep {
  channel: string;
  consumer: string;
  type: string;
  id: string;
  /** The service that published the message; undefined for a scenario input. */
  sender?: string;
  /** What the step did besides handling the event (threw, dead-lettered, emissions lost or unroutable). */
  notes: string[];
}

export interface ScenarioFlow {
  scenario: string;
  description?: string;
  /** `run`: the handlers ran; `static`: drawn from the spec alone (see `reason`). */
  source: "run" | "static";
  /** Why the flow is static. */
  reason?: string;
  steps: FlowStep[];
  /** Notes about the end of the run (quiescent after N deliveries, broken predicates). */
  outcome: string[];
}

/** Longest in-order run drawn; a flow that goes on longer is a loop, which the outcome says. */
export const MAX_FLOW_DELIVERIES = 200;

export function runScenarioFlow(model: SystemModel, name: string, inputs: readonly SystemInput[], maxDeliveries = MAX_FLOW_DELIVERIES): Omit<ScenarioFlow, "description"> {
  let state: SystemState = model.initialState(inputs);
  const senders = new Map<number, string>();
  const steps: FlowStep[] = [];
  const outcome: string[] = [];
  const broken = new Set<string>();
  const noteBroken = (s: SystemState, at: number) => {
    for (const f of model.invariantFailures(s)) {
      if (broken.has(f.name)) continue;
      broken.add(f.name);
      const note = `invariant ${f.name} broken: ${f.message}`;
      if (at === 0) outcome.push(`${note} (initial state)`);
      else steps[at - 1]!.notes.push(note);
    }
  };
  noteBroken(state, 0);
  while (!model.isQuiescent(state) && steps.length < maxDeliveries) {
    const t = model.enabled(state)[0]!;
    const result = model.step(state, t);
    const notes: string[] = [];
    if (result.outcome === "threw") notes.push(`throws ${result.error ?? ""}; not acked, so redelivered`.replace(/ {2}/g, " "));
    if (result.outcome === "dead-lettered") notes.push(`throws ${result.error ?? ""}; dead-lettered`.replace(/ {2}/g, " "));
    if (result.unroutable.length > 0) notes.push(`emits ${result.unroutable.map((e) => e.type).join(", ")}: no channel carries it`);
    if (result.lost.length > 0) notes.push(`loses ${result.lost.map((e) => e.type).join(", ")} (crash, no outbox)`);
    const msg = t.message;
    const sender = senders.get(msg.seq);
    steps.push({ channel: msg.channel, consumer: msg.consumer, type: String(msg.event.type), id: model.eventId(msg.event), ...(sender !== undefined ? { sender } : {}), notes });
    for (const m of result.state.inflight) if (m.seq >= state.nextSeq) senders.set(m.seq, msg.consumer);
    state = result.state;
    noteBroken(state, steps.length);
  }
  if (model.isQuiescent(state)) {
    outcome.push(`quiescent after ${steps.length} deliver${steps.length === 1 ? "y" : "ies"}`);
    for (const f of model.quiescenceFailures(state)) outcome.push(`quiescence predicate ${f.name} fails: ${f.message}`);
  } else {
    outcome.push(`still ${state.inflight.length} message(s) in flight after ${steps.length} deliveries: the flow does not end`);
  }
  for (const d of state.deadLetters) outcome.push(`dead letter: ${String(d.event.type)} to ${d.consumer} (${d.error})`);
  return { scenario: name, source: "run", steps, outcome };
}

/** Without handlers: each input delivered to its channel's consumers, nothing further known. */
export function staticScenarioFlow(spec: Spec, name: string, reason: string): ScenarioFlow {
  const scenario = spec.scenarios.get(name);
  const steps: FlowStep[] = [];
  scenario?.inputs.forEach((input, i) => {
    const type = String(input.event.type);
    const id = eventShape.id(input.event as Event) || `input-${i}`;
    for (const c of spec.channels.get(input.channel.name)?.consumers ?? []) steps.push({ channel: input.channel.name, consumer: c.name, type, id, notes: [] });
  });
  return {
    scenario: name,
    ...(scenario?.description ? { description: scenario.description } : {}),
    source: "static",
    reason,
    steps,
    outcome: ["drawn from the spec: only the inputs and their consumers (the handlers were not run)"],
  };
}

/** The senders and step notes of a trace, learnt by replaying it through the handlers. */
export function annotateTrace(model: SystemModel, trace: Trace): TraceAnnotation {
  const inputs: SystemInput[] = trace.inputs.map((i) => ({ channel: i.channel, event: i.event }));
  const r = model.replay(inputs, trace.transitions);
  const senders: Record<number, string> = {};
  const notes: string[][] = trace.transitions.map(() => []);
  r.steps.forEach((s, i) => {
    const before = r.states[i]!;
    const after = r.states[i + 1]!;
    for (const m of after.inflight) if (m.seq >= before.nextSeq) senders[m.seq] = s.transition.message.consumer;
    const n = notes[i]!;
    if (s.result.outcome === "threw") n.push(`throws ${s.result.error ?? ""}`.trim());
    if (s.result.outcome === "dead-lettered") n.push(`throws ${s.result.error ?? ""}; dead-lettered`.replace(/ {2}/g, " "));
    if (s.result.lost.length > 0) n.push(`loses ${s.result.lost.map((e) => e.type).join(", ")} (crash, no outbox)`);
  });
  return { senders, notes };
}
