// Plain-data results of the handler property checks: they travel from the
// sandbox worker to the rules, so nothing here may hold a function.
import type { Event } from "../../model/handler.js";
import type { ValueDifference } from "../../model/runtime/codec.js";
import type { Delivery, Ordering } from "../../spec/types.js";

export type HandlerProperty = "idempotence" | "commutation" | "handler-throws" | "handler-mutates-input" | "handler-nondeterministic";

export const HANDLER_PROPERTIES: readonly HandlerProperty[] = [
  "idempotence",
  "commutation",
  "handler-throws",
  "handler-mutates-input",
  "handler-nondeterministic",
];

/** The delivery guarantees of the channel an event type travels on. */
export interface ChannelInfo {
  name: string;
  delivery: Delivery;
  ordering: Ordering;
  key?: string;
}

export interface EngineOptions {
  /** fast-check runs per property (and per attempt after a failure). */
  runs: number;
  /** Longest event sequence applied from initialState to reach a state. */
  maxDepth: number;
  seed: number;
  /** Milliseconds for all the properties of this service. */
  timeBudgetMs?: number;
  properties?: readonly HandlerProperty[];
  /** Event types not to generate (e.g. one whose handler hung). */
  excludeTypes?: readonly string[];
  /** Replay one fast-check counterexample: the `fcSeed` and `path` a finding printed
   * (and its `search` when it came from a narrowed search). */
  replay?: PropertyReplay;
}

/** What re-runs one counterexample: the property, its fast-check seed and path, the
 * narrowed search that found it, and the subjects (event types, or pairs) that search had
 * when not all of them (a failure found after earlier failing subjects were set aside). */
export interface PropertyReplay {
  property: HandlerProperty;
  fcSeed: number;
  path: string;
  search?: NarrowedSearch;
  subjects?: string[][];
}

/** A second search after a commutation failure, over more realistic cases:
 * `one-payload-per-key`: events of one type and key carry the same data (an
 * entity is created once, with one total); `distinct-keys`: that, and the two
 * events under test are about different entities. */
export type NarrowedSearch = "one-payload-per-key" | "distinct-keys";

/** A shrunk counterexample, replayable with `seed` (the check) or `fcSeed` + `path` (fast-check). */
export interface PropertyCounterexample {
  property: HandlerProperty;
  service: string;
  seed: number;
  fcSeed: number;
  path: string;
  /** Events applied from initialState to reach the state the property failed in. */
  prefix: Event[];
  /** The events under test: the duplicated event, the two reordered events, or the faulty call's event. */
  events: Event[];
  /** The reached state (plain JSON). */
  state?: unknown;
  /** Where the two outcomes differ (once vs twice, order A vs order B, run 1 vs run 2). */
  diff?: ValueDifference[];
  /** The outcomes compared, by name (plain JSON). */
  outcomes?: Record<string, unknown>;
  error?: string;
  shrinks: number;
  /** Set when found by a narrowed search (replay with it). */
  search?: NarrowedSearch;
  /** The subjects the search had, when not every subject of the property (replay with them). */
  subjects?: string[][];
  /** Set when found by running this scenario in order (no fast-check search). */
  scenario?: string;
}

export interface PropertyFailure {
  property: HandlerProperty;
  service: string;
  /** The event type (or the pair of types) the failure is about. */
  eventTypes: string[];
  message: string;
  counterexample: PropertyCounterexample;
  /** When the failure is less certain than the rule's default (error). */
  severity?: "warning";
  /** A commutation warning: the failure needs two events of this type, with different data, for one entity. */
  sameEntityType?: string;
}

export interface ServiceReport {
  service: string;
  /** Where the events came from (TypeScript type, zod schema, arbitrary, spec). */
  origin: string;
  failures: PropertyFailure[];
  /** Properties not (fully) checked and why. Notes with a kind are reported as info
   * findings: `cut` (the time budget stopped the search), `skip` (a type never
   * duplicated), `generation` (what event generation could not honour). */
  notes: ServiceNote[];
  runs: number;
  calls: number;
  ms: number;
  /** The calls that threw when the spec's scenarios ran in order (undefined: not run). */
  scenarioThrows?: ScenarioThrow[];
  /** The event types the scenarios' in-order traffic delivers to this service (undefined: not run). */
  scenarioReceipts?: ScenarioReceipt[];
}

export interface ServiceNote {
  property: HandlerProperty;
  reason: string;
  kind?: "cut" | "skip" | "generation";
  eventTypes?: string[];
}

/** An event type the scenarios' in-order traffic delivers to a service. */
export interface ScenarioReceipt {
  service: string;
  eventType: string;
  /** The first scenario (by name) that delivers it. */
  scenario: string;
  /** A scenario that delivers two events of the type with different data for one key (or, on a channel without key, at all). */
  repeated?: { scenario: string; key?: string };
}

/** A throw the scenarios' own in-order traffic provokes (handler-throws judges it). */
export interface ScenarioThrow {
  scenario: string;
  service: string;
  eventType: string;
  event: Event;
  channel: string;
  /** Events the service had applied before the reported call (its state's history). */
  prefix: Event[];
  /** The state the reported call got (plain JSON). */
  state: unknown;
  error: string;
  /** It still throws when redelivered after everything else of the scenario. */
  permanent: boolean;
}
