// The step function of the system semantics (docs/design/system-semantics.md): initial
// state from scenario inputs, enabled transitions, step, quiescence, canonical key and
// predicate checks. Pure and synchronous: the explorer and the simulation both drive it.
import { isUserError } from "../../errors.js";
import type { Event, Predicates } from "../handler.js";
import type { EventShape, ServiceRuntime, ValueCodec } from "../runtime-types.js";
import { rootPath, Tracker, type TrackerOptions } from "./footprint.js";
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

/** A handler call made under read tracking: what it returned (Proxies of its input replaced by
 * what they stand for) and what it read (see footprint.ts). */
export interface TrackedCall {
  tracker: Tracker;
  outcome: { state: unknown; emit: Event[]; error?: undefined } | { error: string };
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
  /** Input `index` (0-based) of a scenario as the model sends it: its own id (at any path the event
   * shape reads, such as metadata.eventId), else `input-<index + 1>`. */
  withInputId(input: SystemInput, index: number): SystemInput;
  /** The trace-file form of a transition. */
  toRef(transition: Transition): TransitionRef;
  /** The enabled transition a trace names: same seq, else the first in flight with the same
   * channel, consumer and event id; flags (ackLost, crash, action) must match. */
  findTransition(state: SystemState, ref: TransitionRef): Transition | undefined;
  /** Runs a trace from the inputs; stops at the first reference that matches nothing. */
  replay(inputs: readonly SystemInput[], refs: readonly TransitionRef[]): ReplayResult;
  /** The interned number of one service's state (a state whose key is known): equal numbers, equal states. */
  serviceId(state: SystemState, service: string): number;
  /** Runs the handler of `service` on `state` under read tracking, outside the memo (the key
   * reduction's view of what a call depends on; `step` stays the untracked fast path). */
  trackCall(service: string, state: unknown, event: Event, options?: TrackerOptions): TrackedCall;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

const defaultEvents: EventShape = {
  id: (event) => (event.id === undefined ? "" : String(event.id)),
  key: (event, channel) => (channel.key === undefined ? undefined : readPath(event, channel.key)),
};

/** What a handler call gave: the committed state and emissions, or the error it threw. A
 * remembered call keeps what was derived from it, so taking it again costs no encoding. */
type HandlerOutcome = Handled | { error: string };
interface Handled {
  error?: undefined;
  state: unknown;
  emit: Event[];
  /** Interned encoding of `state` (once asked for). */
  id?: number;
  /** `restart(state)` after a crash, and its interned encoding (once asked for). */
  restarted?: { state: unknown; id?: number };
  /** Per emission: the channel that carries it (undefined: none) and its message templates. */
  routes?: Route[];
}
interface Route {
  channel: string | undefined;
  templates: readonly Template[];
}

/** What the messages of one event on one channel to one consumer share. The encodings (only the
 * explorer needs them) are computed when first asked for. */
interface Template {
  readonly channel: string;
  readonly consumer: string;
  readonly event: Event;
  readonly ordered: boolean;
  readonly groupId: number;
  readonly group: string;
  readonly lazy: LazyParts;
  keyKnown: boolean;
  key: string | undefined;
  enc: string | undefined;
  content: number | undefined;
}

/** The model's side of a message's lazily computed parts. */
interface LazyParts {
  key(t: Template): string | undefined;
  enc(t: Template): string;
  intern(text: string): number;
  entry(m: Msg): number;
}

/** A message (see `Message`): what differs per message is here, what its copies share in the template. */
class Msg implements Message {
  #entry: number | undefined = undefined;
  constructor(
    readonly seq: number,
    readonly event: Event,
    readonly acksLost: number,
    readonly failures: number,
    readonly template: Template,
  ) {}
  get channel(): string {
    return this.template.channel;
  }
  get consumer(): string {
    return this.template.consumer;
  }
  get key(): string | undefined {
    const t = this.template;
    if (!t.keyKnown) {
      t.key = t.lazy.key(t);
      t.keyKnown = true;
    }
    return t.key;
  }
  get group(): string {
    return this.template.group;
  }
  get groupId(): number {
    return this.template.groupId;
  }
  get ordered(): boolean {
    return this.template.ordered;
  }
  get enc(): string {
    const t = this.template;
    return (t.enc ??= t.lazy.enc(t));
  }
  get content(): number {
    const t = this.template;
    return (t.content ??= t.lazy.intern(this.enc));
  }
  get entry(): number {
    return (this.#entry ??= this.acksLost === 0 && this.failures === 0 ? this.content : this.template.lazy.entry(this));
  }
}

/** Shared by every step without emissions (frozen: a caller that pushed would corrupt others). */
const NONE = Object.freeze([]) as unknown as Event[];

/** Above this many remembered handler calls the memo starts afresh (memory, not correctness). */
const MEMO_LIMIT = 1 << 20;

type ServiceReplacer = (services: Readonly<Record<string, unknown>>, value: unknown) => Record<string, unknown>;

/** The services record with the state of `name` replaced. An object literal of fixed shape, made
 * once per service, is much cheaper on the explorer's hot path than a spread and a keyed store. */
function serviceReplacer(names: readonly string[], name: string): ServiceReplacer {
  // ("__proto__" in a literal would set the prototype.)
  if (names.includes("__proto__")) return (services, value) => ({ ...services, [name]: value });
  const fields = names.map((n) => `${JSON.stringify(n)}: ${n === name ? "v" : `s[${JSON.stringify(n)}]`}`);
  return new Function("s", "v", `return { ${fields.join(", ")} };`) as ServiceReplacer;
}

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

