// One run of the system: from the inputs, take transitions of the shared
// semantics (model/system) until nothing is in flight or the depth bound is
// reached, and judge what was seen. Which transition comes next is the
// chooser's business: fast-check choices, a trace, or in-order delivery.
import type { StepResult, SystemInput, SystemModel, SystemState, Transition, TransitionRef } from "../../model/system/index.js";
import { diffServices } from "../../model/system/index.js";
import { sameValue } from "./equal.js";
import type { TraceTransition, TraceViolation } from "./trace-format.js";

/** Picks the next transition among `enabled` (never empty), or undefined to stop early. */
export type Chooser = (enabled: readonly Transition[], step: number, state: SystemState) => Transition | undefined;

/** The quiescent end of the in-order, fault-free run, which every other schedule must reach. */
export interface Reference {
  refs: TransitionRef[];
  final: SystemState;
}

export interface RunOptions {
  /** Transitions after which a run that is still not quiescent is a nontermination. */
  maxDepth: number;
  /** Compare the quiescent end against this (divergence). */
  reference?: Reference;
  /** Sees every step (replay prints them); off the hot path when absent. */
  onStep?: (transition: Transition, result: StepResult, before: SystemState, duplicate: boolean) => void;
}

export type Property = "convergence" | "termination";

export interface RunResult {
  transitions: Transition[];
  /** Parallel to `transitions`: whether the delivery re-delivers a message already handled. */
  duplicates: boolean[];
  final: SystemState;
  quiescent: boolean;
  /** The first thing that went wrong, if any. */
  violation?: TraceViolation;
  /** Which property the violation breaks. */
  property?: Property;
  /** The error of each step whose handler threw (step index -> message). */
  errors: Map<number, string>;
}

/** Always the first enabled transition: the oldest message, delivered without faults. */
export const inOrder: Chooser = (enabled) => enabled[0];

/**
 * Decodes fast-check choices: choice `i` picks the message of step `i` (index
 * among the distinct messages enabled, oldest first) in its high bits and the
 * fault (plain, ack lost, crash, drop: as enabled for that message) in its two
 * low bits. A missing choice is 0, so shrinking choices towards 0 (and the
 * array towards empty) shrinks towards in-order, fault-free delivery.
 */
export function choicesChooser(choices: readonly number[]): Chooser {
  return (enabled, step) => {
    const choice = choices[step] ?? 0;
    if (choice === 0) return enabled[0];
    let groups = 1;
    for (let i = 1; i < enabled.length; i++) if (enabled[i]!.message !== enabled[i - 1]!.message) groups++;
    const pick = choice >>> 2;
    // Not a plain modulo: a pick that fits is taken as is, so shrinking a pick
    // towards 0 moves the chosen message towards the oldest one step by step.
    let target = pick < groups ? pick : pick % groups;
    let start = 0;
    while (target > 0) {
      start++;
      if (enabled[start]!.message !== enabled[start - 1]!.message) target--;
    }
    let end = start + 1;
    while (end < enabled.length && enabled[end]!.message === enabled[start]!.message) end++;
    return enabled[start + ((choice & 3) % (end - start))];
  };
}

/**
 * Follows a list of transition references. Strict: stops at the first one not
 * enabled. Lenient (minimising): skips those, then completes in order.
 */
export function refsChooser(model: SystemModel, refs: readonly TransitionRef[], lenient: boolean): Chooser & { unmatched: number | undefined } {
  let next = 0;
  const chooser = ((enabled, _step, state) => {
    while (next < refs.length) {
      const ref = refs[next++]!;
      const t = model.findTransition(state, ref);
      if (t) return t;
      if (!lenient) {
        chooser.unmatched = next - 1;
        return undefined;
      }
    }
    return enabled[0];
  }) as Chooser & { unmatched: number | undefined };
  chooser.unmatched = undefined;
  return chooser;
}

// States are immutable, so every run of the same inputs may start from one initial state.
const initialStates = new WeakMap<SystemModel, WeakMap<readonly SystemInput[], SystemState>>();

function initialStateOf(model: SystemModel, inputs: readonly SystemInput[]): SystemState {
  let byInputs = initialStates.get(model);
  if (!byInputs) initialStates.set(model, (byInputs = new WeakMap()));
  let state = byInputs.get(inputs);
  if (!state) byInputs.set(inputs, (state = model.initialState(inputs)));
  return state;
}

function finished(
  model: SystemModel,
  state: SystemState,
  transitions: Transition[],
  duplicates: boolean[],
  errors: Map<number, string>,
  violation?: TraceViolation,
  property?: Property,
): RunResult {
  const out: RunResult = { transitions, duplicates, final: state, quiescent: model.isQuiescent(state), errors };
  if (violation) {
    out.violation = violation;
    out.property = property!;
  }
  return out;
}

const NO_ERRORS: ReadonlyMap<number, string> = new Map();

