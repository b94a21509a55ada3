// Re-running a counterexample in one run: the trace's schedule against the
// current handlers, judged the same way the checkers judge (invariants at
// every step, quiescence predicates and convergence at the end, the depth
// bound). Works for traces of the simulation and of the explorer alike.
import type { SystemInput, SystemModel, SystemState, TransitionRef } from "../../model/system/index.js";
import { formatDiff } from "./diff.js";
import { describeViolation } from "./findings.js";
import { describeTransition } from "./render.js";
import { referenceRun, refsChooser, runSchedule, type Reference } from "./run.js";
import type { Trace, TraceViolation } from "./trace-format.js";

export interface ReplayOutcome {
  /** Whether the replayed schedule still breaks a property. */
  fails: boolean;
  violation?: TraceViolation;
  /** The schedule as it ran, one line per step with what it changed. */
  steps: string[];
  /** Index of the first transition of the trace that no longer applies (handlers changed). */
  unmatched?: number;
  /** The end state is quiescent. */
  quiescent: boolean;
}

const MAX_CHANGES_PER_STEP = 4;

export function replayTrace(model: SystemModel, trace: Trace): ReplayOutcome {
  const inputs: SystemInput[] = trace.inputs.map((i) => ({ channel: i.channel, event: i.event }));
  const v = trace.violation;
  const maxDepth = v.kind === "nontermination" ? v.bound : Math.max(trace.transitions.length, 1000);

  if (v.kind === "nontermination" && v.loopStart !== undefined) return replayLasso(model, inputs, trace, v.loopStart);

  const reference = v.kind === "divergence" ? referenceFor(model, inputs, v.reference, maxDepth) : referenceRun(model, inputs, maxDepth).reference;
  const steps: string[] = [];
  const chooser = refsChooser(model, trace.transitions, true);
  let index = 0;
  const run = runSchedule(model, inputs, chooser, {
    maxDepth,
    ...(reference ? { reference } : {}),
    onStep: (t, result, before, duplicate) => {
      index++;
      const ref = { ...model.toRef(t), ...(duplicate ? { duplicate: true } : {}) };
      const changes = formatChanges(model, t.message.consumer, before, result.state);
      const extra: string[] = [];
      if (result.error !== undefined) extra.push(`throws ${result.error}`);
      if (result.outcome === "dead-lettered") extra.push("dead-lettered");
      if (result.published.length > 0) extra.push(`publishes ${result.published.map((e) => `${e.type} ${model.eventId(e)}`).join(", ")}`);
      if (result.lost.length > 0) extra.push(`loses ${result.lost.map((e) => e.type).join(", ")} (crash, no outbox)`);
      const detail = [...changes, ...extra].join("; ");
      steps.push(`${String(index).padStart(3)}. ${describeTransition(ref)}${detail ? `\n       ${detail}` : ""}`);
    },
  });
  // Lenient replay skips what no longer applies; say where the schedule stopped matching.
  const unmatched = firstUnmatched(model, inputs, trace.transitions);
  return {
    fails: run.violation !== undefined,
    ...(run.violation ? { violation: run.violation } : {}),
    steps,
    ...(unmatched !== undefined ? { unmatched } : {}),
    quiescent: run.quiescent,
  };
}

function referenceFor(model: SystemModel, inputs: SystemInput[], refs: readonly TransitionRef[], maxDepth: number): Reference | undefined {
  const stored = model.replay(inputs, refs);
  const final = stored.states.at(-1)!;
  if (stored.unmatched === undefined && model.isQuiescent(final)) return { refs: [...refs], final };
  return referenceRun(model, inputs, maxDepth).reference;
}

function firstUnmatched(model: SystemModel, inputs: SystemInput[], refs: readonly TransitionRef[]): number | undefined {
  return model.replay(inputs, refs).unmatched;
}

/** An explorer lasso: the state after `loopStart` transitions recurs at the end. */
function replayLasso(model: SystemModel, inputs: SystemInput[], trace: Trace, loopStart: number): ReplayOutcome {
  const r = model.replay(inputs, trace.transitions);
  const steps = r.steps.map((s, i) => `${String(i + 1).padStart(3)}. ${describeTransition(model.toRef(s.transition))}${i === loopStart ? "   <- loop starts" : ""}`);
  const final = r.states.at(-1)!;
  const loops = r.unmatched === undefined && r.states.length > loopStart && model.key(r.states[loopStart]!) === model.key(final);
  const v = trace.violation;
  return {
    fails: loops,
    ...(loops ? { violation: v } : {}),
    steps,
    ...(r.unmatched !== undefined ? { unmatched: r.unmatched } : {}),
    quiescent: model.isQuiescent(final),
  };
}

function formatChanges(model: SystemModel, service: string, before: SystemState, after: SystemState): string[] {
  const was = before.services[service];
  const now = after.services[service];
  if (was === now) return [];
  const changes: string[] = [];
  changedPaths(model.codec.toJSON(was), model.codec.toJSON(now), service, changes);
  if (changes.length > MAX_CHANGES_PER_STEP) return [...changes.slice(0, MAX_CHANGES_PER_STEP), `... ${changes.length - MAX_CHANGES_PER_STEP} more`];
  return changes;
}

/** `path: before -> after` for each leaf that changed ("(absent)" for a missing field). */
function changedPaths(was: unknown, now: unknown, path: string, out: string[]): void {
  if (JSON.stringify(was) === JSON.stringify(now)) return;
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isRecord(was) && isRecord(now)) {
    for (const k of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) changedPaths(was[k], now[k], `${path}.${k}`, out);
    return;
  }
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));
  out.push(`${path}: ${show(was)} -> ${show(now)}`);
}

/** The replay as printed by `archverify replay`. */
export function formatReplay(trace: Trace, traceFile: string, outcome: ReplayOutcome): string {
  const lines: string[] = [];
  lines.push(`trace ${traceFile}: rule ${trace.rule}, scenario ${trace.scenario ?? "(generated inputs)"}, spec ${trace.spec}`);
  lines.push("inputs:");
  for (const i of trace.inputs) lines.push(`  ${i.channel}: ${JSON.stringify(i.event)}`);
  lines.push("schedule:");
  lines.push(...foldRepeats(outcome.steps));
  if (outcome.unmatched !== undefined) {
    const t = trace.transitions[outcome.unmatched]!;
    lines.push(`note: from step ${outcome.unmatched + 1} (${describeTransition(t)}) the recorded schedule no longer applies; the rest ran in send order`);
  }
  if (outcome.fails && outcome.violation) {
    lines.push(`still fails: ${describeViolation(outcome.violation, false)}`);
    if (outcome.violation.kind === "divergence") for (const d of formatDiff(outcome.violation.diff)) lines.push(`  ${d}`);
  } else {
    lines.push(`fixed: the schedule now ${outcome.quiescent ? "ends with nothing in flight and" : ""} breaks no property (was: ${describeViolation(trace.violation)})`);
  }
  return `${lines.join("\n")}\n`;
}

/** Consecutive identical steps (a redelivery loop) as one line and a count. */
function foldRepeats(steps: readonly string[]): string[] {
  const out: string[] = [];
  const body = (line: string) => line.replace(/^\s*\d+\. /, "");
  for (let i = 0; i < steps.length; ) {
    let j = i + 1;
    while (j < steps.length && body(steps[j]!) === body(steps[i]!)) j++;
    out.push(steps[i]!);
    if (j - i > 2) out.push(`     ... the same step ${j - i - 1} more times (to step ${j})`);
    else if (j - i === 2) out.push(steps[i + 1]!);
    i = j;
  }
  return out;
}
