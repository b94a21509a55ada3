// Event generators a user may export next to a handler, looked up in the
// handler's module (first match wins):
//   fast-check arbitrary: `<export>EventArbitrary`, `eventArbitrary`, or an
//                         `eventArbitrary` property of the handler object;
//   zod schema:           `<export>EventSchema`, `eventSchema`, `EventSchema`, or
//                         an `eventSchema` property of the handler object.
// An arbitrary is used as it is; a zod (v4) schema is converted with
// `z.toJSONSchema` and generated like a TypeScript type.
import type fc from "fast-check";
import { toJSONSchema } from "zod";
import { shapeFromJsonSchema } from "./from-json-schema.js";
import type { TypeShape } from "./type-shape.js";

export type UserEvents =
  | { kind: "arbitrary"; name: string; arbitrary: fc.Arbitrary<unknown> }
  | { kind: "zod"; name: string; shape: TypeShape };

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

export function isZodSchema(v: unknown): boolean {
  const o = v as { safeParse?: unknown; _zod?: unknown } | null;
  return typeof o === "object" && o !== null && typeof o.safeParse === "function" && o._zod !== undefined;
}

export function zodShape(schema: unknown): TypeShape {
  return shapeFromJsonSchema(toJSONSchema(schema as Parameters<typeof toJSONSchema>[0], { unrepresentable: "any" }) as Record<string, unknown>);
}

export function findUserEvents(exportName: string, handler: unknown, moduleExports: Record<string, unknown>): UserEvents | undefined {
  const own = (typeof handler === "object" && handler !== null ? handler : {}) as Record<string, unknown>;
  for (const name of arbitraryExportNames(exportName)) {
    if (isArbitrary(moduleExports[name])) return { kind: "arbitrary", name, arbitrary: moduleExports[name] };
  }
  if (isArbitrary(own.eventArbitrary)) return { kind: "arbitrary", name: `${exportName}.eventArbitrary`, arbitrary: own.eventArbitrary };
  for (const name of schemaExportNames(exportName)) {
    if (isZodSchema(moduleExports[name])) return { kind: "zod", name, shape: zodShape(moduleExports[name]) };
  }
  if (isZodSchema(own.eventSchema)) return { kind: "zod", name: `${exportName}.eventSchema`, shape: zodShape(own.eventSchema) };
  return undefined;
}
