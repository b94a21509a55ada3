// The contract between handler loading (src/model/runtime/) and the checkers
// that run handlers (property checks, convergence simulation, explorer).
// Whatever shape the user's code has (handle/emit, Decider, reducer, events
// with data/metadata), loading normalises it to a ServiceRuntime.
import type { Event, HandlerResult, Predicates } from "./handler.js";
import type { ChannelSpec, ExportRef } from "../spec/types.js";

export interface ServiceRuntime {
  /** Service name from the spec. */
  name: string;
  /** Where the handler came from (for findings). */
  source: ExportRef;
  /** Which shape the user's export had. */
  shape: "handle" | "decider" | "reducer";
  initialState(): unknown;
  /** Pure step; the result's `emit` is always an array (possibly empty). */
  handle(state: unknown, event: Event): Required<HandlerResult<unknown>>;
  /** What survives a crash-restart of the service (default: the whole state, as
   * in a database). A handler that keeps an in-memory dedup set, say, drops it here. */
  restart?(state: unknown): unknown;
  /** Event types this handler accepts, when the code says so (a union of `type` literals); undefined when unknown. */
  accepts?: readonly string[];
}

export interface EventShape {
  /** The event's unique id (a duplicate carries the same id): `id` or e.g. `metadata.eventId`. */
  id(event: Event): string;
  /** The channel's ordering/independence key (`key:` of the channel, a dotted path). */
  key(event: Event, channel: ChannelSpec): string | undefined;
}

export interface SystemRuntime {
  services: Map<string, ServiceRuntime>;
  invariants: Predicates;
  quiescence: Predicates;
  events: EventShape;
}

/** Structural equality and canonical encoding of states and events, aware of
 * Map, Set and Date, independent of key insertion order. */
export interface ValueCodec {
  equal(a: unknown, b: unknown): boolean;
  /** A canonical string: equal values give equal strings. */
  encode(value: unknown): string;
  /** A plain JSON form for reports (Map -> object/entries, Set -> sorted array, Date -> ISO). */
  toJSON(value: unknown): unknown;
}
