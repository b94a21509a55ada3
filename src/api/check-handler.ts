// checkHandler: the handler property checks for a user's own tests.
//
//   import { checkHandler, assertHandler } from "archverify";
//   const result = await checkHandler(inventory, { events: inventoryEventArbitrary });
//   expect(result.failures).toEqual([]);         // or: await assertHandler(inventory, {...})
//
// `handler` is the handler itself (any shape loadSystemRuntime accepts: handle,
// Decider, reducer), checked in-process, or a reference "path/to/file.ts#export"
// (relative to the working directory), checked in a sandbox worker with a
// per-call timeout and events generated from its TypeScript types.
import { AssertionError } from "node:assert";
import { resolve } from "node:path";
import fc from "fast-check";
import type { Event } from "../model/handler.js";
import { normalizeHandler } from "../model/runtime/normalize.js";
import { runInSandbox } from "../model/runtime/sandbox.js";
import { usageError } from "../errors.js";
import type { ExportRef } from "../spec/types.js";
import { arbitraryOf } from "../check/generate/arbitrary.js";
import { buildEventSource, type EventPlan } from "../check/generate/event-source.js";
import { analyzeHandlerTypes, createTypeProject, type HandlerTypeInfo } from "../check/generate/from-ts.js";
import { findUserEvents, isArbitrary, isZodSchema, zodEvents, type UserEvents } from "../check/generate/user-exports.js";
import type { TypeShape } from "../check/generate/type-shape.js";
import { checkService } from "../check/handlers/engine.js";
import { formatFailure } from "../check/handlers/findings.js";
import type { PropertyJobInput } from "../check/handlers/job.js";
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_MAX_DEPTH, DEFAULT_RUNS } from "../check/handlers/run.js";
import type { ChannelInfo, HandlerProperty, PropertyFailure, PropertyReplay, ServiceReport } from "../check/handlers/types.js";

export interface CheckHandlerOptions {
  /** Name used in messages (default: the export name, or "handler"). */
  name?: string;
  /** The events to deliver: a fast-check arbitrary, a zod schema, or example events
   * (varied over their `channel.key`). Default: an `eventArbitrary` / `eventSchema`
   * property of the handler, or (for a "file.ts#export" reference) its TypeScript types. */
  events?: unknown;
  /** The initial state of a reducer-shaped handler (default: reducer(undefined, init)). */
  initialState?: unknown;
  /** The handler's state is one entity's: keep one state per value at this event path (the spec's partitionBy). */
  partitionBy?: string;
  /** Event types to check (default: every type the events produce). */
  types?: readonly string[];
  /** Delivery guarantees of the channel (default at-least-once, unordered). */
  channel?: Partial<ChannelInfo>;
  /** Per event type, when types travel on different channels. */
  channels?: Record<string, Partial<ChannelInfo>>;
  runs?: number;
  maxDepth?: number;
  seed?: number;
  timeBudgetMs?: number;
  properties?: readonly HandlerProperty[];
  /** Re-run one counterexample a failure printed (only that search runs, once): `search` when a
   * narrowed search found it, `subjects` when the search had only some of the event types. */
  replay?: PropertyReplay;
  /** Per-call timeout of a sandboxed ("file.ts#export") check (default 1000 ms). */
  callTimeoutMs?: number;
}

export interface CheckHandlerResult {
  ok: boolean;
  failures: PropertyFailure[];
  /** A call that did not return within callTimeoutMs (sandboxed checks only). */
  timeout?: { event?: unknown; timeoutMs: number };
  report?: ServiceReport;
  /** The failures as text: messages, shrunk events, diffs, how to replay. */
  format(): string;
}

