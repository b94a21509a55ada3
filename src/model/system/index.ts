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
 *
 * Speed (the explorer takes hundreds of thousands of steps; the simulation as many):
 * - Nothing is encoded until `key` (or `serviceKey`) asks: the simulation never asks, so its steps
 *   run the handlers and nothing else. A message's encoding and key are computed on first use.
 * - Once a state's key is known, its service encodings (`serviceIds`) pass to its successors, and
 *   a service state object is encoded once (WeakMap): handlers return the same object when
 *   nothing changed and share unchanged parts.
 * - For such states, handler calls are remembered per (encoded service state, message content),
 *   with their committed state's encoding, restart and routed emissions, and predicate verdicts per
 *   tuple of service encodings: states with equal encodings are the same state to the explorer,
 *   and handlers and predicates are pure, so a call on an equal state is not made again. A state
 *   built by hand must not copy `serviceIds` from another state with other services.
 * - `key` is a short string of code units (interned numbers), built without sorting callbacks.
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
export { rootPath, Tracker, type Access, type PathKey, type TrackerOptions } from "./footprint.js";
export type { TrackedCall } from "./model.js";
