// The data of the shared system semantics (docs/design/system-semantics.md).
// Everything here is immutable: `step` returns new objects and shares the
// unchanged parts, so a search can keep many states cheaply.
import type { Event } from "../handler.js";

/** Fault bounds of one run. */
export interface SystemBounds {
  /** Lost acks per message: how often one message may be redelivered as a duplicate (default 1). */
  duplicates: number;
  /** Crash-restarts of services in one run, over all services (default 0: no crashes). */
  crashes: number;
}

/** One event on its way to one consumer. */
export interface Message {
  /** Send number in this run (inputs first, in order; then every publication). Not part of the
   * canonical state: two runs that send the same messages in another order reach the same state. */
  readonly seq: number;
  readonly channel: string;
  readonly consumer: string;
  readonly event: Event;
  /** The channel's key value of the event (`key:` path), when the channel has one. */
  readonly key: string | undefined;
  /** Ordering group: messages of one group are delivered oldest first (ordered channels only). */
  readonly group: string;
  /** Whether `group` is ordered (ordering per-key or total). */
  readonly ordered: boolean;
  /** Small number naming `group` within one model (cheap to compare and hash). */
  readonly groupId: number;
  /** Canonical encoding of (channel, consumer, event). */
  readonly enc: string;
  /** Small number naming `enc` within one model (`entry` without the counters). */
  readonly content: number;
  /** Small number naming (enc, acksLost, failures) within one model: equal content, equal number.
   * Cheap to hash and sort; meaningful only inside the model that created the message. */
  readonly entry: number;
  /** Deliveries of this message whose ack was lost (duplicates made so far). */
  readonly acksLost: number;
  /** Handler failures so far (counted only on channels with `maxRedeliveries`). */
  readonly failures: number;
}

/** A message the broker gave up on after `maxRedeliveries` failed redeliveries. */
export interface DeadLetter {
  readonly channel: string;
  readonly consumer: string;
  readonly event: Event;
  readonly enc: string;
  readonly error: string;
}

export interface SystemState {
  /** State of each service that has a handler, by service name. */
  readonly services: Readonly<Record<string, unknown>>;
  /** Messages not yet acknowledged, in send order (ascending `seq`). */
  readonly inflight: readonly Message[];
  /** Crash-restarts used so far. */
  readonly crashes: number;
  readonly deadLetters: readonly DeadLetter[];
  /** Next send number (bookkeeping for `seq`; not part of the canonical state). */
  readonly nextSeq: number;
  /** Cache of the model that made this state: the interned encodings of the service states, in
   * `serviceNames` order, once `key` has computed them (successors inherit them from `step`).
   * Meaningless outside that model; never set it. */
  serviceIds?: readonly number[] | undefined;
}

export type TransitionAction = "deliver" | "drop";

/** What may happen next in a state: one of `enabled(state)`. */
export interface Transition {
  readonly action: TransitionAction;
  /** The message concerned (an element of `state.inflight`). */
  readonly message: Message;
  /** At-least-once: handled, but the ack is lost, so the message stays in flight. */
  readonly ackLost?: true;
  /** The consumer crashes after committing its state, before publishing and acking. */
  readonly crash?: true;
}

export type StepOutcome =
  /** The handler ran and its state was committed. */
  | "handled"
  /** The handler threw: nothing committed, no ack, the message will be redelivered. */
  | "threw"
  /** The handler threw once more than the channel's `maxRedeliveries` allow: dead-lettered. */
  | "dead-lettered"
  /** At-most-once: the broker lost the message. */
  | "dropped";

export interface StepResult {
  state: SystemState;
  outcome: StepOutcome;
  /** The handler's error message (outcome threw / dead-lettered). */
  error?: string;
  /** Emissions published to channels by this step. */
  published: Event[];
  /** Emissions lost: the consumer crashed before publishing and has no outbox. */
  lost: Event[];
  /** Emissions whose type no channel declares (dropped; a finding). */
  unroutable: Event[];
}

/** A broken predicate. */
export interface PredicateFailure {
  name: string;
  message: string;
}

/** A transition as a trace file names it (the fields of the shared trace format). */
export interface TransitionRef {
  action: TransitionAction;
  channel: string;
  consumer: string;
  type: string;
  id: string;
  seq: number;
  ackLost?: boolean;
  crash?: boolean;
  duplicate?: boolean;
}

/** A scenario input: an event published on a channel before the run starts. */
export interface SystemInput {
  channel: string;
  event: Record<string, unknown>;
}
