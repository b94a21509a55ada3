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
  /** A nontermination with no loop seen (no state repeats, no message leads back to its own
   * kind, no failing message retried without progress): the bound may just be too short. */
  unproven?: true;
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
      const loop = judgeLoop(model, inputs, transitions, options.maxDepth);
      const out = done({ kind: "nontermination", bound: options.maxDepth, message: loop.message }, "termination");
      if (!loop.proven) out.unproven = true;
      return out;
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

/**
 * Why a run did not stop, from the run replayed step by step, and whether it
 * is a loop for sure (the run can go on forever) or only longer than the bound:
 * - a message whose handler threw is delivered again with nothing handled in
 *   between: handlers are deterministic, so it fails forever (a redelivery loop);
 * - a message leads, through the events its handling published, to another
 *   message of the same type for the same consumer (an emission cycle);
 * - the whole system state repeats (a cycle of the schedule).
 * Otherwise nothing shows a loop: the bound may be too short for the flow.
 */
function judgeLoop(model: SystemModel, inputs: readonly SystemInput[], transitions: readonly Transition[], bound: number): { message: string; proven: boolean } {
  const replayed = model.replay(inputs, transitions.map((t) => model.toRef(t)));
  const still = `still not quiescent after ${bound} transitions`;
  // A failing message retried without progress.
  const lastFailure = new Map<number, number>();
  let lastHandled = -1;
  for (const [i, { transition: t, result: r }] of replayed.steps.entries()) {
    if (r.outcome === "threw") {
      const before = lastFailure.get(t.message.seq);
      if (before !== undefined && lastHandled < before) {
        const channel = model.topology.channels.get(t.message.channel);
        return {
          proven: true,
          message:
            `${still}: ${t.message.consumer} fails on ${t.message.event.type} (${r.error ?? "an error"}) and the message is redelivered forever` +
            `${channel && channel.maxRedeliveries === undefined ? ` (channel ${channel.name} has no maxRedeliveries)` : ""}`,
        };
      }
      lastFailure.set(t.message.seq, i);
    } else if (r.outcome === "handled") lastHandled = i;
  }
  // An emission cycle: what each event was published because of (consumer and type of the deliveries before it).
  const causes = new Map<string, ReadonlySet<string>>();
  const eventKey = (e: { type: string }) => `${e.type}\u0000${model.eventId(e as Parameters<SystemModel["eventId"]>[0])}`;
  for (const { transition: t, result: r } of replayed.steps) {
    if (t.action !== "deliver") continue;
    const kind = `${t.message.consumer}\u0000${t.message.event.type}`;
    const before = causes.get(eventKey(t.message.event)) ?? new Set<string>();
    if (before.has(kind)) {
      const types = [...new Set(transitions.slice(-20).map((x) => x.message.event.type))].sort();
      return {
        proven: true,
        message: `${still}: ${types.join(", ")} keep being published: handling ${t.message.event.type} in ${t.message.consumer} leads to another ${t.message.event.type} for ${t.message.consumer}, again and again (an emission cycle)`,
      };
    }
    if (r.published.length > 0) {
      const next = new Set(before).add(kind);
      for (const e of r.published) causes.set(eventKey(e), next);
    }
  }
  // A state met twice.
  const seen = new Map<string, number>();
  for (const [i, state] of replayed.states.entries()) {
    const key = model.key(state);
    const first = seen.get(key);
    if (first !== undefined) return { proven: true, message: `${still}: after ${i} transitions the system is back in the state it had after ${first} (a cycle the broker can repeat forever)` };
    seen.set(key, i);
  }
  const types = [...new Set(transitions.slice(-20).map((t) => t.message.event.type))].sort();
  return {
    proven: false,
    message: `did not reach quiescence within --max-depth ${bound} deliveries (${types.join(", ")} still being delivered), and no loop shows (no state repeats, no message leads back to its own kind, no failing message retried without progress): raise --max-depth`,
  };
}
