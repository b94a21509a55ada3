// JSON Schema -> TypeShape, for event schemas users write with zod (zod 4's
// `z.toJSONSchema`) or by hand. Covers what event schemas use: type, const,
// enum, anyOf/oneOf, allOf of objects, properties/required,
// additionalProperties, items/prefixItems, $ref into $defs (bounded), and the
// constraints a generated value must meet: minimum/maximum (and exclusive,
// both the number and the draft-4 boolean forms), multipleOf,
// minLength/maxLength, pattern, format, minItems/maxItems, uniqueItems.
import type { ArrayShape, FieldShape, NumberShape, StringShape, TypeShape } from "./type-shape.js";
import { pruneCuts } from "./type-shape.js";

type Schema = Record<string, unknown> | boolean;
const MAX_REF_DEPTH = 2;

export function shapeFromJsonSchema(root: Schema): TypeShape {
  const defs = (typeof root === "object" ? (root.$defs ?? root.definitions ?? {}) : {}) as Record<string, Schema>;
  const refs: string[] = [];
  const go = (s: Schema): TypeShape => {
    if (s === true || s === undefined) return { kind: "json" };
    if (s === false) return { kind: "cut" };
    if (typeof s.$ref === "string") {
      const name = s.$ref.replace(/^#\/(\$defs|definitions)\//, "");
      const target = name === "#" ? root : defs[name];
      if (target === undefined || refs.filter((r) => r === name).length >= MAX_REF_DEPTH) return { kind: "cut" };
      refs.push(name);
      try {
        return go(target);
      } finally {
        refs.pop();
      }
    }
    if ("const" in s) return literal(s.const);
    if (Array.isArray(s.enum)) return union(s.enum.map(literal));
    const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (Array.isArray(alternatives)) return union(alternatives.map(go));
    if (Array.isArray(s.allOf)) return mergeObjects((s.allOf as Schema[]).map(go));
    const type = s.type;
    if (Array.isArray(type)) return union(type.map((t) => go({ ...s, type: t })));
    switch (type) {
      case "string":
        return stringShape(s);
      case "integer":
        return numberShape(s, true);
      case "number":
        return numberShape(s, false);
      case "boolean":
        return { kind: "boolean" };
      case "null":
        return { kind: "null" };
      case "array":
        if (Array.isArray(s.prefixItems)) return { kind: "tuple", items: (s.prefixItems as Schema[]).map(go) };
        if (Array.isArray(s.items)) return { kind: "tuple", items: (s.items as Schema[]).map(go) }; // draft 4-7 tuples
        return { kind: "array", items: s.items === undefined ? { kind: "json" } : go(s.items as Schema), ...arrayBounds(s) };
      case "object":
      case undefined: {
        if (type === undefined && !s.properties) return { kind: "json" };
        const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const fields: FieldShape[] = Object.keys(props).map((name) => ({ name, type: go(props[name] as Schema), optional: !required.has(name) }));
        const shape: TypeShape = { kind: "object", fields };
        const extra = s.additionalProperties;
        if (extra && typeof extra === "object") shape.rest = go(extra as Schema);
        return shape;
      }
      default:
        return { kind: "json" };
    }
  };
  return pruneCuts(go(root));
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function stringShape(s: Record<string, unknown>): StringShape {
  const out: StringShape = { kind: "string" };
  if (typeof s.format === "string") out.format = s.format;
  if (typeof s.pattern === "string") out.pattern = s.pattern;
  const min = num(s.minLength);
  const max = num(s.maxLength);
  if (min !== undefined && min > 0) out.minLength = min;
  if (max !== undefined) out.maxLength = max;
  return out;
}

function numberShape(s: Record<string, unknown>, integer: boolean): NumberShape {
  const out: NumberShape = { kind: "number", ...(integer ? { integer } : {}) };
  const minimum = num(s.minimum);
  const maximum = num(s.maximum);
  // Draft 4: exclusiveMinimum: true makes `minimum` exclusive.
  if (s.exclusiveMinimum === true && minimum !== undefined) out.exclusiveMinimum = minimum;
  else if (minimum !== undefined) out.minimum = minimum;
  if (s.exclusiveMaximum === true && maximum !== undefined) out.exclusiveMaximum = maximum;
  else if (maximum !== undefined) out.maximum = maximum;
  const exMin = num(s.exclusiveMinimum);
  const exMax = num(s.exclusiveMaximum);
  if (exMin !== undefined) out.exclusiveMinimum = exMin;
  if (exMax !== undefined) out.exclusiveMaximum = exMax;
  const step = num(s.multipleOf);
  if (step !== undefined && step > 0) out.multipleOf = step;
  return out;
}

function arrayBounds(s: Record<string, unknown>): Omit<ArrayShape, "kind" | "items"> {
  const min = num(s.minItems);
  const max = num(s.maxItems);
  return { ...(min !== undefined && min > 0 ? { minItems: min } : {}), ...(max !== undefined ? { maxItems: max } : {}), ...(s.uniqueItems === true ? { uniqueItems: true } : {}) };
}

function literal(v: unknown): TypeShape {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? { kind: "literal", value: v } : v === null ? { kind: "null" } : { kind: "json" };
}

function union(options: TypeShape[]): TypeShape {
  return options.length === 1 ? (options[0] as TypeShape) : { kind: "union", options };
}

function mergeObjects(parts: TypeShape[]): TypeShape {
  const fields: FieldShape[] = [];
  for (const p of parts) {
    if (p.kind !== "object") return p;
    for (const f of p.fields) if (!fields.some((x) => x.name === f.name)) fields.push(f);
  }
  return { kind: "object", fields };
}
