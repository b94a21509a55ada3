// JSON Schema -> TypeShape, for event schemas users write with zod (zod 4's
// `z.toJSONSchema`) or by hand. Covers what event schemas use: type, const,
// enum, anyOf/oneOf, allOf of objects, properties/required,
// additionalProperties, items/prefixItems, $ref into $defs (bounded).
import type { FieldShape, TypeShape } from "./type-shape.js";

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
      const target = defs[name];
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
        return s.format === "date-time" ? { kind: "string", format: "date-time" } : { kind: "string" };
      case "integer":
        return { kind: "number", integer: true };
      case "number":
        return { kind: "number" };
      case "boolean":
        return { kind: "boolean" };
      case "null":
        return { kind: "null" };
      case "array":
        if (Array.isArray(s.prefixItems)) return { kind: "tuple", items: (s.prefixItems as Schema[]).map(go) };
        return { kind: "array", items: s.items === undefined ? { kind: "json" } : go(s.items as Schema) };
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
  return go(root);
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
