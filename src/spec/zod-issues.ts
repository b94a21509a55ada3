// Turns zod issues into located problems: the YAML node an issue is about,
// what was found, what was expected (from the issue and the schema's
// description) and a "did you mean" for near-miss keys and enum values.
import type { z } from "zod";
import type { Problems } from "./problems.js";
import { didYouMean } from "./suggest.js";
import type { SourceLocation } from "./types.js";
import type { LocNode } from "./yaml-tree.js";

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;
type AnySchema = z.core.$ZodType;

export function reportZodIssues(issues: readonly Issue[], root: { value: unknown; node: LocNode }, schema: AnySchema, problems: Problems): void {
  for (const issue of issues) reportIssue(issue, [], root, schema, problems);
}

function reportIssue(issue: Issue, prefix: PathKey[], root: { value: unknown; node: LocNode }, schema: AnySchema, problems: Problems): void {
  const path = [...prefix, ...issue.path];
  const found = locate(root, path);
  const where = found.missing === undefined ? pathText(path) : pathText(path.slice(0, found.depth));
  const subject = where === "" ? "the spec" : `\`${where}\``;
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = objectKeys(schemaAt(schema, path));
      for (const key of issue.keys) {
        const entry = found.node.entries?.get(key);
        problems.add(entry?.key ?? found.node.loc, `unknown key "${key}" in ${subject}`, {
          expected: known.length > 0 ? `one of ${known.join(", ")}` : "no other keys",
          hint: () => didYouMean(key, known),
        });
      }
      return;
    }
    case "invalid_type": {
      const described = describeSchema(schemaAt(schema, path));
      const expected = `${expectedType(issue.expected)}${described ? ` (${described})` : ""}`;
      if (found.missing !== undefined) {
        problems.add(found.node.loc, `${subject} is missing "${String(found.missing)}"`, { expected });
      } else {
        problems.add(found.node.loc, `${subject} is ${describeValue(found.value)}`, { expected });
      }
      return;
    }
    case "invalid_value": {
      const values = issue.values.map((v) => String(v));
      if (path.length === 1 && path[0] === "archverify") {
        problems.add(found.node.loc, `unsupported spec format version ${JSON.stringify(found.value) ?? "(none)"}`, { expected: "`archverify: 1`" });
        return;
      }
      problems.add(found.node.loc, `${subject} is ${describeValue(found.value)}`, {
        expected: values.length === 1 ? `${values[0]}` : `one of ${values.join(", ")}`,
        hint: () => (typeof found.value === "string" ? didYouMean(found.value, values) : undefined),
      });
      return;
    }
    case "invalid_union": {
      // Report the branch that got furthest (the one whose problems are not just "wrong type here").
      const branches = issue.errors.filter((branch) => !branch.every((i) => i.code === "invalid_type" && i.path.length === 0));
      const [best] = branches;
      if (best && branches.length === 1) {
        for (const inner of best) reportIssue(inner, path, root, schema, problems);
        return;
      }
      const described = describeSchema(schemaAt(schema, path));
      problems.add(found.node.loc, `${subject} is ${describeValue(found.value)}`, { expected: described ?? "another kind of value" });
      return;
    }
    case "too_small":
    case "too_big":
    case "invalid_format":
    case "not_multiple_of":
    case "invalid_key":
    case "invalid_element":
    case "custom": {
      const described = describeSchema(schemaAt(schema, path));
      problems.add(found.node.loc, `${subject} is ${describeValue(found.value)}`, {
        expected: `${lowerFirst(issue.message.replace(/^Invalid input: /, ""))}${described ? ` (${described})` : ""}`,
      });
      return;
    }
  }
}

interface Located {
  node: LocNode;
  value: unknown;
  /** How many path segments were found. */
  depth: number;
  /** The first segment not found (a missing key). */
  missing?: PathKey;
}

/** The deepest node on `path` (the container when the last key is missing). */
export function locate(root: { value: unknown; node: LocNode }, path: readonly PathKey[]): Located {
  let node = root.node;
  let value = root.value;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as PathKey;
    let next: LocNode | undefined;
    if (typeof key === "number" && node.items) next = node.items[key];
    else if (node.entries) next = node.entries.get(String(key))?.value;
    if (!next) return { node, value, depth: i, missing: key };
    node = next;
    value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return { node, value, depth: path.length };
}

/** `services.order.calls[0].to` */
export function pathText(path: readonly PathKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(key))) text += text === "" ? String(key) : `.${String(key)}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  return `the number ${String(value)}`;
}

function expectedType(expected: string): string {
  switch (expected) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "int":
      return "an integer";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object":
    case "record":
      return "a mapping";
    case "null":
      return "an empty value";
    default:
      return expected;
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
  element?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
  options?: AnySchema[];
}

const defOf = (schema: AnySchema): Def => schema._zod.def as unknown as Def;

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if (def.innerType) s = def.innerType;
    else if (def.type === "pipe" && def.in) s = def.in;
    else break;
  }
  return s;
}

/** The schema that validates the value at `path` (undefined when the path leaves the schema). */
export function schemaAt(schema: AnySchema, path: readonly PathKey[]): AnySchema | undefined {
  let s: AnySchema | undefined = schema;
  for (const key of path) {
    if (!s) return undefined;
    const def = defOf(unwrap(s));
    if (def.type === "object") s = def.shape?.[String(key)];
    else if (def.type === "record") s = def.valueType;
    else if (def.type === "array") s = def.element;
    else if (def.type === "union") s = def.options?.find((o) => defOf(unwrap(o)).type === (typeof key === "number" ? "array" : "object"));
    else return undefined;
  }
  return s;
}

function objectKeys(schema: AnySchema | undefined): string[] {
  if (!schema) return [];
  const def = defOf(unwrap(schema));
  return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function describeSchema(schema: AnySchema | undefined): string | undefined {
  if (!schema) return undefined;
  const text = (schema as { description?: string }).description ?? (unwrap(schema) as { description?: string }).description;
  if (!text) return undefined;
  return lowerFirst(text.replace(/\.$/, ""));
}