  // Service states are immutable (handlers return new objects; the same object when nothing
  // changed), so an object's encoding is computed once. Encodings are computed only when asked
  // for (`key`, `serviceKey`): the simulation never asks, the explorer asks for every state.
  const objectIds = new WeakMap<object, number>();
  const valueId = (value: unknown): number => {
    if (value === null || typeof value !== "object") return stateId(value);
    let id = objectIds.get(value);
    if (id === undefined) {
      id = stateId(value);
      objectIds.set(value, id);
    }
    return id;
  };
  /** Ids of a state's services, in `serviceNames` order: set by `key` and carried by `step` to the
   * successors (a field of the state, not a WeakMap: one entry per state would burden the GC). */
  const serviceIdsOf = (state: SystemState): readonly number[] => {
    let ids = state.serviceIds;
    if (!ids) {
      ids = serviceNames.map((n) => valueId(state.services[n]));
      state.serviceIds = ids;
    }
    return ids;
  };
  const serviceIndex = new Map(serviceNames.map((n, i) => [n, i]));
  const withService = serviceNames.map((name) => serviceReplacer(serviceNames, name));

  const entryOf = (enc: string, acksLost: number, failures: number) =>
    intern(acksLost === 0 && failures === 0 ? enc : `${enc}\u0003${acksLost}\u0003${failures}`);
  // Entries with counters by (content, counters): no long string to build and hash per redelivery.
  const counted = new Map<number, number>();
  const countedEntry = (m: Msg): number => {
    const { acksLost, failures } = m;
    if (acksLost >= 64 || failures >= 64 || m.content >= 2 ** 38) return entryOf(m.enc, acksLost, failures);
    const k = m.content * 4096 + acksLost * 64 + failures;
    let e = counted.get(k);
    if (e === undefined) counted.set(k, (e = entryOf(m.enc, acksLost, failures)));
    return e;
  };
  // Interned numbers order the explorer's canonical transition lists, hence which of several
  // shortest counterexamples it finds first. The explorer's messages (those of states whose key
  // is known) are numbered when made, in the order the model makes them, as before encodings
  // became lazy; the simulation's never are.
  const withCounters = (m: Message, acksLost: number, failures: number, eager: boolean): Message => {
    const out = new Msg(m.seq, m.event, acksLost, failures, (m as Msg).template);
    if (eager) void out.entry;
    return out;
  };

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

