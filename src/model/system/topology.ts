// What the semantics needs from a spec: channels (delivery, ordering, key, consumers,
// maxRedeliveries), which channel carries each event type, and each service's outbox.
import type { ChannelSpec, Delivery, Ordering, Spec } from "../../spec/types.js";

export interface TopologyChannel {
  name: string;
  delivery: Delivery;
  ordering: Ordering;
  /** Dotted path of the key field in the event (`data.orderId`). */
  key?: string;
  consumers: readonly string[];
  maxRedeliveries?: number;
  /** The spec element, when the topology came from a spec (EventShape.key takes it). */
  spec?: ChannelSpec;
}

export interface SystemTopology {
  channels: ReadonlyMap<string, TopologyChannel>;
  /** Event type -> the channel that carries it. */
  eventChannel: ReadonlyMap<string, string>;
  /** Service -> emissions published atomically with the state commit (default true). */
  outbox: ReadonlyMap<string, boolean>;
}

export function topologyFromSpec(spec: Pick<Spec, "channels" | "eventChannel" | "services">): SystemTopology {
  const channels = new Map<string, TopologyChannel>();
  for (const [name, ch] of spec.channels) {
    channels.set(name, {
      name,
      delivery: ch.delivery,
      ordering: ch.ordering,
      ...(ch.key !== undefined ? { key: ch.key } : {}),
      consumers: ch.consumers.map((c) => c.name),
      ...(ch.maxRedeliveries !== undefined ? { maxRedeliveries: ch.maxRedeliveries } : {}),
      spec: ch,
    });
  }
  const outbox = new Map<string, boolean>();
  for (const [name, svc] of spec.services) outbox.set(name, svc.outbox);
  return { channels, eventChannel: spec.eventChannel, outbox };
}

/** Reads a dotted path (`data.orderId`) of an event as a key string. */
export function readPath(event: Record<string, unknown>, path: string): string | undefined {
  let cur: unknown = event;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return undefined;
  return typeof cur === "string" ? cur : JSON.stringify(cur);
}
