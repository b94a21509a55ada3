// The topology spec's shape as a zod schema: what one YAML file may contain.
// Unknown keys are errors (strict objects), so typos such as `servcies:` are
// caught; the descriptions become the JSON Schema's help text in editors.
// Cross-references (a service named in `calls:` exists, ...) are checked
// after parsing, in resolve.ts.
import { z } from "zod";

export const SPEC_VERSION = 1;

const name = (what: string) => z.string().min(1, `${what} must not be empty`).describe(what);
const nameList = (what: string, item: string) => z.array(name(item)).default([]).describe(what);
const description = z.string().describe("Free text shown in reports and diagrams.").optional();

const exportRef = (what: string) =>
  z
    .string()
    .regex(/^[^#\s][^#]*(#[A-Za-z_$][\w$]*)?$/, "must be `path/to/file.ts#exportName`")
    .describe(`${what}: \`path/to/file.ts#exportName\`, relative to this spec file's folder (the export defaults to \`default\`).`);

export const CONTEXT_PATTERNS = [
  "customer-supplier",
  "conformist",
  "anticorruption-layer",
  "open-host-service",
  "published-language",
  "shared-kernel",
  "partnership",
  "separate-ways",
] as const;

const ContextSchema = z
  .strictObject({
    owner: z.string().describe("Team that owns the bounded context.").optional(),
    description,
  })
  .nullable()
  .describe("A bounded context (DDD). An empty value is allowed.");

const ContextRelationSchema = z
  .strictObject({
    upstream: name("Context whose model the downstream one depends on"),
    downstream: name("Context that depends on (calls) the upstream one"),
    pattern: z.enum(CONTEXT_PATTERNS).describe("The DDD context-map pattern of the relation."),
    description,
  })
  .describe("A declared relation between two bounded contexts: the downstream context may call the upstream one.");

const CallSchema = z
  .strictObject({
    to: name("Service called synchronously"),
    protocol: z.string().describe("Transport of the call, e.g. grpc or http.").optional(),
    description,
  })
  .describe("A synchronous dependency on another service.");

const ServiceSchema = z
  .strictObject({
    context: name("Bounded context (under `contexts:`) the service belongs to").optional(),
    layer: name("Layer (under `layers:`) the service belongs to").optional(),
    code: z.string().min(1).describe("Folder (or file) of the service's TypeScript code, relative to this spec file.").optional(),
    handler: exportRef("The service's event handler").optional(),
    partitionBy: z
      .string()
      .min(1)
      .describe(
        "The handler's state is one entity's (an event-sourced aggregate, a Decider per stream): keep one state per value at this event path (e.g. data.cartId; looked up as written, then under data), each starting from initialState.",
      )
      .optional(),
    datastores: nameList("Datastores (under `datastores:`) the service reads or writes.", "Datastore name"),
    outbox: z.boolean().default(true).describe("Emissions are published atomically with the state change (transactional outbox). Default true."),
    calls: z.array(CallSchema).default([]).describe("Synchronous calls to other services."),
    external: z.boolean().default(false).describe("A system outside this code base (e.g. a payment provider): never analysed as code."),
    description,
  })
  .describe("A service: its context, layer, code, handler, datastores and synchronous calls.");

/** A service written with an empty value (`audit:`) has every default. */
export const EMPTY_SERVICE = ServiceSchema.parse({});

const DatastoreSchema = z
  .strictObject({
    kind: z.string().describe("e.g. postgres, redis, mongodb.").optional(),
    description,
  })
  .nullable()
  .describe("A datastore. An empty value is allowed.");

export const DELIVERY = ["at-most-once", "at-least-once", "exactly-once"] as const;
export const ORDERING = ["none", "per-key", "total"] as const;

const ChannelSchema = z
  .strictObject({
    broker: z.string().describe("e.g. kafka, nats, rabbitmq, sqs.").optional(),
    delivery: z.enum(DELIVERY).default("at-least-once").describe("Delivery guarantee of the broker (default at-least-once: duplicates possible)."),
    ordering: z.enum(ORDERING).default("none").describe("Ordering guarantee (default none: any reordering possible)."),
    key: z.string().min(1).describe("Event field (dotted path allowed) that per-key ordering is keyed on.").optional(),
    events: nameList("Event types carried by this channel; each event type belongs to exactly one channel.", "Event type"),
    producers: nameList("Services that publish on this channel.", "Service name"),
    consumers: nameList("Services that consume this channel.", "Service name"),
    maxRedeliveries: z.number().int().min(0).describe("Redeliveries of one message before the broker dead-letters it (default: never).").optional(),
    description,
  })
  .describe("A message channel (topic, subject, queue) and its delivery semantics.");

const RouteSchema = z
  .strictObject({
    path: z.string().min(1).describe("Route path, e.g. /orders."),
    to: name("Service the route forwards to"),
    plugins: z.array(z.string().min(1)).default([]).describe("Gateway plugins on the route, e.g. auth, rate-limit."),
    description,
  })
  .describe("An API gateway route.");

const ScenarioEventSchema = z
  .looseObject({
    type: name("Event type (one of the channel's `events`)"),
    id: z.union([z.string(), z.number()]).describe("Event id (a duplicate delivery carries the same id); generated when absent.").optional(),
  })
  .describe("A plain JSON event with `type` and, optionally, `id`.");

const ScenarioSchema = z
  .strictObject({
    description,
    inputs: z
      .array(
        z
          .strictObject({
            channel: name("Channel the event is published on"),
            event: ScenarioEventSchema,
          })
          .describe("An event injected into the system."),
      )
      .describe("Events injected at the start of the scenario."),
  })
  .describe("A scenario explored by the model checker.");

const RuleConfigSchema = z
  .strictObject({
    name: name("Rule id, e.g. no-sync-cycles (`archverify explain` lists them)"),
    severity: z.enum(["error", "warning", "info", "off"]).describe("Severity of the rule's findings; `off` disables it.").optional(),
    options: z.record(z.string(), z.unknown()).describe("Rule-specific options.").optional(),
  })
  .describe("Configuration of one rule.");

const SharedKernelSchema = z
  .strictObject({
    code: z.string().min(1).describe("Folder (or file) of code shared between contexts, relative to this spec file."),
    description,
  })
  .describe("Code that several bounded contexts may import (a DDD shared kernel).");

/** One spec file. The root file carries `archverify: 1`; included files may omit it. */
export const SpecFileSchema = z
  .strictObject({
    archverify: z.literal(SPEC_VERSION).describe("Spec format version: 1.").optional(),
    include: z.array(z.string().min(1)).describe("Further spec files whose sections are added to this one (paths relative to this file).").optional(),
    contexts: z.record(z.string(), ContextSchema).describe("Bounded contexts by name.").optional(),
    contextMap: z.array(ContextRelationSchema).describe("Relations between bounded contexts.").optional(),
    layers: z.array(name("Layer name")).describe("Layers, outermost first: a service may call its own layer or a later one.").optional(),
    services: z.record(z.string(), ServiceSchema.nullable()).describe("Services by name (an empty value is a service with every default).").optional(),
    datastores: z.record(z.string(), DatastoreSchema).describe("Datastores by name.").optional(),
    channels: z.record(z.string(), ChannelSchema).describe("Message channels by name.").optional(),
    gateway: z
      .strictObject({ routes: z.array(RouteSchema).default([]).describe("Routes of the API gateway.") })
      .describe("The API gateway.")
      .optional(),
    scenarios: z.record(z.string(), ScenarioSchema).describe("Scenarios for the model checker, by name.").optional(),
    invariants: exportRef("Record of named predicates that must hold in every reachable state").optional(),
    quiescence: exportRef("Record of named predicates that must hold whenever nothing is in flight").optional(),
    rules: z.array(RuleConfigSchema).describe("Rule configuration: severity, options or off.").optional(),
    sharedKernels: z.record(z.string(), SharedKernelSchema).describe("Shared kernels by name.").optional(),
  })
  .meta({ title: "archverify topology spec", description: "Topology of an event-driven system verified by archverify." });

export type SpecFile = z.output<typeof SpecFileSchema>;