  // Ordering groups by channel and consumer (and key, per-key): numbered without building strings.
  let groupCount = 0;
  interface Slot {
    consumer: string;
    group: string;
    groupId: number;
    byKey: Map<string, { group: string; groupId: number }> | undefined;
  }
  const slotsByChannel = new Map<string, Slot[]>();
  const slotsOf = (channelName: string, ch: TopologyChannel): Slot[] => {
    let slots = slotsByChannel.get(channelName);
    if (!slots) {
      slots = ch.consumers
        .filter((c) => services.has(c))
        .map((consumer) => ({ consumer, group: `${channelName}\u0001${consumer}`, groupId: groupCount++, byKey: ch.ordering === "per-key" ? new Map() : undefined }));
      slotsByChannel.set(channelName, slots);
    }
    return slots;
  };
  const lazy: LazyParts = {
    key: (t) => eventKey(t.channel, t.event),
    enc: (t) => `${t.channel}\u0001${t.consumer}\u0001${codec.encode(t.event)}`,
    intern,
    entry: countedEntry,
  };

  const templatesFor = (channelName: string, event: Event): readonly Template[] => {
    const ch = channelOf(channelName);
    const perKey = ch.ordering === "per-key";
    const key = perKey ? eventKey(channelName, event) : undefined;
    const ordered = ch.ordering !== "none";
    const out: Template[] = [];
    for (const slot of slotsOf(channelName, ch)) {
      let { group, groupId } = slot;
      if (slot.byKey) {
        const k = key ?? "";
        let g = slot.byKey.get(k);
        if (!g) slot.byKey.set(k, (g = { group: `${slot.group}\u0001${k}`, groupId: groupCount++ }));
        ({ group, groupId } = g);
      }
      out.push({ channel: channelName, consumer: slot.consumer, event, ordered, groupId, group, lazy, keyKnown: perKey, key, enc: undefined, content: undefined });
    }
    return out;
  };

  /** The messages of `event` on `channelName`, numbered from `firstSeq`, appended to `into`. */
  const stamp = (event: Event, templates: readonly Template[], firstSeq: number, into: Message[], eager: boolean): number => {
    for (let i = 0; i < templates.length; i++) {
      const m = new Msg(firstSeq + i, event, 0, 0, templates[i]!);
      if (eager) void m.entry;
      into.push(m);
    }
    return templates.length;
  };

  /** One message per consumer that has a handler (consumers outside the model receive nothing). */
  const messagesFor = (channelName: string, event: Event, firstSeq: number, into: Message[]): number =>
    stamp(event, templatesFor(channelName, event), firstSeq, into, false);

  const routesOf = (emit: readonly Event[]): Route[] =>
    emit.map((e) => {
      const channel = e && typeof e === "object" && typeof e.type === "string" ? topology.eventChannel.get(e.type) : undefined;
      return { channel, templates: channel === undefined ? [] : templatesFor(channel, e) };
    });

  const withInputId = (input: SystemInput, index: number): SystemInput =>
    events.id(input.event as Event) === "" ? { ...input, event: { ...input.event, id: `input-${index + 1}` } } : input;

  const initialState = (inputs: readonly SystemInput[]): SystemState => {
    const svc: Record<string, unknown> = {};
    for (const name of serviceNames) svc[name] = services.get(name)!.initialState();
    const inflight: Message[] = [];
    let seq = 0;
    inputs.forEach((input, i) => {
      seq += messagesFor(input.channel, withInputId(input, i).event as Event, seq, inflight);
    });
    return { services: svc, inflight, crashes: 0, deadLetters: [], nextSeq: seq, serviceIds: undefined };
  };