export function runSchedule(model: SystemModel, inputs: readonly SystemInput[], choose: Chooser, options: RunOptions): RunResult {
  let state = initialStateOf(model, inputs);
  const transitions: Transition[] = [];
  const duplicates: boolean[] = [];
  // Allocated on the first handler error only: most runs have none.
  let errors: Map<number, string> | undefined;
  // Messages (by seq) whose handling was committed at least once.
  const handled = new Set<number>();
  const done = (violation?: TraceViolation, property?: Property) =>
    finished(model, state, transitions, duplicates, errors ?? new Map(), violation, property);

  const initialBroken = model.invariantFailures(state)[0];
  if (initialBroken) return done({ kind: "invariant", name: initialBroken.name, message: initialBroken.message, step: 0 }, "convergence");

  // Messages whose handler threw since the last progress: a broker redelivers them, but a fair
  // one delivers the others meanwhile, so they go last in the order choices count in.
  let stalled: Set<number> | undefined;
  for (let step = 0; ; step++) {
    let enabled = model.enabled(state);
    if (enabled.length === 0) break;
    if (stalled) enabled = stalledLast(enabled, stalled);
    if (step >= options.maxDepth) {
      const message = loopMessage(model, transitions, errors ?? NO_ERRORS, options.maxDepth);
      return done({ kind: "nontermination", bound: options.maxDepth, message }, "termination");
    }
    const t = choose(enabled, step, state);
    if (!t) return done();
    const r = model.step(state, t);
    transitions.push(t);
    const duplicate = t.action === "deliver" && handled.has(t.message.seq);
    duplicates.push(duplicate);
    if (r.outcome === "handled") handled.add(t.message.seq);
    if (r.error !== undefined) (errors ??= new Map()).set(step, r.error);
    if (r.outcome === "threw") (stalled ??= new Set()).add(t.message.seq);
    else stalled = undefined;
    if (options.onStep) options.onStep(t, r, state, duplicate);
    state = r.state;
    const stray = r.unroutable[0];
    if (stray) return done({ kind: "unroutable", service: t.message.consumer, eventType: String(stray.type), step: step + 1 }, "convergence");
    const broken = model.invariantFailures(state)[0];
    if (broken) return done({ kind: "invariant", name: broken.name, message: broken.message, step: step + 1 }, "convergence");
  }

  const unmet = model.quiescenceFailures(state)[0];
  if (unmet) return done({ kind: "quiescence", name: unmet.name, message: unmet.message }, "convergence");
  const ref = options.reference;
  if (ref) {
    const names = model.serviceNames;
    for (let i = 0; i < names.length; i++) {
      if (sameValue(state.services[names[i]!], ref.final.services[names[i]!], model.codec)) continue;
      const diff = diffServices(model.codec, names, state.services, ref.final.services);
      return done({ kind: "divergence", reference: ref.refs, diff }, "convergence");
    }
  }
  return done();
}

/** A stable partition: transitions of messages not stalled first (each message's transitions stay together). */
function stalledLast(enabled: readonly Transition[], stalled: ReadonlySet<number>): Transition[] {
  const first: Transition[] = [];
  const last: Transition[] = [];
  for (const t of enabled) (stalled.has(t.message.seq) ? last : first).push(t);
  return first.length === 0 ? last : [...first, ...last];
}

/** The in-order, fault-free run, or why it has no quiescent end. */
export function referenceRun(model: SystemModel, inputs: readonly SystemInput[], maxDepth: number): { reference?: Reference; run: RunResult } {
  const run = runSchedule(model, inputs, inOrder, { maxDepth });
  if (!run.quiescent) return { run };
  const refs = run.transitions.map((t) => model.toRef(t));
  return { run, reference: { refs, final: run.final } };
}

/** The trace form of a run's transitions, duplicates marked. */
export function traceTransitions(model: SystemModel, run: RunResult): TraceTransition[] {
  return run.transitions.map((t, i) => {
    const ref = model.toRef(t);
    return run.duplicates[i] ? { ...ref, duplicate: true } : ref;
  });
}

/** Why a run did not stop: a handler failing again and again, or events that keep coming. */
function loopMessage(model: SystemModel, transitions: readonly Transition[], errors: ReadonlyMap<number, string>, bound: number): string {
  const tail = Math.max(0, transitions.length - 20);
  let failing = 0;
  for (let i = tail; i < transitions.length; i++) if (errors.has(i)) failing++;
  const last = transitions.at(-1);
  if (last && failing * 2 >= transitions.length - tail) {
    const error = errors.get(transitions.length - 1) ?? [...errors.values()].at(-1) ?? "an error";
    const channel = model.topology.channels.get(last.message.channel);
    return (
      `still not quiescent after ${bound} transitions: ${last.message.consumer} fails on ${last.message.event.type} ` +
      `(${error}) and the message is redelivered forever${channel && channel.maxRedeliveries === undefined ? ` (channel ${channel.name} has no maxRedeliveries)` : ""}`
    );
  }
  const types = [...new Set(transitions.slice(tail).map((t) => t.message.event.type))].sort();
  return `still not quiescent after ${bound} transitions: ${types.join(", ")} keep being published (an emission cycle)`;
}
