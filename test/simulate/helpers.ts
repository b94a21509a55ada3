// In-memory systems for the simulation tests: a topology written in code and
// handlers from plain functions, so the tests need neither a spec file nor
// handler loading.
import {
  createSystemModel,
  inMemoryServices,
  type InMemoryHandler,
  type SystemBounds,
  type SystemModel,
  type SystemTopology,
  type TopologyChannel,
} from "../../src/model/system/index.js";
import { dirname } from "node:path";
import type { Predicates } from "../../src/model/handler.js";
import type { Spec } from "../../src/spec/types.js";

export interface ChannelDef extends Omit<TopologyChannel, "name" | "consumers"> {
  consumers: string[];
  events: string[];
}

export function systemModel(def: {
  channels: Record<string, ChannelDef>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each service has its own state type
  services: Record<string, InMemoryHandler<any>>;
  outbox?: Record<string, boolean>;
  invariants?: Predicates;
  quiescence?: Predicates;
  bounds?: Partial<SystemBounds>;
}): SystemModel {
  const channels = new Map<string, TopologyChannel>();
  const eventChannel = new Map<string, string>();
  for (const [name, { events, ...ch }] of Object.entries(def.channels)) {
    channels.set(name, { name, ...ch });
    for (const e of events) eventChannel.set(e, name);
  }
  const topology: SystemTopology = {
    channels,
    eventChannel,
    outbox: new Map(Object.keys(def.services).map((s) => [s, def.outbox?.[s] ?? true])),
  };
  return createSystemModel({
    topology,
    runtime: { services: inMemoryServices(def.services), invariants: def.invariants ?? {}, quiescence: def.quiescence ?? {} },
    ...(def.bounds ? { bounds: def.bounds } : {}),
  });
}

/** A resolved spec with just what findings need: its file, scenarios and channels (by name, with fake lines). */
export function minimalSpec(file: string, scenarios: string[], channels: string[] = []): Spec {
  let line = 0;
  const loc = () => ({ file, line: ++line, column: 3 });
  return {
    file,
    dir: dirname(file),
    files: [file],
    contexts: new Map(),
    contextMap: [],
    layers: [],
    services: new Map(),
    datastores: new Map(),
    channels: new Map(
      channels.map((name) => [name, { name, loc: loc(), delivery: "at-least-once", ordering: "none", events: [], producers: [], consumers: [] }]),
    ),
    eventChannel: new Map(),
    gateway: { routes: [] },
    scenarios: new Map(scenarios.map((name) => [name, { name, loc: loc(), inputs: [] }])),
    sharedKernels: new Map(),
    rules: new Map(),
  };
}