  const enabled = (state: SystemState): Transition[] => {
    const out: Transition[] = [];
    const crashLeft = state.crashes < bounds.crashes;
    // Ordered groups whose head (oldest message) was seen: inflight is in send order.
    let heads: number[] | undefined;
    for (const m of state.inflight) {
      if (m.ordered) {
        if (heads === undefined) heads = [m.groupId];
        else if (heads.includes(m.groupId)) continue;
        else heads.push(m.groupId);
      }
      const ch = channelOf(m.channel);
      out.push({ action: "deliver", message: m });
      if (ch.delivery === "at-least-once" && m.acksLost < bounds.duplicates) out.push({ action: "deliver", message: m, ackLost: true });
      if (crashLeft && ch.delivery !== "exactly-once") out.push({ action: "deliver", message: m, crash: true });
      if (ch.delivery === "at-most-once") out.push({ action: "drop", message: m });
    }
    return out;
  };

  const indexOfMessage = (state: SystemState, m: Message): number => {
    const i = state.inflight.indexOf(m);
    if (i >= 0) return i;
    return state.inflight.findIndex((x) => x.seq === m.seq);
  };

  const without = (list: readonly Message[], i: number): Message[] => {
    const out: Message[] = new Array(list.length - 1);
    for (let j = 0; j < i; j++) out[j] = list[j]!;
    for (let j = i + 1; j < list.length; j++) out[j - 1] = list[j]!;
    return out;
  };
  const replaced = (list: readonly Message[], i: number, m: Message): Message[] => {
    const copy = list.slice();
    copy[i] = m;
    return copy;
  };

  const callHandler = (rt: ServiceRuntime, state: unknown, event: Event): HandlerOutcome => {
    try {
      const r = rt.handle(state, event);
      return { state: r.state, emit: r.emit ?? [] };
    } catch (error) {
      // A handler archverify cannot run (async) is bad input, not an outcome of the semantics.
      if (isUserError(error)) throw error;
      return { error: errorMessage(error) };
    }
  };

  // Handlers are pure functions of (state, event), and states with equal encodings are the same
  // state: a call already made on an equal state is not made again. Only states whose encodings
  // are known (the explorer's) use the memo; the simulation never encodes its states.
  const memo: (Map<number, HandlerOutcome> | undefined)[] = [];
  let memoSize = 0;
  /** A successor whose services are those of `state`. */
  const unchanged = (state: SystemState, changes: Pick<SystemState, "inflight"> & Partial<Pick<SystemState, "deadLetters">>): SystemState => ({
    services: state.services,
    inflight: changes.inflight,
    crashes: state.crashes,
    deadLetters: changes.deadLetters ?? state.deadLetters,
    nextSeq: state.nextSeq,
    serviceIds: state.serviceIds,
  });

