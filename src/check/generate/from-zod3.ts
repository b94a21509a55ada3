// zod 3 schema -> TypeShape, by walking `_def` (as zod-to-json-schema does):
// zod 3 has no `toJSONSchema`, and users still export v3 schemas (`zod@3`, or
// `zod/v3` of zod 4). Covers the constructs of event schemas with their checks
// (string formats, lengths and regex; number bounds, int, multipleOf; array
// lengths); refinements and transforms are left to the safeParse filter.
import type { FieldShape, NumberShape, StringShape, TypeShape } from "./type-shape.js";
import { pruneCuts } from "./type-shape.js";

interface Def {
  typeName?: string;
  [key: string]: unknown;
}
type Schema = { _def: Def };

/** A recursive (z.lazy) schema is unfolded this many times before it is cut. */
const MAX_UNFOLD = 2;

export function isZod3Schema(v: unknown): v is Schema {
  const o = v as { safeParse?: unknown; _def?: { typeName?: unknown } } | null;
  return typeof o === "object" && o !== null && typeof o.safeParse === "function" && typeof o._def?.typeName === "string";
}

export function shapeFromZod3(schema: Schema): TypeShape {
  const lazies: unknown[] = [];
  const go = (s: unknown): TypeShape => {
    if (!isZod3Schema(s)) return { kind: "json" };
    const d = s._def;
    switch (d.typeName) {
      case "ZodString":
        return stringShape(checks(d));
      case "ZodNumber":
        return numberShape(checks(d));
      case "ZodBigInt":
        return { kind: "number", integer: true };
      case "ZodBoolean":
        return { kind: "boolean" };
      case "ZodNull":
        return { kind: "null" };
      case "ZodDate":
        return { kind: "string", format: "date-time", date: true };
      case "ZodLiteral":
        return literal(d.value);
      case "ZodEnum":
        return union((d.values as unknown[]).map(literal));
      case "ZodNativeEnum": {
        // A numeric TS enum also maps numbers back to names: keep the values (as zod does).
        const e = d.values as Record<string, unknown>;
        return union(Object.keys(e).filter((k) => typeof e[e[k] as string] !== "number").map((k) => literal(e[k])));
      }
      case "ZodOptional":
      case "ZodNullable":
        return d.typeName === "ZodNullable" ? union([go(d.innerType), { kind: "null" }]) : go(d.innerType);
      case "ZodDefault":
      case "ZodCatch":
      case "ZodReadonly":
        return go(d.innerType);
      case "ZodBranded":
        return go(d.type);
      case "ZodEffects":
        return go(d.schema);
      case "ZodPipeline":
        return go(d.in);
      case "ZodLazy": {
        const getter = d.getter as () => unknown;
        if (lazies.filter((g) => g === getter).length >= MAX_UNFOLD) return { kind: "cut" };
        lazies.push(getter);
        try {
          return go(getter());
        } finally {
          lazies.pop();
        }
      }
      case "ZodArray": {
        const min = (d.exactLength as { value?: number } | null)?.value ?? (d.minLength as { value?: number } | null)?.value;
        const max = (d.exactLength as { value?: number } | null)?.value ?? (d.maxLength as { value?: number } | null)?.value;
        return { kind: "array", items: go(d.type), ...(min ? { minItems: min } : {}), ...(max !== undefined ? { maxItems: max } : {}) };
      }
      case "ZodSet":
        return { kind: "array", items: go(d.valueType), uniqueItems: true };
      case "ZodTuple":
        return { kind: "tuple", items: (d.items as unknown[]).map(go) };
      case "ZodObject": {
        const shape = (d.shape as () => Record<string, unknown>)();
        const fields: FieldShape[] = Object.entries(shape).map(([name, field]) => ({ name, type: go(field), optional: acceptsAbsent(field) }));
        const out: TypeShape = { kind: "object", fields };
        const catchall = d.catchall as Schema | undefined;
        if (catchall && catchall._def.typeName !== "ZodNever") out.rest = go(catchall);
        return out;
      }
      case "ZodRecord":
        return { kind: "object", fields: [], rest: go(d.valueType) };
      case "ZodUnion":
      case "ZodDiscriminatedUnion": {
        const options = d.options instanceof Map ? [...(d.options as Map<unknown, unknown>).values()] : (d.options as unknown[]);
        return union(options.map(go));
      }
      case "ZodIntersection":
        return merge(go(d.left), go(d.right));
      case "ZodNever":
      case "ZodUndefined":
      case "ZodVoid":
        return { kind: "cut" };
      default:
        return { kind: "json" };
    }
  };
  return pruneCuts(go(schema));
}

