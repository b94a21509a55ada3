// Turns whatever shape a user's handler export has into a ServiceRuntime.
//
// Shapes recognised (in this order):
// 1. handle:  `{ initialState, handle(state, event) -> { state, emit? } }`
//    (initialState a function or a plain value, cloned per use).
// 2. Decider: `{ initialState, evolve(state, event) -> state, decide?(command, state) -> event | event[] }`.
//    A message whose type `evolve` is known to accept (from the TypeScript
//    types, when available) is folded in with `evolve`, emitting nothing. Any
//    other message, when `decide` exists, is treated as a command: the events
//    `decide(message, state)` returns are folded into the state with `evolve`
//    and emitted (an emitted event without an id gets `<message id>/<index>`).
//    Without type information every message goes to `decide` when it exists,
//    else to `evolve`.
// 3. Reducer: a function `(state, event) => state`, emitting nothing. Its
//    initial state is the first of these exports of the same module:
//    `<name>InitialState`, `initial<Name>`, `initialState`, `INITIAL_STATE`,
//    `initial` (a function is called); otherwise `reducer(undefined, { type:
//    "@@archverify/INIT" })`, the Redux convention.
// An optional `restart(state) -> state` on the export says what survives a
// crash (see ServiceRuntime.restart).
import type { Event } from "../handler.js";
import type { ServiceRuntime } from "../runtime-types.js";
import type { ExportRef } from "../../spec/types.js";
import { inputError } from "../../errors.js";
import { guardedCall, serviceIndex } from "./guard.js";
import { eventShape, getPath, keyPath } from "./event-shape.js";

/** What the TypeScript types say about a handler (see check/generate). */
export interface HandlerTypeHints {
  /** Event types `handle`/`evolve`/the reducer accepts. */
  accepts?: readonly string[];
  /** Decider: message types `decide` accepts as commands. */
  commands?: readonly string[];
  /** The spec's `partitionBy`: the handler's state is one entity's, kept per value at this path. */
  partitionBy?: string;
}

const isClass = (v: unknown): v is new () => unknown => typeof v === "function" && /^class[\s{]/.test(Function.prototype.toString.call(v));

/** An exported handler class (`export class Ledger { initialState() {...} handle(...) {...} }`): its instance. */
function instanceOf(cls: new () => unknown, source: ExportRef): unknown {
  const wanted = { location: source.loc, expected: "a handler class whose constructor takes no arguments, or an exported instance of it (`export const ledger = new Ledger(deps)`)" };
  if (cls.length > 0) throw inputError(`${source.raw} is a class whose constructor takes ${cls.length} argument(s): archverify cannot make one`, wanted);
  try {
    return new cls();
  } catch (error) {
    throw inputError(`${source.raw}: new ${cls.name || "the class"}() threw ${(error as Error)?.message ?? String(error)}`, wanted);
  }
}

/** A handler broke the calling contract (wrong return shape, async, ...). */
export class HandlerContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HandlerContractError";
  }
}

type Fn = (...args: unknown[]) => unknown;
const isFn = (v: unknown): v is Fn => typeof v === "function";
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

export const SHAPES_EXPECTED =
  "an object { initialState, handle(state, event) }, a Decider { initialState, evolve(state, event), decide? }, or a reducer function (state, event) => state";

export function normalizeHandler(
  name: string,
  source: ExportRef,
  exported: unknown,
  moduleExports: Record<string, unknown> = {},
  hints: HandlerTypeHints = {},
): ServiceRuntime {
  const runtime = normalizeShape(name, source, exported, moduleExports, hints);
  return hints.partitionBy === undefined ? runtime : partitioned(runtime, hints.partitionBy);
}

/**
 * An entity's handler (an event-sourced aggregate: one state per stream) run as a service: the
 * service state holds one entity state per value at `path`, each from the handler's initialState,
 * and an event reaches only its entity's state.
 */
function partitioned(inner: ServiceRuntime, path: string): ServiceRuntime {
  const entityOf = (event: Event): string => {
    const at = keyPath(event, path);
    const value = at === undefined ? undefined : getPath(event, at);
    if (value === undefined) throw new Error(`${event.type} has no value at ${path} (the service's partitionBy), so no entity state to apply it to`);
    return String(value);
  };
  const entities = (state: unknown) => state as Record<string, unknown>;
  return {
    ...inner,
    initialState: () => ({}),
    handle(state, event) {
      const id = entityOf(event);
      const own = Object.hasOwn(entities(state), id) ? entities(state)[id] : inner.initialState();
      const r = inner.handle(own, event);
      return { state: { ...entities(state), [id]: r.state }, emit: r.emit };
    },
    ...(inner.restart ? { restart: (state: unknown) => Object.fromEntries(Object.entries(entities(state)).map(([id, s]) => [id, inner.restart!(s)])) } : {}),
  };
}