  const step = (state: SystemState, t: Transition): StepResult => {
    const i = indexOfMessage(state, t.message);
    if (i < 0) throw new Error(`transition names message seq ${t.message.seq}, which is not in flight`);
    const m = state.inflight[i]!;
    const ch = channelOf(m.channel);
    const ids = state.serviceIds;
    if (t.action === "drop") {
      return { state: unchanged(state, { inflight: without(state.inflight, i) }), outcome: "dropped", published: NONE, lost: NONE, unroutable: NONE };
    }
    const rt = services.get(m.consumer)!;
    const index = serviceIndex.get(m.consumer)!;
    const before = state.services[m.consumer];
    let outcome: HandlerOutcome | undefined;
    if (ids) {
      const sid = ids[index]!;
      let byState = memo[m.content];
      if (!byState) memo[m.content] = byState = new Map();
      outcome = byState.get(sid);
      if (outcome === undefined) {
        outcome = callHandler(rt, before, m.event);
        if (++memoSize > MEMO_LIMIT) {
          memo.length = 0;
          memoSize = 1;
          memo[m.content] = byState = new Map();
        }
        byState.set(sid, outcome);
      }
    } else outcome = callHandler(rt, before, m.event);
    if (outcome.error !== undefined) {
      const message = outcome.error;
      if (ch.maxRedeliveries === undefined) {
        // No dead-letter bound: the message stays as it was; the state is unchanged (a
        // self-loop the explorer reports as a redelivery loop).
        return { state, outcome: "threw", error: message, published: NONE, lost: NONE, unroutable: NONE };
      }
      if (m.failures + 1 > ch.maxRedeliveries) {
        const dead: DeadLetter = { channel: m.channel, consumer: m.consumer, event: m.event, enc: m.enc, error: message };
        return {
          state: unchanged(state, { inflight: without(state.inflight, i), deadLetters: [...state.deadLetters, dead] }),
          outcome: "dead-lettered",
          error: message,
          published: NONE,
          lost: NONE,
          unroutable: NONE,
        };
      }
      return {
        state: unchanged(state, { inflight: replaced(state.inflight, i, withCounters(m, m.acksLost, m.failures + 1, ids !== undefined)) }),
        outcome: "threw",
        error: message,
        published: NONE,
        lost: NONE,
        unroutable: NONE,
      };
    }
    let committed = outcome.state;
    /** Where the encoding of `committed` is remembered. */
    let holder: { id?: number } = outcome;
    let crashes = state.crashes;
    let inflight: Message[];
    if (t.crash) {
      crashes += 1;
      if (rt.restart) {
        const restarted = ids ? (outcome.restarted ??= { state: rt.restart(committed) }) : { state: rt.restart(committed) };
        committed = restarted.state;
        holder = restarted;
      }
      // Not acked: at-least-once redelivers it; at-most-once acked before handling.
      inflight = ch.delivery === "at-most-once" ? without(state.inflight, i) : state.inflight.slice();
    } else if (t.ackLost) {
      inflight = replaced(state.inflight, i, withCounters(m, m.acksLost + 1, m.failures, ids !== undefined));
    } else {
      inflight = without(state.inflight, i);
    }
    const emissions = outcome.emit;
    let published = NONE;
    let unroutable = NONE;
    let lost = NONE;
    let nextSeq = state.nextSeq;
    if (emissions.length > 0) {
      const publish = !t.crash || (topology.outbox.get(m.consumer) ?? true);
      const routes = (outcome.routes ??= routesOf(emissions));
      for (let j = 0; j < emissions.length; j++) {
        const e = emissions[j]!;
        const route = routes[j]!;
        if (route.channel === undefined) {
          (unroutable === NONE ? (unroutable = []) : unroutable).push(e);
          continue;
        }
        if (!publish) {
          (lost === NONE ? (lost = []) : lost).push(e);
          continue;
        }
        (published === NONE ? (published = []) : published).push(e);
        nextSeq += stamp(e, route.templates, nextSeq, inflight, ids !== undefined);
      }
    }
    const svc = withService[index]!(state.services, committed);
    let serviceIds: readonly number[] | undefined = ids;
    if (ids && committed !== before) {
      const changed = ids.slice();
      changed[index] = holder.id ??= valueId(committed);
      serviceIds = changed;
    }
    const next: SystemState = { services: svc, inflight, crashes, deadLetters: state.deadLetters, nextSeq, serviceIds };
    return { state: next, outcome: "handled", published, lost, unroutable };
  };