export async function checkHandler(handler: unknown, options: CheckHandlerOptions = {}): Promise<CheckHandlerResult> {
  const seed = options.seed ?? 1;
  const engine = {
    seed,
    runs: options.runs ?? DEFAULT_RUNS,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    ...(options.properties ? { properties: options.properties } : {}),
    ...(options.replay ? { replay: options.replay } : {}),
  };
  if (typeof handler === "string") return checkReference(handler, options, engine);

  const name = options.name ?? "handler";
  const ref = pseudoRef(name);
  const runtime = normalizeHandler(
    name,
    ref,
    handler,
    options.initialState !== undefined ? { initialState: options.initialState } : {},
    options.partitionBy !== undefined ? { partitionBy: options.partitionBy } : {},
  );
  const user = userEvents(options.events) ?? findUserEvents("", handler, {});
  const examples = Array.isArray(options.events) ? (options.events as Record<string, unknown>[]) : [];
  if (!user && examples.length === 0) {
    throw usageError("checkHandler needs events to deliver", {
      expected: 'options.events (a fast-check arbitrary, a zod schema or example events), or the handler as "file.ts#export" to generate events from its TypeScript types',
    });
  }
  const plan = eventPlan(options, user, undefined, examples);
  const source = buildEventSource(plan, user);
  const report = checkService({ runtime, source, channelOf: channelLookup(options) }, engine);
  return result(report.failures, report, engine);
}

async function checkReference(reference: string, options: CheckHandlerOptions, engine: PropertyJobInput["options"]): Promise<CheckHandlerResult> {
  const [path, exportName = "default"] = reference.split("#");
  const file = resolve(path ?? reference);
  const ref: ExportRef = { raw: reference, file, exportName, loc: { file, line: 1, column: 1 } };
  const types = analyzeHandlerTypes(createTypeProject(), ref);
  const name = options.name ?? exportName;
  const user = userEvents(options.events);
  const examples = Array.isArray(options.events) ? (options.events as Record<string, unknown>[]) : [];
  // A zod schema in the options describes the events (the worker cannot run its safeParse: export it next to the handler for that).
  const typed = types.events && types.commands ? ({ kind: "union", options: [types.commands, types.events] } as TypeShape) : (types.events ?? types.commands);
  const shape = user?.kind === "zod" ? user.shape : typed;
  if (user?.kind === "arbitrary") throw usageError("a fast-check arbitrary cannot be sent to the sandbox worker; export it next to the handler as eventArbitrary, or pass the handler object itself");
  const plan = eventPlan(options, user, shape, examples);
  const channels: Record<string, ChannelInfo> = {};
  for (const t of plan.types) channels[t] = channelLookup(options)(t);
  const input: PropertyJobInput = {
    services: [{ plan: { name, events: plan, channels, types: hintsOnly(types), ...(options.partitionBy !== undefined ? { partitionBy: options.partitionBy } : {}) }, handler: ref, excludeTypes: [] }],
    options: engine,
  };
  const job = new URL("../check/handlers/job.ts", import.meta.url).href;
  const out = await runInSandbox<PropertyJobInput, ServiceReport[]>(job, input, { callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS });
  if (!out.ok) {
    const timeout = { ...(out.timeout.event !== undefined ? { event: out.timeout.event } : {}), timeoutMs: out.timeout.timeoutMs };
    const r = result([], undefined, engine);
    const text = `${name}: a handler call did not return within ${timeout.timeoutMs} ms${timeout.event ? ` (event ${JSON.stringify(timeout.event)})` : ""}`;
    return { ...r, ok: false, timeout, format: () => text };
  }
  const report = out.value[0];
  return result(report?.failures ?? [], report, engine);
}

function hintsOnly(types: HandlerTypeInfo): HandlerTypeInfo {
  return { ...(types.accepts ? { accepts: types.accepts } : {}), ...(types.commandTypes ? { commandTypes: types.commandTypes } : {}), ...(types.location ? { location: types.location } : {}) };
}

function userEvents(events: unknown): UserEvents | undefined {
  if (isArbitrary(events)) return { kind: "arbitrary", name: "options.events", arbitrary: events };
  if (isZodSchema(events)) return zodEvents("options.events", events);
  return undefined;
}