function normalizeShape(
  name: string,
  source: ExportRef,
  exported: unknown,
  moduleExports: Record<string, unknown>,
  hints: HandlerTypeHints,
): ServiceRuntime {
  if (isClass(exported)) exported = instanceOf(exported, source);
  const index = serviceIndex(name);
  const accepts = hints.accepts ? { accepts: [...hints.accepts] } : {};
  const restart = isObject(exported) && isFn(exported.restart) ? { restart: bindRestart(exported.restart, exported) } : {};

  if (isObject(exported) && isFn(exported.handle)) {
    const handle = exported.handle.bind(exported) as Fn;
    return {
      name,
      source,
      shape: "handle",
      initialState: initialFrom(exported.initialState, exported, source),
      handle: (state, event) => toResult(guardedCall(index, event, () => handle(state, event)), "handle", source),
      ...restart,
      ...accepts,
    };
  }

  if (isObject(exported) && isFn(exported.evolve)) {
    const evolve = exported.evolve.bind(exported) as Fn;
    const decide = isFn(exported.decide) ? (exported.decide.bind(exported) as Fn) : undefined;
    const evolveTypes = hints.accepts ? new Set(hints.accepts) : undefined;
    return {
      name,
      source,
      shape: "decider",
      initialState: initialFrom(exported.initialState, exported, source),
      handle: (state, event) =>
        guardedCall(index, event, () => {
          if (!decide || evolveTypes?.has(event.type)) return { state: checkSync(evolve(state, event), "evolve", source), emit: [] };
          const decided = checkSync(decide(event, state), "decide", source);
          const emit = (Array.isArray(decided) ? decided : decided == null ? [] : [decided]).map((e, i) => withId(e, event, i));
          let next = state;
          for (const e of emit) next = checkSync(evolve(next, e), "evolve", source);
          return { state: next, emit };
        }),
      ...restart,
      ...accepts,
    };
  }

  if (isFn(exported)) {
    const reducer = exported;
    return {
      name,
      source,
      shape: "reducer",
      initialState: reducerInitial(reducer, source, moduleExports),
      handle: (state, event) => ({ state: checkSync(guardedCall(index, event, () => reducer(state, event)), "the reducer", source), emit: [] }),
      ...accepts,
    };
  }

  throw inputError(`${source.raw} has no handler shape archverify recognises (found ${describe(exported)})`, {
    location: source.loc,
    expected: SHAPES_EXPECTED,
  });
}

function bindRestart(fn: Fn, self: unknown): (state: unknown) => unknown {
  return (state) => fn.call(self, state);
}

function initialFrom(init: unknown, self: unknown, source: ExportRef): () => unknown {
  if (isFn(init)) return () => init.call(self);
  if (init === undefined) {
    throw inputError(`${source.raw} has no initialState`, { location: source.loc, expected: "initialState: a function returning the state (or the state itself)" });
  }
  return () => cloneState(init);
}

function reducerInitial(reducer: Fn, source: ExportRef, moduleExports: Record<string, unknown>): () => unknown {
  const n = source.exportName;
  const cap = n.charAt(0).toUpperCase() + n.slice(1);
  for (const candidate of [`${n}InitialState`, `initial${cap}`, `initialState`, `INITIAL_STATE`, `initial`]) {
    if (candidate in moduleExports && moduleExports[candidate] !== undefined) {
      const init = moduleExports[candidate];
      return isFn(init) ? () => init() : () => cloneState(init);
    }
  }
  let probe: unknown;
  try {
    probe = reducer(undefined, { type: "@@archverify/INIT", id: "@@archverify/INIT" });
  } catch (error) {
    throw inputError(`the reducer ${source.raw} has no initial state: no initialState export, and calling it with undefined threw (${(error as Error).message})`, {
      location: source.loc,
      expected: `an export named initialState (or ${n}InitialState), or a reducer that returns its initial state for an undefined state`,
    });
  }
  return () => reducer(undefined, { type: "@@archverify/INIT", id: "@@archverify/INIT" }) ?? probe;
}

export function cloneState<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/**
 * An async handler cannot be checked at all (its result is known only after the call): that is
 * bad input, said once with the handler's place in the spec, not a finding per event.
 */
function checkSync<T>(value: T, what: string, source: ExportRef): T {
  if (isObject(value) && isFn(value.then)) {
    throw inputError(`${source.raw}: ${what} returned a Promise (an async handler); archverify runs handlers as synchronous, pure functions of (state, event)`, {
      location: source.loc,
      expected: `${what} to return its result directly, without async or await: keep I/O (database, HTTP, broker) in the code that calls the handler`,
    });
  }
  return value;
}

function toResult(result: unknown, what: string, source: ExportRef): { state: unknown; emit: Event[] } {
  checkSync(result, what, source);
  if (!isObject(result) || !("state" in result)) {
    throw new HandlerContractError(`${what} returned ${describe(result)}; expected { state, emit? }`);
  }
  const emit = result.emit;
  if (emit === undefined || emit === null) return { state: result.state, emit: [] };
  if (Array.isArray(emit)) return { state: result.state, emit: emit as Event[] };
  if (isObject(emit)) return { state: result.state, emit: [emit as Event] };
  throw new HandlerContractError(`${what} returned emit: ${describe(emit)}; expected an array of events`);
}

function withId(e: unknown, cause: Event, i: number): Event {
  if (!isObject(e)) throw new HandlerContractError(`decide returned ${describe(e)}; expected events`);
  const ev = e as Event;
  return eventShape.id(ev) !== "" ? ev : { ...ev, id: `${eventShape.id(cause)}/${i}` };
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "function") return "a function";
  if (typeof v === "object") {
    const keys = Object.keys(v as object);
    return keys.length ? `an object with ${keys.slice(0, 6).join(", ")}${keys.length > 6 ? ", ..." : ""}` : "an empty object";
  }
  return typeof v === "undefined" ? "undefined" : `a ${typeof v}`;
}
