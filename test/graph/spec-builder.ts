// Builds resolved `Spec` objects in memory for rule tests: every element gets a
// distinct fake location (one line each, in declaration order) so tests can
// assert which spec line a finding points at.
import type {
  CallSpec,
  ChannelSpec,
  ContextPattern,
  NameRef,
  RuleConfig,
  ServiceSpec,
  Severity,
  SourceLocation,
  Spec,
} from "../../src/spec/types.js";

export const SPEC_FILE = "/virtual/spec.yaml";

export interface ServiceInput {
  context?: string;
  layer?: string;
  calls?: string[];
  datastores?: string[];
  external?: boolean;
}

export interface ChannelInput {
  events?: string[];
  producers?: string[];
  consumers?: string[];
}

export interface SpecInput {
  contexts?: string[];
  contextMap?: { upstream: string; downstream: string; pattern: ContextPattern }[];
  layers?: string[];
  services?: Record<string, ServiceInput>;
  datastores?: string[];
  channels?: Record<string, ChannelInput>;
  routes?: { path: string; to: string }[];
  rules?: Record<string, { severity?: Severity | "off"; options?: Record<string, unknown> }>;
}

export function buildSpec(input: SpecInput): Spec {
  let line = 0;
  const at = (column = 1): SourceLocation => ({ file: SPEC_FILE, line: ++line, column });
  const ref = (name: string): NameRef => ({ name, loc: at(5) });
  const spec: Spec = {
    file: SPEC_FILE,
    dir: "/virtual",
    files: [SPEC_FILE],
    contexts: new Map(),
    contextMap: [],
    layers: [],
    services: new Map(),
    datastores: new Map(),
    channels: new Map(),
    eventChannel: new Map(),
    gateway: { routes: [] },
    scenarios: new Map(),
    sharedKernels: new Map(),
    rules: new Map(),
  };
  for (const name of input.contexts ?? []) spec.contexts.set(name, { name, loc: at() });
  for (const r of input.contextMap ?? []) spec.contextMap.push({ upstream: ref(r.upstream), downstream: ref(r.downstream), pattern: r.pattern, loc: at() });
  for (const name of input.layers ?? []) spec.layers.push(ref(name));
  for (const name of input.datastores ?? []) spec.datastores.set(name, { name, loc: at() });
  for (const [name, s] of Object.entries(input.services ?? {})) {
    const service: ServiceSpec = {
      name,
      loc: at(3),
      datastores: [],
      outbox: true,
      calls: [],
      external: s.external ?? false,
    };
    if (s.context) service.context = ref(s.context);
    if (s.layer) service.layer = ref(s.layer);
    for (const d of s.datastores ?? []) service.datastores.push(ref(d));
    for (const to of s.calls ?? []) {
      const call: CallSpec = { to: ref(to), loc: { file: SPEC_FILE, line, column: 9 } };
      service.calls.push(call);
    }
    spec.services.set(name, service);
  }
  for (const [name, c] of Object.entries(input.channels ?? {})) {
    const channel: ChannelSpec = {
      name,
      loc: at(3),
      delivery: "at-least-once",
      ordering: "none",
      events: (c.events ?? []).map(ref),
      producers: (c.producers ?? []).map(ref),
      consumers: (c.consumers ?? []).map(ref),
    };
    for (const e of channel.events) spec.eventChannel.set(e.name, name);
    spec.channels.set(name, channel);
  }
  for (const r of input.routes ?? []) spec.gateway.routes.push({ path: r.path, to: ref(r.to), plugins: [], loc: at() });
  for (const [id, r] of Object.entries(input.rules ?? {})) {
    const config: RuleConfig = { id, options: r.options ?? {}, loc: at() };
    if (r.severity) config.severity = r.severity;
    spec.rules.set(id, config);
  }
  return spec;
}

/** Where the `calls:` entry from `from` to `to` sits in a built spec. */
export function callLoc(spec: Spec, from: string, to: string): SourceLocation | undefined {
  return spec.services.get(from)?.calls.find((c) => c.to.name === to)?.loc;
}
