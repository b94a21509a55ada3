// Small systems built in code for the semantics and explorer tests.
import type { Delivery, Ordering } from "../../src/spec/types.js";
import type { SystemTopology, TopologyChannel } from "../../src/model/system/index.js";

export interface ChannelDecl {
  delivery?: Delivery;
  ordering?: Ordering;
  key?: string;
  events: string[];
  consumers: string[];
  maxRedeliveries?: number;
}

export function topology(channels: Record<string, ChannelDecl>, outbox: Record<string, boolean> = {}): SystemTopology {
  const chans = new Map<string, TopologyChannel>();
  const eventChannel = new Map<string, string>();
  for (const [name, c] of Object.entries(channels)) {
    chans.set(name, {
      name,
      delivery: c.delivery ?? "at-least-once",
      ordering: c.ordering ?? "none",
      ...(c.key !== undefined ? { key: c.key } : {}),
      consumers: c.consumers,
      ...(c.maxRedeliveries !== undefined ? { maxRedeliveries: c.maxRedeliveries } : {}),
    });
    for (const e of c.events) eventChannel.set(e, name);
  }
  return { channels: chans, eventChannel, outbox: new Map(Object.entries(outbox)) };
}