/** A field the parse accepts absent: optional, default, or a union/wrapper of one. */
function acceptsAbsent(s: unknown): boolean {
  if (!isZod3Schema(s)) return false;
  const d = s._def;
  switch (d.typeName) {
    case "ZodOptional":
    case "ZodDefault":
    case "ZodUndefined":
    case "ZodVoid":
    case "ZodAny":
    case "ZodUnknown":
      return true;
    case "ZodNullable":
    case "ZodReadonly":
    case "ZodCatch":
      return d.typeName === "ZodCatch" || acceptsAbsent(d.innerType);
    case "ZodEffects":
      return acceptsAbsent(d.schema);
    case "ZodBranded":
      return acceptsAbsent(d.type);
    case "ZodPipeline":
      return acceptsAbsent(d.in);
    case "ZodUnion":
      return (d.options as unknown[]).some(acceptsAbsent);
    default:
      return false;
  }
}

type Check = { kind: string; value?: number; inclusive?: boolean; regex?: RegExp };

function checks(d: Def): Check[] {
  return Array.isArray(d.checks) ? (d.checks as Check[]) : [];
}

const FORMAT_OF: Record<string, string> = { email: "email", uuid: "uuid", url: "uri", datetime: "date-time", date: "date", time: "time", ip: "ipv4", duration: "duration" };

function stringShape(list: Check[]): StringShape {
  const out: StringShape = { kind: "string" };
  for (const c of list) {
    if (c.kind === "min" && c.value !== undefined && c.value > 0) out.minLength = Math.max(out.minLength ?? 0, c.value);
    else if (c.kind === "max" && c.value !== undefined) out.maxLength = Math.min(out.maxLength ?? Infinity, c.value);
    else if (c.kind === "length" && c.value !== undefined) [out.minLength, out.maxLength] = [c.value, c.value];
    else if (c.kind === "regex" && c.regex) out.pattern = c.regex.source;
    else if (FORMAT_OF[c.kind]) out.format = FORMAT_OF[c.kind];
  }
  return out;
}

function numberShape(list: Check[]): NumberShape {
  const out: NumberShape = { kind: "number" };
  for (const c of list) {
    if (c.kind === "int") out.integer = true;
    else if (c.kind === "min" && c.value !== undefined) c.inclusive === false ? (out.exclusiveMinimum = c.value) : (out.minimum = c.value);
    else if (c.kind === "max" && c.value !== undefined) c.inclusive === false ? (out.exclusiveMaximum = c.value) : (out.maximum = c.value);
    else if (c.kind === "multipleOf" && c.value !== undefined && c.value > 0) out.multipleOf = c.value;
  }
  return out;
}

function literal(v: unknown): TypeShape {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? { kind: "literal", value: v } : v === null ? { kind: "null" } : { kind: "json" };
}

function union(options: TypeShape[]): TypeShape {
  return options.length === 1 ? (options[0] as TypeShape) : { kind: "union", options };
}

function merge(a: TypeShape, b: TypeShape): TypeShape {
  if (a.kind !== "object" || b.kind !== "object") return a;
  const fields = [...a.fields];
  for (const f of b.fields) if (!fields.some((x) => x.name === f.name)) fields.push(f);
  return { kind: "object", fields };
}
