// The resolved topology spec: what every later stage of the pipeline reads.
// Every name reference has been checked by the loader, so consumers may look
// names up without guarding against unknown ones.

/** A 1-based position in a source file. `file` is absolute inside the pipeline;
 * reports make it relative to the working directory. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A reference by name to another spec element, with where it was written. */
export interface NameRef {
  name: string;
  loc: SourceLocation;
}

/** `path/to/file.ts#exportName`, resolved against the spec file's folder. */
export interface ExportRef {
  /** The text as written in the spec. */
  raw: string;
  /** Absolute path of the module. */
  file: string;
  /** Export name; `default` when the spec wrote no `#name`. */
  exportName: string;
  loc: SourceLocation;
}

/**
 * A reference without `#name` names the module's default export or, when the module has
 * none, the module itself: its named exports as one object. So a module of top-level
 * `initialState` and `evolve` (or `handle`) is a handler, and a module of predicate
 * functions is a record of predicates, with nothing to wrap them in.
 */
export function mayNameWholeModule(ref: ExportRef): boolean {
  return !ref.raw.includes("#");
}

/** The exports of a whole-module handler that messages reach, in the order one locates it by. */
export const MODULE_RECEIVERS = ["handle", "evolve", "decide"] as const;

export type Severity = "error" | "warning" | "info";
export type Delivery = "at-most-once" | "at-least-once" | "exactly-once";
export type Ordering = "none" | "per-key" | "total";
export type ContextPattern =
  | "customer-supplier"
  | "conformist"
  | "anticorruption-layer"
  | "open-host-service"
  | "published-language"
  | "shared-kernel"
  | "partnership"
  | "separate-ways";

export interface ContextSpec {
  name: string;
  loc: SourceLocation;
  owner?: string;
  description?: string;
}

export interface ContextRelation {
  upstream: NameRef;
  downstream: NameRef;
  pattern: ContextPattern;
  loc: SourceLocation;
}

export interface CallSpec {
  to: NameRef;
  protocol?: string;
  loc: SourceLocation;
}

export interface CodeRoot {
  /** Absolute folder (or file) path. */
  path: string;
  loc: SourceLocation;
}

export interface ServiceSpec {
  name: string;
  loc: SourceLocation;
  context?: NameRef;
  layer?: NameRef;
  code?: CodeRoot;
  handler?: ExportRef;
  /** The handler's state is one entity's: one state per value at this event path. */
  partitionBy?: string;
  datastores: NameRef[];
  /** Emissions are published atomically with the state commit (default true). */
  outbox: boolean;
  calls: CallSpec[];
  /** A system outside the spec's control (e.g. Stripe); never analysed as code. */
  external: boolean;
  description?: string;
}

export interface DatastoreSpec {
  name: string;
  loc: SourceLocation;
  kind?: string;
}

export interface ChannelSpec {
  name: string;
  loc: SourceLocation;
  broker?: string;
  delivery: Delivery;
  ordering: Ordering;
  /** Event field (a dotted path such as `data.cartId`) used for per-key ordering and key independence. */
  key?: string;
  events: NameRef[];
  producers: NameRef[];
  consumers: NameRef[];
  /** Redeliveries of one message after which the broker dead-letters it (undefined: never). */
  maxRedeliveries?: number;
}

export interface RouteSpec {
  path: string;
  to: NameRef;
  plugins: string[];
  loc: SourceLocation;
}

export interface ScenarioInput {
  channel: NameRef;
  /** A plain JSON event with at least `type` (an id is generated when absent). */
  event: Record<string, unknown>;
  loc: SourceLocation;
}

export interface ScenarioSpec {
  name: string;
  loc: SourceLocation;
  description?: string;
  inputs: ScenarioInput[];
}

export interface SharedKernelSpec {
  name: string;
  loc: SourceLocation;
  code: CodeRoot;
}

export interface RuleConfig {
  id: string;
  /** `off` disables the rule. */
  severity?: Severity | "off";
  options: Record<string, unknown>;
  loc: SourceLocation;
}

export interface Spec {
  /** Absolute path of the root spec file. */
  file: string;
  /** Folder of the root spec file; spec paths are relative to it. */
  dir: string;
  /** Every file read, root first, then includes in reading order. */
  files: string[];
  contexts: Map<string, ContextSpec>;
  contextMap: ContextRelation[];
  /** Outermost first: a service may call its own layer or a later one. */
  layers: NameRef[];
  services: Map<string, ServiceSpec>;
  datastores: Map<string, DatastoreSpec>;
  channels: Map<string, ChannelSpec>;
  /** Event type -> the one channel that carries it. */
  eventChannel: Map<string, string>;
  gateway: { routes: RouteSpec[] };
  scenarios: Map<string, ScenarioSpec>;
  sharedKernels: Map<string, SharedKernelSpec>;
  invariants?: ExportRef;
  quiescence?: ExportRef;
  rules: Map<string, RuleConfig>;
}
