/**
 * The system semantics shared by the convergence simulation (`check/simulate`) and the
 * exhaustive explorer (`check/explore`): one step function, so a counterexample found by one
 * replays in the other. The rules are in docs/design/system-semantics.md.
 *
 * ```ts
 * import { createSystemModel, topologyFromSpec } from "../model/system/index.js";
 * const model = createSystemModel({
 *   topology: topologyFromSpec(spec),          // channels, event routing, outbox per service
 *   runtime,                                   // SystemRuntime (or { services } for in-memory ones)
 *   codec,                                     // ValueCodec (default: plainCodec)
 *   bounds: { duplicates: 1, crashes: 0 },     // lost acks per message; crash-restarts per run
 * });
 * let s = model.initialState(inputs);          // inputs: { channel, event }[] (ids default to input-N)
 * while (!model.isQuiescent(s)) {
 *   const ts = model.enabled(s);               // deterministic order; empty iff quiescent
 *   const r = model.step(s, ts[0]!);           // { state, outcome, error?, published, lost, unroutable }
 *   s = r.state;
 *   model.invariantFailures(s);                // [{ name, message }] of broken invariants
 * }
 * model.quiescenceFailures(s);                 // quiescence predicates (when nothing is in flight)
 * model.key(s);                                // canonical, order-independent state key
 * model.serviceKey(s, "order");                // canonical key of one service's state (convergence)
 * model.toRef(t) / model.findTransition(s, ref) / model.replay(inputs, refs)   // trace files
 * ```
 *
 * Transitions: `deliver` (with `ackLost` for at-least-once duplicates, `crash` for a crash
 * between state commit and publication) and `drop` (at-most-once). A handler that throws is an
 * outcome, not an exception: the message stays in flight (`threw`) or, past the channel's
 * `maxRedeliveries`, is dead-lettered. States and messages are immutable; `seq` numbers are
 * bookkeeping for traces and are not part of `key`.
 */
export type {
  DeadLetter,
  Message,
  PredicateFailure,
  StepOutcome,
  StepResult,
  SystemBounds,
  SystemInput,
  SystemState,
  Transition,
  TransitionAction,
  TransitionRef,
} from "./types.js";
export { createSystemModel, DEFAULT_BOUNDS, type ReplayResult, type ReplayStep, type SystemModel, type SystemModelOptions } from "./model.js";
export { readPath, topologyFromSpec, type SystemTopology, type TopologyChannel } from "./topology.js";
export { plainCodec } from "./plain-codec.js";
export { diffServices, type StateDifference } from "./diff.js";
export { inMemoryService, inMemoryServices, type InMemoryHandler } from "./in-memory.js";
