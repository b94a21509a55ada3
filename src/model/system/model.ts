// The step function of the system semantics (docs/design/system-semantics.md): initial
// state from scenario inputs, enabled transitions, step, quiescence, canonical key and
// predicate checks. Pure and synchronous: the explorer and the simulation both drive it.
import type { Event, Predicates } from "../handler.js";
import type { EventShape, ServiceRuntime, ValueCodec } from "../runtime-types.js";
import { plainCodec } from "./plain-codec.js";
import { readPath, type SystemTopology, type TopologyChannel } from "./topology.js";
import type {
  DeadLetter,
  Message,
  PredicateFailure,
  StepResult,
  SystemBounds,
  SystemInput,
  SystemState,
  Transition,
  TransitionRef,
} from "./types.js";

export interface SystemModelOptions {
  topology: SystemTopology;
  runtime: {
    services: ReadonlyMap<string, ServiceRuntime>;
    invariants?: Predicates;
    quiescence?: Predicates;
    events?: EventShape;
  };
  /** Canonical encoding of states and events (default: plain data codec). */
  codec?: ValueCodec;
  bounds?: Partial<SystemBounds>;
}

export const DEFAULT_BOUNDS: SystemBounds = { duplicates: 1, crashes: 0 };

export interface ReplayStep {
  transition: Transition;
  result: StepResult;
}

export interface ReplayResult {
  /** States after each step; `states[0]` is the initial state. */
  states: SystemState[];
  steps: ReplayStep[];
  /** Index of the first reference no enabled transition matched (replay stopped there). */
  unmatched?: number;
}

