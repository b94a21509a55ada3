// Event generators a user may export next to a handler, looked up in the
// handler's module (first match wins):
//   fast-check arbitrary: `<export>EventArbitrary`, `eventArbitrary`, or an
//                         `eventArbitrary` property of the handler object;
//   zod schema:           `<export>EventSchema`, `eventSchema`, `EventSchema`, or
//                         an `eventSchema` property of the handler object, or
//                         else any exported schema that describes every event
//                         type the service receives.
// An arbitrary is used as it is; a zod schema is converted (zod 4 with
// `z.toJSONSchema`, zod 3 by walking its definition), generated like a
// TypeScript type, and every generated event goes through the schema's
// safeParse: only events the schema accepts are delivered, in the form the
// parse gives (defaults filled in, unknown keys stripped).
import type fc from "fast-check";
import { toJSONSchema } from "zod";
import { shapeFromJsonSchema } from "./from-json-schema.js";
import { isZod3Schema, shapeFromZod3 } from "./from-zod3.js";
import { shapesByEventType, type TypeShape } from "./type-shape.js";

/** What a schema's safeParse says about a generated event. */
export type SchemaVerdict = { ok: true; value: unknown } | { ok: false };

export type UserEvents =
  | { kind: "arbitrary"; name: string; arbitrary: fc.Arbitrary<unknown> }
  | { kind: "zod"; name: string; shape: TypeShape; parse?: (value: unknown) => SchemaVerdict };

export function arbitraryExportNames(exportName: string): string[] {
  return [`${exportName}EventArbitrary`, "eventArbitrary"];
}

export function schemaExportNames(exportName: string): string[] {
  return [`${exportName}EventSchema`, "eventSchema", "EventSchema"];
}

export function isArbitrary(v: unknown): v is fc.Arbitrary<unknown> {
  const o = v as { generate?: unknown; shrink?: unknown; canShrinkWithoutContext?: unknown } | null;
  return typeof o === "object" && o !== null && typeof o.generate === "function" && typeof o.shrink === "function" && typeof o.canShrinkWithoutContext === "function";
}

/** A zod 4 or zod 3 schema. */
export function isZodSchema(v: unknown): boolean {
  const o = v as { safeParse?: unknown; _zod?: unknown } | null;
  return (typeof o === "object" && o !== null && typeof o.safeParse === "function" && o._zod !== undefined) || isZod3Schema(v);
}

export function zodShape(schema: unknown): TypeShape {
  if (isZod3Schema(schema) && (schema as { _zod?: unknown })._zod === undefined) return shapeFromZod3(schema);
  return shapeFromJsonSchema(toJSONSchema(schema as Parameters<typeof toJSONSchema>[0], { unrepresentable: "any" }) as Record<string, unknown>);
}

/** The schema as a filter of generated events (a parse that throws, e.g. an async refinement, rejects). */
export function zodParser(schema: unknown): (value: unknown) => SchemaVerdict {
  const s = schema as { safeParse(v: unknown): { success: boolean; data?: unknown } };
  return (value) => {
    try {
      const r = s.safeParse(value);
      return r.success ? { ok: true, value: r.data } : { ok: false };
    } catch {
      return { ok: false };
    }
  };
}

export function zodEvents(name: string, schema: unknown): UserEvents {
  return { kind: "zod", name, shape: zodShape(schema), parse: zodParser(schema) };
}

/**
 * `types`: the event types the service receives. When no export follows the
 * naming convention, a zod schema the module exports that describes every one
 * of them (a discriminated union on `type`, as handlers that validate their
 * input with `schema.parse` export) is used: the fewest other types first,
 * then by export name.
 */
export function findUserEvents(exportName: string, handler: unknown, moduleExports: Record<string, unknown>, types: readonly string[] = []): UserEvents | undefined {
  const own = (typeof handler === "object" && handler !== null ? handler : {}) as Record<string, unknown>;
  for (const name of arbitraryExportNames(exportName)) {
    if (isArbitrary(moduleExports[name])) return { kind: "arbitrary", name, arbitrary: moduleExports[name] };
  }
  if (isArbitrary(own.eventArbitrary)) return { kind: "arbitrary", name: `${exportName}.eventArbitrary`, arbitrary: own.eventArbitrary };
  for (const name of schemaExportNames(exportName)) {
    if (isZodSchema(moduleExports[name])) return zodEvents(name, moduleExports[name]);
  }
  if (isZodSchema(own.eventSchema)) return zodEvents(`${exportName}.eventSchema`, own.eventSchema);
  return types.length > 0 ? coveringSchema(moduleExports, types) : undefined;
}

function coveringSchema(moduleExports: Record<string, unknown>, types: readonly string[]): UserEvents | undefined {
  let best: { name: string; extra: number; schema: unknown } | undefined;
  for (const name of Object.keys(moduleExports).sort()) {
    const value = moduleExports[name];
    if (!isZodSchema(value)) continue;
    let described: Map<string, TypeShape>;
    try {
      described = shapesByEventType(zodShape(value));
    } catch {
      continue; // a schema the conversion cannot read
    }
    if (described.has("*") || !types.every((t) => described.has(t))) continue;
    const extra = described.size - types.length;
    if (!best || extra < best.extra) best = { name, extra, schema: value };
  }
  return best && zodEvents(best.name, best.schema);
}