function eventPlan(options: CheckHandlerOptions, user: UserEvents | undefined, shape: TypeShape | undefined, examples: Record<string, unknown>[]): EventPlan {
  const byType: Record<string, Record<string, unknown>[]> = {};
  for (const e of examples) if (typeof e.type === "string") (byType[e.type] ??= []).push(e);
  const keys: Record<string, string> = {};
  const types = [...(options.types ?? discoverTypes(user, shape, Object.keys(byType)))].sort();
  for (const t of types) {
    const key = options.channels?.[t]?.key ?? options.channel?.key;
    if (key) keys[t] = key;
  }
  return { types, keys, examples: byType, ...(shape ? { shape } : {}) };
}

/** The event types a generator produces (sampled with a fixed seed). */
function discoverTypes(user: UserEvents | undefined, shape: TypeShape | undefined, exampleTypes: string[]): string[] {
  const arb: fc.Arbitrary<unknown> | undefined =
    user?.kind === "arbitrary" ? user.arbitrary : user?.kind === "zod" ? arbitraryOf(user.shape) : shape ? arbitraryOf(shape) : undefined;
  const found = new Set(exampleTypes);
  if (arb) for (const e of fc.sample(arb, { numRuns: 300, seed: 7 })) if (typeof (e as Event | null)?.type === "string") found.add((e as Event).type);
  return [...found];
}

function channelLookup(options: CheckHandlerOptions): (type: string) => ChannelInfo {
  return (type) => {
    const c = { ...options.channel, ...options.channels?.[type] };
    return { name: c.name ?? "", delivery: c.delivery ?? "at-least-once", ordering: c.ordering ?? "none", ...(c.key ? { key: c.key } : {}) };
  };
}

function pseudoRef(name: string): ExportRef {
  const loc = { file: "<checkHandler>", line: 1, column: 1 };
  return { raw: name, file: loc.file, exportName: name, loc };
}

function result(failures: PropertyFailure[], report: ServiceReport | undefined, engine: PropertyJobInput["options"]): CheckHandlerResult {
  return {
    ok: failures.length === 0,
    failures,
    ...(report ? { report } : {}),
    format: () =>
      failures
        .map((f) => {
          const replay = `checkHandler(handler, ${replayOptions(f, engine)})`;
          return `[${f.property}] ${formatFailure(f, { replay: () => replay }).message}\nreplay: ${replay}`;
        })
        .join("\n\n"),
  };
}

/**
 * The options that re-run one failure (with the events and channel options of the check): the
 * check's seed, the counterexample's fast-check seed and path, `search` when a narrowed search
 * found it and `subjects` when its search had only some event types; `maxDepth` (which shapes
 * the generated cases) and `runs` are repeated when not the defaults.
 */
function replayOptions(f: PropertyFailure, engine: Pick<PropertyJobInput["options"], "seed" | "runs" | "maxDepth">): string {
  const cx = f.counterexample;
  const replay = [
    `property: ${JSON.stringify(f.property)}`,
    ...(cx.search ? [`search: ${JSON.stringify(cx.search)}`] : []),
    ...(cx.subjects ? [`subjects: ${JSON.stringify(cx.subjects)}`] : []),
    `fcSeed: ${cx.fcSeed}`,
    `path: ${JSON.stringify(cx.path)}`,
  ];
  const budgets = [
    ...(engine.runs !== DEFAULT_RUNS ? [`runs: ${engine.runs}`] : []),
    ...(engine.maxDepth !== DEFAULT_MAX_DEPTH ? [`maxDepth: ${engine.maxDepth}`] : []),
  ];
  return `{ seed: ${engine.seed}, replay: { ${replay.join(", ")} }${budgets.map((b) => `, ${b}`).join("")} }`;
}

/** checkHandler, throwing an AssertionError with every counterexample when a property fails. */
export async function assertHandler(handler: unknown, options: CheckHandlerOptions = {}): Promise<CheckHandlerResult> {
  const r = await checkHandler(handler, options);
  if (!r.ok) throw new AssertionError({ message: `handler properties failed:\n\n${r.format()}` });
  return r;
}
