// The convergence simulation of one scenario: fast-check samples schedules
// (which message next, with which fault) over the shared semantics, every run
// is judged against the in-order reference run, and a failing schedule is
// shrunk by fast-check, then by local edits of the schedule itself.
import fc from "fast-check";
import type { SystemInput, SystemModel } from "../../model/system/index.js";
import { minimizeRun, scheduleCost } from "./minimize.js";
import { choicesChooser, referenceRun, runSchedule, traceTransitions, type Property, type Reference, type RunResult } from "./run.js";
import type { TraceTransition, TraceViolation } from "./trace-format.js";

export interface SimulationOptions {
  /** Sampled schedules (fast-check runs). */
  runs: number;
  seed: number;
  /** Transitions after which a run is declared non-terminating. */
  maxDepth: number;
  /** Date.now() after which sampling stops (the result then says `interrupted`). */
  deadline?: number;
  /** Called every `progressEvery` runs. */
  onProgress?: (runsDone: number) => void;
  progressEvery?: number;
}

/** A shrunk failing schedule of one property. */
export interface Counterexample {
  property: Property;
  transitions: TraceTransition[];
  violation: TraceViolation;
  /** fast-check's seed and path (re-running the search, not needed to replay). */
  seed: number;
  path?: string;
  /** Runs before the failure was found, and shrink steps fast-check took. */
  foundAfterRuns: number;
  shrinks: number;
  /** A nontermination without a loop seen: reached the depth bound, which may be too short. */
  unproven?: true;
}

export interface DeadLetterNote {
  channel: string;
  consumer: string;
  type: string;
  id: string;
  error: string;
}

export interface ScenarioSimulation {
  scenario: string;
  /** The spec scenario this one was generated from (concurrent copies). */
  of?: string;
  inputs: SystemInput[];
  /** Runs actually made (fewer than asked when the time budget cut them). */
  runs: number;
  interrupted: boolean;
  /** Deliveries of the reference run (undefined when it does not terminate). */
  referenceLength?: number;
  counterexamples: Counterexample[];
  /** Messages a run dead-lettered (the flow never completed normally). */
  deadLetters: DeadLetterNote[];
  /** Milliseconds spent sampling (not part of reports' deterministic content). */
  sampleMs: number;
}

/** Schedules longer than this are not minimised edit by edit (the search is quadratic). */
const MINIMIZE_LIMIT = 200;

/** Choices for a run expected to take about `length` transitions: the message (0-15, the oldest first) in the high bits, the fault in the two low bits. */
export function choicesArbitrary(length: number): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: 63 }), { maxLength: Math.max(4, 2 * length + 2), size: "max" });
}