  // The key is a string of numbers, each one UTF-16 code unit (two above 0x7fff): short to hash
  // and compare. Counts before lists make it unambiguous.
  // (The message buffers are reused from key to key, filled up to a count: truncating an array by
  // setting its length is slow.)
  let codes: number[] = [];
  const put = (n: number) => {
    if (n < 0x8000) codes.push(n);
    else codes.push(0x8000 | (n >>> 15), n & 0x7fff);
  };
  /** Sorts xs[0..n) in place (short lists). */
  const sortPrefix = (xs: number[], n: number): void => {
    for (let i = 1; i < n; i++) {
      const x = xs[i]!;
      let j = i - 1;
      while (j >= 0 && xs[j]! > x) {
        xs[j + 1] = xs[j]!;
        j--;
      }
      xs[j + 1] = x;
    }
  };
  const unordered: number[] = [];
  const ordered: Message[] = [];
  const key = (state: SystemState): string => {
    // A state's first key (an initial state): its messages are numbered before its services.
    if (state.serviceIds === undefined) for (const m of state.inflight) void m.entry;
    codes = [];
    for (const id of serviceIdsOf(state)) put(id);
    // Unordered messages form one multiset (an entry names channel and consumer); ordered
    // groups are sequences in send order (the inflight array is in seq order).
    let nu = 0;
    let no = 0;
    for (const m of state.inflight) {
      if (m.ordered) {
        // Stable insertion by group: each group keeps its send order.
        let j = no - 1;
        while (j >= 0 && ordered[j]!.groupId > m.groupId) {
          ordered[j + 1] = ordered[j]!;
          j--;
        }
        ordered[j + 1] = m;
        no++;
      } else unordered[nu++] = m.entry;
    }
    sortPrefix(unordered, nu);
    put(nu);
    for (let i = 0; i < nu; i++) put(unordered[i]!);
    for (let i = 0; i < no; ) {
      const g = ordered[i]!.groupId;
      let end = i + 1;
      while (end < no && ordered[end]!.groupId === g) end++;
      put(g + 1);
      put(end - i);
      for (; i < end; i++) put(ordered[i]!.entry);
    }
    put(0);
    put(state.crashes);
    put(state.deadLetters.length);
    if (state.deadLetters.length > 0) {
      const dead = state.deadLetters.map((x) => intern(x.enc));
      sortPrefix(dead, dead.length);
      for (const d of dead) put(d);
    }
    // Do not keep references to messages of states gone by.
    for (let i = 0; i < no; i++) ordered[i] = undefined as unknown as Message;
    if (codes.length <= 4096) return String.fromCharCode.apply(null, codes);
    let out = "";
    for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode.apply(null, codes.slice(i, i + 4096));
    return out;
  };

  // Predicates are functions of the service states: equal encodings, same verdicts. Remembered
  // only for states whose encodings are known (the explorer's).
  const verdicts = new Map<Predicates, Map<string, PredicateFailure[]>>();
  const NO_FAILURES: PredicateFailure[] = [];
  const judged = (preds: Predicates, names: readonly string[], state: SystemState): PredicateFailure[] => {
    if (names.length === 0) return NO_FAILURES;
    const ids = state.serviceIds;
    if (!ids) return evaluate(preds, names, state);
    let byServices = verdicts.get(preds);
    if (!byServices) verdicts.set(preds, (byServices = new Map()));
    const k = ids.join(".");
    let failures = byServices.get(k);
    if (!failures) {
      failures = evaluate(preds, names, state);
      if (byServices.size >= MEMO_LIMIT) byServices.clear();
      byServices.set(k, failures);
    }
    return failures.length === 0 ? [] : failures.map((f) => ({ ...f }));
  };

  const evaluate = (preds: Predicates, names: readonly string[], state: SystemState): PredicateFailure[] => {
    const failures: PredicateFailure[] = [];
    for (const name of names) {
      let verdict: boolean | string;
      try {
        verdict = preds[name]!(state.services as Record<string, unknown>);
      } catch (error) {
        // A common slip is a predicate written for one service's state: say what it is given.
        failures.push({ name, message: `the predicate threw ${errorMessage(error)}; it is called with every service's state by service name: { ${serviceNames.join(", ")} }` });
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
    invariantFailures: (state) => judged(invariants, invariantNames, state),
    quiescenceFailures: (state) => judged(quiescence, quiescenceNames, state),
    eventKey,
    eventId,
    withInputId,
    toRef,
    findTransition,
    replay,
    serviceId: (state, service) => serviceIdsOf(state)[serviceIndex.get(service)!]!,
    trackCall: (service, state, event, trackOptions) => {
      const rt = services.get(service);
      if (!rt) throw new Error(`unknown service "${service}"`);
      const tracker = new Tracker(trackOptions);
      const root = rootPath(service);
      const outcome = callHandler(rt, tracker.wrap(state, root), event);
      if (outcome.error !== undefined) return { tracker, outcome };
      return { tracker, outcome: { state: tracker.unwrap(outcome.state, root), emit: outcome.emit.map((e) => tracker.unwrap(e, undefined) as Event) } };
    },
  };
}
