// A small driver for the order-system models, on the shared system semantics
// (src/model/system): builds the topology and scenarios from a spec file's YAML,
// delivers events in a schedule a test spells out, and explores every schedule
// of a scenario breadth-first (a brute-force oracle, independent of the
// product's explorer) to check invariants, quiescence predicates and
// convergence.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { createSystemModel, inMemoryServices, type InMemoryHandler } from "../../src/model/system/index.js";
import type { SystemModel, SystemInput, SystemState, SystemTopology, TopologyChannel, Transition } from "../../src/model/system/index.js";
import type { Event, Predicates } from "../../src/model/handler.js";
import type { Delivery, Ordering } from "../../src/spec/types.js";

interface RawChannel {
  delivery?: Delivery;
  ordering?: Ordering;
  key?: string;
  events?: string[];
  consumers?: string[];
  maxRedeliveries?: number;
}

interface RawSpec {
  services: Record<string, { outbox?: boolean }>;
  channels: Record<string, RawChannel>;
  scenarios: Record<string, { inputs: SystemInput[] }>;
}

export function readSpec(path: string): RawSpec {
  return parse(readFileSync(path, "utf8")) as RawSpec;
}

export function topologyOf(spec: RawSpec): SystemTopology {
  const channels = new Map<string, TopologyChannel>();
  const eventChannel = new Map<string, string>();
  for (const [name, ch] of Object.entries(spec.channels)) {
    channels.set(name, {
      name,
      delivery: ch.delivery ?? "at-least-once",
      ordering: ch.ordering ?? "none",
      ...(ch.key !== undefined ? { key: ch.key } : {}),
      consumers: ch.consumers ?? [],
      ...(ch.maxRedeliveries !== undefined ? { maxRedeliveries: ch.maxRedeliveries } : {}),
    });
    for (const e of ch.events ?? []) eventChannel.set(e, name);
  }
  const outbox = new Map<string, boolean>();
  for (const [name, s] of Object.entries(spec.services)) outbox.set(name, s.outbox ?? true);
  return { channels, eventChannel, outbox };
}

/** A handler of the contract, typed loosely: the models' own event interfaces have no index
 * signature, so they are not `Event`s to the compiler, though they are at run time. */
export interface AnyHandler {
  initialState(): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each service has its own state and event types
  handle(state: any, event: any): { state: unknown; emit?: readonly object[] };
}

export interface ModelOptions {
  handlers: Record<string, AnyHandler>;
  invariants?: Predicates;
  quiescence?: Predicates;
  duplicates?: number;
  crashes?: number;
}

export function modelOf(spec: RawSpec, o: ModelOptions): SystemModel {
  return createSystemModel({
    topology: topologyOf(spec),
    runtime: {
      services: inMemoryServices(o.handlers as Record<string, InMemoryHandler<unknown>>),
      ...(o.invariants ? { invariants: o.invariants } : {}),
      ...(o.quiescence ? { quiescence: o.quiescence } : {}),
    },
    bounds: { duplicates: o.duplicates ?? 1, crashes: o.crashes ?? 0 },
  });
}

/** One delivery of a schedule: the message whose event has this id (and, when
 * the event goes to several consumers, this consumer), with its fault. */
export interface Delivery_ {
  id: string;
  consumer?: string;
  /** Handled, but the ack is lost: the message will come again. */
  dup?: boolean;
  /** The consumer crashes after committing, before publishing. */
  crash?: boolean;
}

export class ScheduleError extends Error {}

function matches(t: Transition, d: Delivery_): boolean {
  return (
    t.action === "deliver" &&
    t.message.event.id === d.id &&
    (d.consumer === undefined || t.message.consumer === d.consumer) &&
    Boolean(t.ackLost) === Boolean(d.dup) &&
    Boolean(t.crash) === Boolean(d.crash)
  );
}

export interface Run {
  state: SystemState;
  /** Every event published, in order. */
  published: Event[];
  lost: Event[];
  /** Errors of handlers that threw. */
  errors: string[];
  invariantFailures: string[];
}

/** Delivers exactly the given schedule (each step must be enabled), then, when
 * `drain` is set, the rest oldest first without faults. */
export function run(model: SystemModel, inputs: readonly SystemInput[], schedule: readonly Delivery_[], drain = true): Run {
  let state = model.initialState(inputs);
  const out: Run = { state, published: [], lost: [], errors: [], invariantFailures: [] };
  const take = (t: Transition) => {
    const r = model.step(state, t);
    state = r.state;
    out.published.push(...r.published);
    out.lost.push(...r.lost);
    if (r.error) out.errors.push(r.error);
    for (const f of model.invariantFailures(state)) out.invariantFailures.push(`${f.name}: ${f.message}`);
  };
  for (const d of schedule) {
    const t = model.enabled(state).find((x) => matches(x, d));
    if (!t) {
      const ids = model.enabled(state).filter((x) => !x.ackLost && !x.crash).map((x) => `${x.message.event.id}->${x.message.consumer}`);
      throw new ScheduleError(`delivery ${JSON.stringify(d)} is not enabled; enabled: ${ids.join(", ")}`);
    }
    take(t);
  }
  let guard = 0;
  while (drain && !model.isQuiescent(state)) {
    if (++guard > 10_000) throw new ScheduleError("the run does not quiesce (a redelivery loop?)");
    const t = model.enabled(state).find((x) => !x.ackLost && !x.crash && x.action === "deliver")!;
    take(t);
  }
  out.state = state;
  return out;
}

export interface Exploration {
  states: number;
  /** Distinct quiescent states (canonical keys of the service states). */
  finals: Map<string, SystemState>;
  invariantFailures: Set<string>;
  quiescenceFailures: Set<string>;
  /** A state from which a handler keeps throwing on the same message. */
  redeliveryLoops: Set<string>;
  truncated: boolean;
}

/** Every reachable state of a scenario, breadth first. */
export function explore(model: SystemModel, inputs: readonly SystemInput[], maxStates = 200_000): Exploration {
  const start = model.initialState(inputs);
  const seen = new Set<string>([model.key(start)]);
  const queue: SystemState[] = [start];
  const result: Exploration = {
    states: 0,
    finals: new Map(),
    invariantFailures: new Set(),
    quiescenceFailures: new Set(),
    redeliveryLoops: new Set(),
    truncated: false,
  };
  const servicesKey = (s: SystemState) => model.serviceNames.map((n) => model.serviceKey(s, n)).join("\u0007");
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    queue[head] = undefined as unknown as SystemState; // let visited states be collected
    result.states++;
    for (const f of model.invariantFailures(state)) result.invariantFailures.add(`${f.name}: ${f.message}`);
    if (model.isQuiescent(state)) {
      result.finals.set(servicesKey(state), state);
      for (const f of model.quiescenceFailures(state)) result.quiescenceFailures.add(`${f.name}: ${f.message}`);
      continue;
    }
    for (const t of model.enabled(state)) {
      const r = model.step(state, t);
      if (r.outcome === "threw" && model.key(r.state) === model.key(state)) {
        result.redeliveryLoops.add(`${t.message.consumer} throws on ${t.message.event.type} (${r.error ?? ""})`);
      }
      const k = model.key(r.state);
      if (seen.has(k)) continue;
      if (seen.size >= maxStates) {
        result.truncated = true;
        continue;
      }
      seen.add(k);
      queue.push(r.state);
    }
  }
  return result;
}

/** The state of one service. */
export function serviceState<S>(state: SystemState, service: string): S {
  return state.services[service] as S;
}
