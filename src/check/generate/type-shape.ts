// A serialisable description of the JSON values a type admits. The TypeScript
// analysis (ts-morph, main thread) and JSON Schemas (from zod) both produce it;
// the sandbox worker turns it into a fast-check arbitrary (arbitrary.ts).
// Constraints (bounds, lengths, formats, patterns) are those of JSON Schema:
// a generated value must be one the type or schema admits, so that a correct
// handler never throws on it.
export type TypeShape =
  | StringShape
  | NumberShape
  | { kind: "boolean" }
  | { kind: "null" }
  | { kind: "literal"; value: string | number | boolean }
  /** A template literal type: texts[0] + types[0] + texts[1] + ... + texts[n]. */
  | { kind: "template"; texts: string[]; types: TypeShape[] }
  | ArrayShape
  | { kind: "tuple"; items: TypeShape[] }
  | { kind: "object"; fields: FieldShape[]; rest?: TypeShape }
  | { kind: "union"; options: TypeShape[] }
  /** unknown / any: small JSON values. */
  | { kind: "json" }
  /** No value: a recursive type past its unfolding bound, never, a false schema.
   * `pruneCuts` moves it up to where the type allows nothing (an optional field,
   * an empty array, another union member). */
  | { kind: "cut" };

export interface StringShape {
  kind: "string";
  /** JSON Schema format: date-time, date, time, email, uuid, uri, ipv4, ... */
  format?: string;
  /** The declared type is a Date, which a JSON message carries as this (ISO) string. */
  date?: true;
  minLength?: number;
  maxLength?: number;
  /** A JSON Schema (ECMAScript) regular expression, unanchored. */
  pattern?: string;
}

export interface NumberShape {
  kind: "number";
  integer?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

export interface ArrayShape {
  kind: "array";
  items: TypeShape;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

export interface FieldShape {
  name: string;
  type: TypeShape;
  optional: boolean;
}

/**
 * Moves every `cut` up to the nearest place where the type allows leaving the
 * value out: an optional field is omitted, an array is empty, a union keeps its
 * other members. A required field, a tuple element or an array with minItems
 * that is cut makes its parent cut. The result holds `cut` only as an array's
 * items (the array is then empty) or as the whole shape (no finite value).
 */
export function pruneCuts(shape: TypeShape): TypeShape {
  switch (shape.kind) {
    case "union": {
      const options = shape.options.map(pruneCuts).filter((o) => o.kind !== "cut");
      if (options.length === 0) return CUT;
      return options.length === 1 ? (options[0] as TypeShape) : { kind: "union", options };
    }
    case "array": {
      const items = pruneCuts(shape.items);
      if (items.kind === "cut" && (shape.minItems ?? 0) > 0) return CUT;
      return { ...shape, items };
    }
    case "tuple": {
      const items = shape.items.map(pruneCuts);
      return items.some((i) => i.kind === "cut") ? CUT : { kind: "tuple", items };
    }
    case "template": {
      const types = shape.types.map(pruneCuts);
      return types.some((i) => i.kind === "cut") ? CUT : { ...shape, types };
    }
    case "object": {
      const fields: FieldShape[] = [];
      for (const f of shape.fields) {
        const type = pruneCuts(f.type);
        if (type.kind !== "cut") fields.push({ ...f, type });
        else if (!f.optional) return CUT;
      }
      const out: TypeShape = { kind: "object", fields };
      const rest = shape.rest && pruneCuts(shape.rest);
      if (rest && rest.kind !== "cut") out.rest = rest;
      return out;
    }
    default:
      return shape;
  }
}

const CUT: TypeShape = { kind: "cut" };

/** Paths (`data.now`, `items[].at`) of the fields declared Date, which arrive as ISO strings in JSON. */
export function datePaths(shape: TypeShape, path = "", depth = 0): string[] {
  if (depth > 8) return [];
  switch (shape.kind) {
    case "string":
      return shape.date && path ? [path] : [];
    case "object":
      return shape.fields.flatMap((f) => datePaths(f.type, path ? `${path}.${f.name}` : f.name, depth + 1));
    case "array":
      return datePaths(shape.items, `${path}[]`, depth + 1);
    case "union":
      return [...new Set(shape.options.flatMap((o) => datePaths(o, path, depth + 1)))];
    default:
      return [];
  }
}

/** The options of a union, flattened (a non-union is its own single option). */
export function unionOptions(shape: TypeShape): TypeShape[] {
  return shape.kind === "union" ? shape.options.flatMap(unionOptions) : [shape];
}

/** The literal `type` of an object shape, if it has one. */
export function literalType(shape: TypeShape): string | undefined {
  if (shape.kind !== "object") return undefined;
  const f = shape.fields.find((x) => x.name === "type");
  return f && f.type.kind === "literal" && typeof f.type.value === "string" ? f.type.value : undefined;
}

/** Event shapes by their literal `type`; options without one go under "*". */
export function shapesByEventType(shape: TypeShape): Map<string, TypeShape> {
  const groups = new Map<string, TypeShape[]>();
  for (const option of unionOptions(shape)) {
    const inner = literalTypeOptions(option);
    for (const [type, s] of inner) groups.set(type, [...(groups.get(type) ?? []), s]);
  }
  return new Map([...groups].map(([t, list]) => [t, list.length === 1 ? (list[0] as TypeShape) : { kind: "union", options: list }]));
}

/** An object whose `type` is a union of literals stands for one shape per literal. */
function literalTypeOptions(option: TypeShape): [string, TypeShape][] {
  if (option.kind !== "object") return [["*", option]];
  const f = option.fields.find((x) => x.name === "type");
  if (!f) return [["*", option]];
  const literals = unionOptions(f.type).filter((t): t is { kind: "literal"; value: string } => t.kind === "literal" && typeof t.value === "string");
  if (literals.length === 0 || literals.length !== unionOptions(f.type).length) return [["*", option]];
  return literals.map((l) => [
    l.value,
    { ...option, fields: option.fields.map((x) => (x.name === "type" ? { ...x, type: l, optional: false } : x)) },
  ]);
}
