// The events a service is checked with, per event type. Sources, first found
// wins: an arbitrary or zod schema the user exports (user-exports.ts), the
// TypeScript type of the handler's event parameter, or, when neither
// describes a type, a minimal `{ type, id, <channel key> }` event. The
// scenario events of the spec are mixed in (their key varied over the pool).
// Ids are not generated here: `withUniqueIds` numbers the events of a run.
import fc from "fast-check";
import type { Event } from "../../model/handler.js";
import { getPath, idPath, keyPath, setPath } from "../../model/runtime/event-shape.js";
import { arbitraryOf, idPool, normalizeJson } from "./arbitrary.js";
import { shapesByEventType, type TypeShape } from "./type-shape.js";
import type { UserEvents } from "./user-exports.js";

/** What the main thread knows about a service's events (plain data). */
export interface EventPlan {
  /** Event types the service receives, sorted. */
  types: string[];
  /** The channel `key:` path of each type, when the channel has one. */
  keys: Record<string, string>;
  /** Scenario events by type. */
  examples: Record<string, Record<string, unknown>[]>;
  /** The handler's event type, from the TypeScript analysis. */
  shape?: TypeShape;
}

export interface EventSource {
  types: string[];
  /** Where the events come from, for reports. */
  origin: string;
  forType(type: string): fc.Arbitrary<Event>;
  /** What the generation could not honour (filled as types are asked for). */
  notes: string[];
}

/** Generated events checked before a schema filter is trusted not to reject them all. */
const FILTER_PROBE = 100;

export function buildEventSource(plan: EventPlan, user?: UserEvents): EventSource {
  const byType = user?.kind === "zod" ? shapesByEventType(user.shape) : plan.shape ? shapesByEventType(plan.shape) : new Map<string, TypeShape>();
  const origin = user ? `${user.kind === "zod" ? "zod schema" : "arbitrary"} ${user.name}` : plan.shape ? "TypeScript type" : "spec";
  const cache = new Map<string, fc.Arbitrary<Event>>();
  const notes: string[] = [];
  const forType = (type: string): fc.Arbitrary<Event> => {
    let arb = cache.get(type);
    if (!arb) {
      arb = makeArbitrary(type, plan, byType, user, notes);
      cache.set(type, arb);
    }
    return arb;
  };
  // A user arbitrary filtered to a type it never produces would loop forever.
  const types = user?.kind === "arbitrary" ? typesProduced(user.arbitrary, plan.types) : plan.types;
  return { types, origin, forType, notes };
}

/**
 * Only events the schema accepts, as its parse returns them. The conversion to
 * a shape already honours bounds, lengths, formats and patterns, so the filter
 * rejects little; when it rejects every probe (a refinement, a transform that
 * cannot be generated for), the events go unfiltered and a note says so.
 */
function schemaFiltered(type: string, generated: fc.Arbitrary<Event>, user: Extract<UserEvents, { kind: "zod" }>, notes: string[]): fc.Arbitrary<Event> {
  const parse = user.parse;
  if (!parse) return generated;
  const typed = (e: unknown): Event => ({ ...(e as Event), type });
  const probe = fc.sample(generated, { numRuns: FILTER_PROBE, seed: 11 });
  if (!probe.some((e) => parse(e).ok)) {
    notes.push(`zod schema ${user.name} accepts none of ${FILTER_PROBE} ${type} events generated from it (a refinement?); ${type} events are generated from its JSON form, unfiltered`);
    return generated;
  }
  const REJECTED = null;
  return generated
    .map((e) => {
      const v = parse(e);
      return v.ok && typeof v.value === "object" && v.value !== null ? typed(normalizeJson(v.value)) : REJECTED;
    })
    .filter((e): e is Event => e !== REJECTED);
}

function makeArbitrary(type: string, plan: EventPlan, byType: Map<string, TypeShape>, user: UserEvents | undefined, notes: string[]): fc.Arbitrary<Event> {
  const key = plan.keys[type];
  const typed = (e: unknown): Event => {
    const event = (typeof e === "object" && e !== null && !Array.isArray(e) ? e : {}) as Event;
    return (event.type === type ? event : { ...event, type }) as Event;
  };
  let generated: fc.Arbitrary<Event>;
  if (user?.kind === "arbitrary") {
    generated = user.arbitrary.map(normalizeJson).filter((e) => (e as Event | null)?.type === type) as fc.Arbitrary<Event>;
  } else {
    const shape = byType.get(type) ?? byType.get("*");
    generated = shape
      ? arbitraryOf(shape, { keyPaths: key ? [key, `data.${key}`] : [] }).map((e) => typed(normalizeJson(e)))
      : fallback(type, key);
    if (shape && user?.kind === "zod") generated = schemaFiltered(type, generated, user, notes);
  }
  const examples = plan.examples[type] ?? [];
  if (examples.length === 0) return generated;
  const described = user !== undefined || byType.has(type) || byType.has("*");
  const varied = fc.tuple(fc.constantFrom(...examples), fc.nat(2)).map(([example, i]) => {
    const path = key ? keyPath(example, key) : undefined;
    if (!path) return typed(example);
    const field = path.split(".").pop() ?? path;
    return typed(setPath(example, path, idPool(field)[i]));
  });
  // Without a description of the type, `{ type, id, key }` alone would lack the
  // fields the handler reads: the examples are the better guide.
  if (!described) return varied;
  return fc.oneof({ arbitrary: generated, weight: 3 }, { arbitrary: varied, weight: 1 });
}

function typesProduced(arb: fc.Arbitrary<unknown>, wanted: string[]): string[] {
  const seen = new Set(fc.sample(arb, { numRuns: 300, seed: 42 }).map((e) => (e as Event | null)?.type));
  return wanted.filter((t) => seen.has(t));
}

function fallback(type: string, key: string | undefined): fc.Arbitrary<Event> {
  if (!key) return fc.constant({ type, id: "" });
  const field = key.split(".").pop() ?? key;
  return fc.constantFrom(...idPool(field)).map((k) => setPath({ type, id: "" } as Event, key, k));
}

/** Gives each event of a run its own id (`e1`, `e2`, ...), where the event
 * keeps its id (`id`, or e.g. `metadata.eventId`), in the form the generated
 * id has: a UUID stays a UUID, a number a number (a schema may demand it). */
export function withUniqueIds(events: readonly Event[], first = 1): Event[] {
  return events.map((e, i) => {
    const path = idPath(e);
    return setPath(e, path, uniqueId(getPath(e, path), first + i));
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uniqueId(generated: unknown, n: number): string | number {
  if (typeof generated === "number") return n;
  if (typeof generated === "string" && UUID.test(generated)) return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return `e${n}`;
}
