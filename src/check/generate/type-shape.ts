// A serialisable description of the JSON values a type admits. The TypeScript
// analysis (ts-morph, main thread) and JSON Schemas (from zod) both produce it;
// the sandbox worker turns it into a fast-check arbitrary (arbitrary.ts).
export type TypeShape =
  | { kind: "string"; format?: "date-time" }
  | { kind: "number"; integer?: boolean }
  | { kind: "boolean" }
  | { kind: "null" }
  | { kind: "literal"; value: string | number | boolean }
  | { kind: "array"; items: TypeShape }
  | { kind: "tuple"; items: TypeShape[] }
  | { kind: "object"; fields: FieldShape[]; rest?: TypeShape }
  | { kind: "union"; options: TypeShape[] }
  /** unknown / any: small JSON values. */
  | { kind: "json" }
  /** A recursive type past its depth bound: generate nothing more. */
  | { kind: "cut" };

export interface FieldShape {
  name: string;
  type: TypeShape;
  optional: boolean;
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