export function simulateScenario(model: SystemModel, scenario: string, inputs: SystemInput[], options: SimulationOptions): ScenarioSimulation {
  const started = performance.now();
  const out: ScenarioSimulation = { scenario, inputs, runs: 0, interrupted: false, counterexamples: [], deadLetters: [], sampleMs: 0 };
  const runOptions = { maxDepth: options.maxDepth };
  const ref = referenceRun(model, inputs, options.maxDepth);
  noteDeadLetters(model, out, ref.run);
  if (!ref.reference) {
    // In-order delivery already loops: that is the counterexample, no sampling needed.
    if (ref.run.property) out.counterexamples.push(finish(model, inputs, ref.run, ref.run.property, runOptions, { seed: options.seed, foundAfterRuns: 1, shrinks: 0 }));
    out.sampleMs = performance.now() - started;
    return out;
  }
  out.referenceLength = ref.reference.refs.length;
  if (ref.run.property) {
    // Fault-free, in-order delivery already breaks an invariant or a quiescence predicate.
    out.counterexamples.push(finish(model, inputs, ref.run, ref.run.property, runOptions, { seed: options.seed, foundAfterRuns: 1, shrinks: 0 }));
    out.sampleMs = performance.now() - started;
    return out;
  }

  const withReference = { maxDepth: options.maxDepth, reference: ref.reference };
  const arb = choicesArbitrary(ref.reference.refs.length);
  // Nontermination is judged by its own property (so that it shrinks on its own): the
  // convergence property records the first looping schedule and lets sampling go on.
  let looping: number[] | undefined;
  let runsDone = 0;
  let internalError: unknown;
  const every = options.progressEvery ?? 1000;
  const property = fc.property(arb, (choices) => {
    runsDone++;
    if (options.onProgress && runsDone % every === 0) options.onProgress(runsDone);
    let run: RunResult;
    try {
      run = runSchedule(model, inputs, choicesChooser(choices), withReference);
    } catch (error) {
      // Not a counterexample (handler errors are outcomes of the semantics): stop and re-throw.
      internalError ??= error;
      return true;
    }
    noteDeadLetters(model, out, run);
    if (run.property === "termination") {
      looping ??= choices;
      return true;
    }
    return run.property === undefined;
  });
  const params: fc.Parameters<[number[]]> = { seed: options.seed, numRuns: options.runs };
  if (options.deadline !== undefined) params.interruptAfterTimeLimit = Math.max(1, options.deadline - Date.now());
  const details = fc.check(property, params);
  if (internalError !== undefined) throw internalError;
  out.runs = details.numRuns;
  out.interrupted = details.interrupted;
  if (details.failed && details.counterexample) {
    const [choices] = details.counterexample;
    const run = runSchedule(model, inputs, choicesChooser(choices), withReference);
    if (run.property) {
      out.counterexamples.push(
        finish(model, inputs, run, run.property, withReference, {
          seed: options.seed,
          ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}),
          foundAfterRuns: details.numRuns,
          shrinks: details.numShrinks,
        }),
      );
    }
  }
  if (looping) out.counterexamples.push(shrinkLoop(model, inputs, looping, arb, ref.reference, options));
  out.sampleMs = performance.now() - started;
  return out;
}

/** Shrinks a non-terminating schedule with fast-check (starting from the recorded example). */
function shrinkLoop(model: SystemModel, inputs: SystemInput[], example: number[], arb: fc.Arbitrary<number[]>, reference: Reference, options: SimulationOptions): Counterexample {
  const runOptions = { maxDepth: options.maxDepth, reference };
  const details = fc.check(
    fc.property(arb, (choices) => runSchedule(model, inputs, choicesChooser(choices), runOptions).property !== "termination"),
    { seed: options.seed, numRuns: 1, examples: [[example]] },
  );
  const choices = details.counterexample?.[0] ?? example;
  const run = runSchedule(model, inputs, choicesChooser(choices), runOptions);
  return finish(model, inputs, run, "termination", runOptions, { seed: options.seed, foundAfterRuns: 1, shrinks: details.numShrinks });
}

function worthMinimizing(model: SystemModel, run: RunResult, property: Property): boolean {
  if (run.transitions.length > MINIMIZE_LIMIT) return false;
  if (property !== "termination") return true;
  // A loop always takes the whole depth bound: only faults and inversions can go.
  const cost = scheduleCost(run.transitions.map((t) => model.toRef(t)));
  return cost.faults > 0 || cost.inversions > 0;
}

function finish(
  model: SystemModel,
  inputs: SystemInput[],
  run: RunResult,
  property: Property,
  runOptions: { maxDepth: number; reference?: Reference },
  meta: { seed: number; path?: string; foundAfterRuns: number; shrinks: number },
): Counterexample {
  const best = worthMinimizing(model, run, property) ? minimizeRun(model, inputs, run, property, runOptions) : run;
  return {
    property,
    transitions: traceTransitions(model, best),
    violation: best.violation!,
    seed: meta.seed,
    ...(meta.path ? { path: meta.path } : {}),
    foundAfterRuns: meta.foundAfterRuns,
    shrinks: meta.shrinks,
    ...(property === "termination" && best.unproven ? { unproven: true as const } : {}),
  };
}

function noteDeadLetters(model: SystemModel, out: ScenarioSimulation, run: RunResult): void {
  for (const d of run.final.deadLetters) {
    const id = model.eventId(d.event);
    if (out.deadLetters.some((x) => x.channel === d.channel && x.consumer === d.consumer && x.id === id)) continue;
    out.deadLetters.push({ channel: d.channel, consumer: d.consumer, type: d.event.type, id, error: d.error });
  }
}
