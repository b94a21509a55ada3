// The spec's scenarios run once in order, the way a calm broker would deliver
// them: inputs first-in first-out, each emission routed to the consumers of its
// channel, and a delivery that throws retried after everything else queued
// (fair redelivery). What it tells handler-throws: which handler throws on REAL
// traffic, and whether the throw is permanent (a redelivery after the rest of
// the scenario still throws) or a "not ready yet" that a redelivery cures.
// What it tells commutation: which event types each service really gets, and
// whether one entity gets two different events of one type (then the channel
// may reorder them). Runs inside the property job, where the handlers are loaded.
import { isUserError } from "../../errors.js";
import type { Event } from "../../model/handler.js";
import type { ServiceRuntime } from "../../model/runtime-types.js";
import { encodeValue, toPlainJSON } from "../../model/runtime/codec.js";
import { eventShape, idPath, setPath } from "../../model/runtime/event-shape.js";
import { errorText } from "./engine.js";
import type { ScenarioReceipt, ScenarioThrow } from "./types.js";

export type { ScenarioReceipt, ScenarioThrow };

export interface TrafficPlan {
  /** Channel name -> its consumers (services with a handler) and its dead-letter bound. */
  channels: Record<string, { consumers: string[]; maxRedeliveries?: number; key?: string }>;
  /** Event type -> the channel that carries it. */
  eventChannel: Record<string, string>;
  scenarios: { name: string; inputs: { channel: string; event: Event }[] }[];
}


export interface ScenarioTraffic {
  throws: ScenarioThrow[];
  /** Per service and event type delivered to it: the first scenario (by name) that does, and one that delivers two different events of the type for one key. */
  received: ScenarioReceipt[];
  /** Scenarios cut at the delivery bound (an emission loop): their throws are not judged permanent. */
  truncated: string[];
}

/** Deliveries per scenario, at most (a ping-pong without end stops here). */
const MAX_DELIVERIES = 2000;

export function runScenarioTraffic(
  plan: TrafficPlan,
  runtimes: ReadonlyMap<string, ServiceRuntime>,
  excluded: ReadonlyMap<string, readonly string[]> = new Map(),
): ScenarioTraffic {
  const out: ScenarioTraffic = { throws: [], received: [], truncated: [] };
  const receipts = new Map<string, ScenarioReceipt>();
  for (const scenario of plan.scenarios) {
    /** Payloads (without id) per service, type and key, to see an entity getting two different ones. */
    const payloads = new Map<string, string>();
    const receive = (d: { service: string; event: Event; channel: string }) => {
      const slot = `${d.service}\u0000${d.event.type}`;
      let r = receipts.get(slot);
      if (!r) receipts.set(slot, (r = { service: d.service, eventType: d.event.type, scenario: scenario.name }));
      if (r.repeated) return;
      const keyPath = plan.channels[d.channel]?.key;
      const key = keyPath ? eventShape.key(d.event, { key: keyPath } as Parameters<typeof eventShape.key>[1]) : "";
      if (key === undefined) return;
      const payload = encodeValue(setPath(d.event, idPath(d.event), ""));
      const entity = `${slot}\u0000${key}`;
      const before = payloads.get(entity);
      if (before !== undefined && before !== payload) r.repeated = { scenario: scenario.name, ...(keyPath ? { key } : {}) };
      payloads.set(entity, payload);
    };
    const states = new Map<string, unknown>();
    const history = new Map<string, Event[]>();
    type Delivery = { service: string; event: Event; channel: string };
    const queue: Delivery[] = [];
    const failing = new Map<Delivery, ScenarioThrow>();
    let steps = 0;

    const route = (event: Event, channel: string | undefined) => {
      if (!channel) return;
      for (const service of plan.channels[channel]?.consumers ?? []) {
        if (!runtimes.has(service) || excluded.get(service)?.includes(event.type)) continue;
        queue.push({ service, event, channel });
      }
    };
    /** Delivers once; true when the handler returned. */
    const deliver = (d: Delivery): boolean => {
      steps++;
      const rt = runtimes.get(d.service)!;
      if (!states.has(d.service)) states.set(d.service, rt.initialState());
      const state = states.get(d.service);
      const before = history.get(d.service) ?? [];
      if (!failing.has(d)) receive(d);
      try {
        const r = rt.handle(state, d.event);
        states.set(d.service, r.state);
        history.set(d.service, [...before, d.event]);
        for (const e of r.emit) route(e, plan.eventChannel[e.type]);
        return true;
      } catch (error) {
        if (isUserError(error)) throw error;
        // The latest attempt is the one worth showing: for a permanent throw,
        // the state after the rest of the scenario.
        failing.set(d, {
          scenario: scenario.name,
          service: d.service,
          eventType: d.event.type,
          event: d.event,
          channel: d.channel,
          prefix: before,
          state: toPlainJSON(state),
          error: errorText(error),
          permanent: false,
        });
        return false;
      }
    };

    for (const input of scenario.inputs) route(input.event, input.channel);
    let cut = false;
    for (;;) {
      while (queue.length > 0 && steps < MAX_DELIVERIES) {
        const d = queue.shift()!;
        if (deliver(d)) failing.delete(d);
      }
      if (steps >= MAX_DELIVERIES) {
        cut = true;
        break;
      }
      if (failing.size === 0) break;
      // Redeliver each failed message once, now that everything else is done.
      let progress = false;
      for (const d of [...failing.keys()]) {
        if (steps >= MAX_DELIVERIES) break;
        const first = failing.get(d)!;
        if (deliver(d)) {
          failing.delete(d);
          out.throws.push(first); // cured by a redelivery: not permanent
          progress = true;
        }
      }
      if (!progress) break;
    }
    if (cut) out.truncated.push(scenario.name);
    for (const t of failing.values()) out.throws.push({ ...t, permanent: !cut });
  }
  out.received = [...receipts.values()];
  return out;
}
