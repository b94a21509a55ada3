// The spec's scenarios run once in order, the way a calm broker would deliver
// them: inputs first-in first-out, each emission routed to the consumers of its
// channel, and a delivery that throws retried after everything else queued
// (fair redelivery). What it tells handler-throws: which handler throws on REAL
// traffic, and whether the throw is permanent (a redelivery after the rest of
// the scenario still throws) or a "not ready yet" that a redelivery cures.
// Runs inside the property job, where the handlers are loaded.
import type { Event } from "../../model/handler.js";
import type { ServiceRuntime } from "../../model/runtime-types.js";
import { toPlainJSON } from "../../model/runtime/codec.js";
import { errorText } from "./engine.js";
import type { ScenarioThrow } from "./types.js";

export type { ScenarioThrow };

export interface TrafficPlan {
  /** Channel name -> its consumers (services with a handler) and its dead-letter bound. */
  channels: Record<string, { consumers: string[]; maxRedeliveries?: number }>;
  /** Event type -> the channel that carries it. */
  eventChannel: Record<string, string>;
  scenarios: { name: string; inputs: { channel: string; event: Event }[] }[];
}


export interface ScenarioTraffic {
  throws: ScenarioThrow[];
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
  const out: ScenarioTraffic = { throws: [], truncated: [] };
  for (const scenario of plan.scenarios) {
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
      try {
        const r = rt.handle(state, d.event);
        states.set(d.service, r.state);
        history.set(d.service, [...before, d.event]);
        for (const e of r.emit) route(e, plan.eventChannel[e.type]);
        return true;
      } catch (error) {
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
  return out;
}