export interface SystemModel {
  readonly topology: SystemTopology;
  readonly codec: ValueCodec;
  readonly bounds: SystemBounds;
  /** Services with a handler, sorted: the keys of `state.services`. */
  readonly serviceNames: readonly string[];
  readonly invariants: Predicates;
  readonly quiescence: Predicates;
  /** The state before any delivery: initial service states, the inputs in flight. */
  initialState(inputs: readonly SystemInput[]): SystemState;
  /** Every transition possible in `state`, in a deterministic order. Empty iff quiescent. */
  enabled(state: SystemState): Transition[];
  /** Takes one transition (one of `enabled(state)`). Handler exceptions become outcomes. */
  step(state: SystemState, transition: Transition): StepResult;
  /** Nothing in flight. */
  isQuiescent(state: SystemState): boolean;
  /** Canonical, order-independent encoding of the whole state: equal keys, same state. Keys
   * name interned encodings, so they compare only within one model instance. */
  key(state: SystemState): string;
  /** Canonical encoding of one service's state. */
  serviceKey(state: SystemState, service: string): string;
  invariantFailures(state: SystemState): PredicateFailure[];
  /** Quiescence predicates (meaningful only when `isQuiescent(state)`). */
  quiescenceFailures(state: SystemState): PredicateFailure[];
  /** The key value of an event on a channel (undefined: the channel has no key or the event lacks it). */
  eventKey(channel: string, event: Event): string | undefined;
  eventId(event: Event): string;
  /** The trace-file form of a transition. */
  toRef(transition: Transition): TransitionRef;
  /** The enabled transition a trace names: same seq, else the first in flight with the same
   * channel, consumer and event id; flags (ackLost, crash, action) must match. */
  findTransition(state: SystemState, ref: TransitionRef): Transition | undefined;
  /** Runs a trace from the inputs; stops at the first reference that matches nothing. */
  replay(inputs: readonly SystemInput[], refs: readonly TransitionRef[]): ReplayResult;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

const defaultEvents: EventShape = {
  id: (event) => String(event.id),
  key: (event, channel) => (channel.key === undefined ? undefined : readPath(event, channel.key)),
};

export function createSystemModel(options: SystemModelOptions): SystemModel {
  const { topology } = options;
  const codec = options.codec ?? plainCodec;
  const bounds: SystemBounds = { ...DEFAULT_BOUNDS, ...options.bounds };
  const services = options.runtime.services;
  const events = options.runtime.events ?? defaultEvents;
  const invariants = options.runtime.invariants ?? {};
  const quiescence = options.runtime.quiescence ?? {};
  const serviceNames = [...services.keys()].sort();
  const invariantNames = Object.keys(invariants).sort();
  const quiescenceNames = Object.keys(quiescence).sort();

  // Interned encodings: state keys are built from small numbers instead of long strings.
  const interned = new Map<string, number>();
  const texts: string[] = [];
  const intern = (text: string): number => {
    let n = interned.get(text);
    if (n === undefined) {
      n = texts.length;
      interned.set(text, n);
      texts.push(text);
    }
    return n;
  };
  const stateId = (value: unknown): number => intern(`\u0002${codec.encode(value)}`);
  const serviceIdsOf = (state: SystemState): readonly number[] =>
    state.serviceIds ?? serviceNames.map((n) => stateId(state.services[n]));
  const serviceIndex = new Map(serviceNames.map((n, i) => [n, i]));
  const entryOf = (enc: string, acksLost: number, failures: number) =>
    intern(acksLost === 0 && failures === 0 ? enc : `${enc}\u0003${acksLost}\u0003${failures}`);
  const withCounters = (m: Message, acksLost: number, failures: number): Message => ({ ...m, acksLost, failures, entry: entryOf(m.enc, acksLost, failures) });

  const channelOf = (name: string): TopologyChannel => {
    const ch = topology.channels.get(name);
    if (!ch) throw new Error(`unknown channel "${name}"`);
    return ch;
  };

  const eventKey = (channel: string, event: Event): string | undefined => {
    const ch = channelOf(channel);
    if (ch.key === undefined) return undefined;
    if (ch.spec) return events.key(event, ch.spec);
    return readPath(event, ch.key);
  };

  /** One message per consumer that has a handler (consumers outside the model receive nothing). */
  const messagesFor = (channelName: string, event: Event, firstSeq: number): Message[] => {
    const ch = channelOf(channelName);
    const key = eventKey(channelName, event);
    const eventEnc = codec.encode(event);
    const ordered = ch.ordering !== "none";
    const out: Message[] = [];
    for (const consumer of ch.consumers) {
      if (!services.has(consumer)) continue;
      const group =
        ch.ordering === "per-key" ? `${channelName}\u0001${consumer}\u0001${key ?? ""}` : `${channelName}\u0001${consumer}`;
      const enc = `${channelName}\u0001${consumer}\u0001${eventEnc}`;
      out.push({
        seq: firstSeq + out.length,
        channel: channelName,
        consumer,
        event,
        key,
        group,
        ordered,
        enc,
        entry: entryOf(enc, 0, 0),
        acksLost: 0,
        failures: 0,
      });
    }
    return out;
  };

  const initialState = (inputs: readonly SystemInput[]): SystemState => {
    const svc: Record<string, unknown> = {};
    for (const name of serviceNames) svc[name] = services.get(name)!.initialState();
    const inflight: Message[] = [];
    let seq = 0;
    inputs.forEach((input, i) => {
      const raw = input.event;
      const event = { ...raw, id: raw.id === undefined ? `input-${i + 1}` : String(raw.id) } as Event;
      const msgs = messagesFor(input.channel, event, seq);
      seq += msgs.length;
      inflight.push(...msgs);
    });
    return { services: svc, inflight, crashes: 0, deadLetters: [], nextSeq: seq, serviceIds: serviceNames.map((n) => stateId(svc[n])) };
  };

  const enabled = (state: SystemState): Transition[] => {
    const out: Transition[] = [];
    const headTaken = new Set<string>();
    for (const m of state.inflight) {
      if (m.ordered) {
        if (headTaken.has(m.group)) continue;
        headTaken.add(m.group);
      }
      const ch = channelOf(m.channel);
      out.push({ action: "deliver", message: m });
      if (ch.delivery === "at-least-once" && m.acksLost < bounds.duplicates) out.push({ action: "deliver", message: m, ackLost: true });
      if (ch.delivery !== "exactly-once" && state.crashes < bounds.crashes) out.push({ action: "deliver", message: m, crash: true });
      if (ch.delivery === "at-most-once") out.push({ action: "drop", message: m });
    }
    return out;
  };

  const indexOfMessage = (state: SystemState, m: Message): number => {
    const i = state.inflight.indexOf(m);
    if (i >= 0) return i;
    return state.inflight.findIndex((x) => x.seq === m.seq);
  };

  const without = (list: readonly Message[], i: number): Message[] => [...list.slice(0, i), ...list.slice(i + 1)];
  const replaced = (list: readonly Message[], i: number, m: Message): Message[] => {
    const copy = list.slice();
    copy[i] = m;
    return copy;
  };

  const step = (state: SystemState, t: Transition): StepResult => {
    const i = indexOfMessage(state, t.message);
    if (i < 0) throw new Error(`transition names message seq ${t.message.seq}, which is not in flight`);
    const m = state.inflight[i]!;
    const ch = channelOf(m.channel);
    if (t.action === "drop") {
      return { state: { ...state, inflight: without(state.inflight, i) }, outcome: "dropped", published: [], lost: [], unroutable: [] };
    }
    const rt = services.get(m.consumer)!;
    const before = state.services[m.consumer];
    let result: { state: unknown; emit: Event[] };
    try {
      result = rt.handle(before, m.event);
    } catch (error) {
      const message = errorMessage(error);
      if (ch.maxRedeliveries === undefined) {
        // No dead-letter bound: the message stays as it was; the state is unchanged (a
        // self-loop the explorer reports as a redelivery loop).
        return { state, outcome: "threw", error: message, published: [], lost: [], unroutable: [] };
      }
      if (m.failures + 1 > ch.maxRedeliveries) {
        const dead: DeadLetter = { channel: m.channel, consumer: m.consumer, event: m.event, enc: m.enc, error: message };
        return {
          state: { ...state, inflight: without(state.inflight, i), deadLetters: [...state.deadLetters, dead] },
          outcome: "dead-lettered",
          error: message,
          published: [],
          lost: [],
          unroutable: [],
        };
      }
      return {
        state: { ...state, inflight: replaced(state.inflight, i, withCounters(m, m.acksLost, m.failures + 1)) },
        outcome: "threw",
        error: message,
        published: [],
        lost: [],
        unroutable: [],
      };
    }
    let committed = result.state;
    let crashes = state.crashes;
    let inflight: Message[];
    if (t.crash) {
      crashes += 1;
      if (rt.restart) committed = rt.restart(committed);
      // Not acked: at-least-once redelivers it; at-most-once acked before handling.
      inflight = ch.delivery === "at-most-once" ? without(state.inflight, i) : state.inflight.slice();
    } else if (t.ackLost) {
      inflight = replaced(state.inflight, i, withCounters(m, m.acksLost + 1, m.failures));
    } else {
      inflight = without(state.inflight, i);
    }
    const emissions = result.emit ?? [];
    const publish = !t.crash || (topology.outbox.get(m.consumer) ?? true);
    const published: Event[] = [];
    const unroutable: Event[] = [];
    const lost: Event[] = [];
    let nextSeq = state.nextSeq;
    for (const e of emissions) {
      const target = e && typeof e === "object" && typeof e.type === "string" ? topology.eventChannel.get(e.type) : undefined;
      if (target === undefined) {
        unroutable.push(e);
        continue;
      }
      if (!publish) {
        lost.push(e);
        continue;
      }
      published.push(e);
      const msgs = messagesFor(target, e, nextSeq);
      nextSeq += msgs.length;
      inflight.push(...msgs);
    }
    let serviceIds = state.serviceIds;
    if (committed !== before || !serviceIds) {
      const ids = serviceIdsOf(state).slice();
      ids[serviceIndex.get(m.consumer)!] = stateId(committed);
      serviceIds = ids;
    }
    return {
      state: { services: { ...state.services, [m.consumer]: committed }, inflight, crashes, deadLetters: state.deadLetters, nextSeq, serviceIds },
      outcome: "handled",
      published,
      lost,
      unroutable,
    };
  };

  const groupIds = new Map<string, number>();
  const inflightKey = (inflight: readonly Message[]): string => {
    if (inflight.length === 0) return "";
    // Unordered messages form one multiset (an entry names channel and consumer); ordered
    // groups are sequences in send order (the inflight array is in seq order).
    const unordered: number[] = [];
    let ordered: Map<number, number[]> | undefined;
    for (const m of inflight) {
      if (!m.ordered) {
        unordered.push(m.entry);
        continue;
      }
      let g = groupIds.get(m.group);
      if (g === undefined) {
        g = groupIds.size;
        groupIds.set(m.group, g);
      }
      ordered ??= new Map();
      const list = ordered.get(g);
      if (list) list.push(m.entry);
      else ordered.set(g, [m.entry]);
    }
    let out = unordered.length > 1 ? unordered.sort((a, b) => a - b).join(",") : unordered.join(",");
    if (ordered) for (const g of [...ordered.keys()].sort((a, b) => a - b)) out += `;${g}:${ordered.get(g)!.join(",")}`;
    return out;
  };

  const key = (state: SystemState): string => {
    let out = "";
    for (const id of serviceIdsOf(state)) out += `${id}.`;
    out += `|${inflightKey(state.inflight)}`;
    if (state.crashes > 0) out += `|c${state.crashes}`;
    if (state.deadLetters.length > 0) out += `|d${state.deadLetters.map((d) => intern(d.enc)).sort((a, b) => a - b).join(",")}`;
    return out;
  };

  const evaluate = (preds: Predicates, names: readonly string[], state: SystemState): PredicateFailure[] => {
    const failures: PredicateFailure[] = [];
    for (const name of names) {
      let verdict: boolean | string;
      try {
        verdict = preds[name]!(state.services as Record<string, unknown>);
      } catch (error) {
        failures.push({ name, message: `the predicate threw ${errorMessage(error)}` });
        continue;
      }
      if (verdict === true) continue;
      failures.push({ name, message: typeof verdict === "string" && verdict.length > 0 ? verdict : `${name} does not hold` });
    }
    return failures;
  };

  const eventId = (event: Event): string => events.id(event);

  const toRef = (t: Transition): TransitionRef => ({
    action: t.action,
    channel: t.message.channel,
    consumer: t.message.consumer,
    type: t.message.event.type,
    id: eventId(t.message.event),
    seq: t.message.seq,
    ...(t.ackLost ? { ackLost: true } : {}),
    ...(t.crash ? { crash: true } : {}),
  });

  const sameKind = (t: Transition, ref: TransitionRef) =>
    t.action === ref.action && Boolean(t.ackLost) === Boolean(ref.ackLost) && Boolean(t.crash) === Boolean(ref.crash);

  const findTransition = (state: SystemState, ref: TransitionRef): Transition | undefined => {
    const candidates = enabled(state).filter((t) => sameKind(t, ref));
    const matches = (t: Transition) =>
      t.message.channel === ref.channel && t.message.consumer === ref.consumer && eventId(t.message.event) === ref.id;
    return candidates.find((t) => t.message.seq === ref.seq && matches(t)) ?? candidates.find(matches);
  };

  const replay = (inputs: readonly SystemInput[], refs: readonly TransitionRef[]): ReplayResult => {
    let state = initialState(inputs);
    const states = [state];
    const steps: ReplayStep[] = [];
    for (let i = 0; i < refs.length; i++) {
      const t = findTransition(state, refs[i]!);
      if (!t) return { states, steps, unmatched: i };
      const result = step(state, t);
      steps.push({ transition: t, result });
      state = result.state;
      states.push(state);
    }
    return { states, steps };
  };

  return {
    topology,
    codec,
    bounds,
    serviceNames,
    invariants,
    quiescence,
    initialState,
    enabled,
    step,
    isQuiescent: (state) => state.inflight.length === 0,
    key,
    serviceKey: (state, service) => {
      const i = serviceIndex.get(service);
      return i === undefined ? codec.encode(undefined) : texts[serviceIdsOf(state)[i]!]!;
    },
    invariantFailures: (state) => evaluate(invariants, invariantNames, state),
    quiescenceFailures: (state) => evaluate(quiescence, quiescenceNames, state),
    eventKey,
    eventId,
    toRef,
    findTransition,
    replay,
  };
}
