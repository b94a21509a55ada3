// What the main thread prepares for the property job from a spec: per service,
// the event types it receives, their channels, keys and scenario examples, and
// what the TypeScript types say (ts-morph runs here, not in the worker).
import type { Project } from "ts-morph";
import type { Spec } from "../../spec/types.js";
import { analyzeHandlerTypes, createTypeProject, type HandlerTypeInfo } from "../generate/from-ts.js";
import type { EventPlan } from "../generate/event-source.js";
import type { TypeShape } from "../generate/type-shape.js";
import type { Event } from "../../model/handler.js";
import type { TrafficPlan } from "./scenario-traffic.js";
import type { ChannelInfo } from "./types.js";

export interface ServicePlan {
  name: string;
  events: EventPlan;
  channels: Record<string, ChannelInfo>;
  types: HandlerTypeInfo;
  /** The spec's partitionBy: the handler's state is one entity's. */
  partitionBy?: string;
}

/** Services with a handler, sorted by name. `project`: a ts-morph project that
 * holds the handler files (the check's shared code project), else a new one. */
export function planServices(spec: Spec, project: Project = createTypeProject()): ServicePlan[] {
  const plans: ServicePlan[] = [];
  for (const name of [...spec.services.keys()].sort()) {
    const service = spec.services.get(name);
    if (!service?.handler || service.external) continue;
    const types = analyzeHandlerTypes(project, service.handler);
    const channels: Record<string, ChannelInfo> = {};
    const keys: Record<string, string> = {};
    for (const channel of [...spec.channels.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!channel.consumers.some((c) => c.name === name)) continue;
      for (const ev of channel.events) {
        channels[ev.name] ??= { name: channel.name, delivery: channel.delivery, ordering: channel.ordering, ...(channel.key ? { key: channel.key } : {}) };
        if (channel.key) keys[ev.name] ??= channel.key;
      }
    }
    const examples: Record<string, Record<string, unknown>[]> = {};
    for (const scenario of [...spec.scenarios.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      for (const input of scenario.inputs) {
        const type = input.event.type;
        if (typeof type === "string" && type in channels) (examples[type] ??= []).push(input.event);
      }
    }
    const received = Object.keys(channels).sort();
    plans.push({
      name,
      channels,
      types,
      ...(service.partitionBy === undefined ? {} : { partitionBy: service.partitionBy }),
      events: { types: received, keys, examples, ...messageShape(types) },
    });
  }
  return plans;
}

/** What the service receives: its events, and a Decider's commands too. */
function messageShape(types: HandlerTypeInfo): { shape?: TypeShape } {
  if (types.events && types.commands) return { shape: { kind: "union", options: [types.commands, types.events] } };
  const shape = types.events ?? types.commands;
  return shape ? { shape } : {};
}

/** What the in-order scenario run needs: routes and inputs (ids given when absent). */
export function trafficPlan(spec: Spec): TrafficPlan {
  const channels: TrafficPlan["channels"] = {};
  const eventChannel: Record<string, string> = {};
  for (const c of [...spec.channels.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const consumers = c.consumers.map((r) => r.name).filter((n) => {
      const s = spec.services.get(n);
      return s?.handler !== undefined && !s.external;
    });
    channels[c.name] = { consumers, ...(c.maxRedeliveries !== undefined ? { maxRedeliveries: c.maxRedeliveries } : {}), ...(c.key ? { key: c.key } : {}) };
    for (const e of c.events) eventChannel[e.name] ??= c.name;
  }
  const scenarios = [...spec.scenarios.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((s) => ({
      name: s.name,
      inputs: s.inputs.map((i, n) => ({ channel: i.channel.name, event: { id: `${s.name}-${n + 1}`, ...i.event } as Event })),
    }));
  return { channels, eventChannel, scenarios };
}
