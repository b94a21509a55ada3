// Turns zod issues into located problems: the YAML node an issue is about,
// what was found, what was expected (from the issue and the schema's
// description) and a "did you mean" for near-miss keys and enum values.
import type { z } from "zod";
import type { Problems } from "./problems.js";
import { clip } from "./clip.js";
import { closest, didYouMean } from "./suggest.js";
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
      if (path.length === 0 && notASpec(root.value, known)) {
        const count = Object.keys(root.value as object).length;
        problems.add(root.node.loc, `this file is not an archverify spec: none of its ${count} top-level key${count === 1 ? " is a spec section" : "s is a spec section"}`, {
          expected: "a mapping with sections such as services and channels",
          hint: "check the path that names this file",
        });
        return;
      }
      for (const key of issue.keys) {
        const entry = found.node.entries?.get(key);
        problems.add(entry?.key ?? found.node.loc, `unknown key "${clip(key)}" in ${subject}`, {
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
      const described = describeSchema(schemaAt(schema, path)) ?? describeSchema(listOf(schema, path));
      problems.add(found.node.loc, `${subject} is ${describeValue(found.value)}`, {
        expected: `${plainExpectation(issue)}${described ? ` (${described})` : ""}`,
      });
      return;
    }
  }
}

/** A top level with no spec section and no near miss of one: another kind of file, whose keys are not worth listing one by one. */
function notASpec(value: unknown, known: readonly string[]): boolean {
  if (value === null || typeof value !== "object" || known.length === 0) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => !known.includes(k) && closest(k, known) === undefined);
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
    else text += `[${JSON.stringify(clip(String(key)))}]`;
  }
  return text;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(clip(value))}`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  return `the number ${String(value)}`;
}

/** What a bound or format issue asks for, in words rather than zod's ("too small: expected string to have >=1 characters"). */
export function plainExpectation(issue: Issue): string {
  switch (issue.code) {
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const bound = Number(small ? issue.minimum : issue.maximum);
      const inclusive = issue.inclusive !== false;
      switch (issue.origin) {
        case "string":
          if (small && bound === 1 && inclusive) return "a non-empty string";
          return `a string of ${issue.exact ? "exactly" : small ? "at least" : "at most"} ${count(inclusive ? bound : small ? bound + 1 : bound - 1, "character")}`;
        case "array":
        case "set":
          if (small && bound === 1 && inclusive) return "a non-empty list";
          return `a list of ${issue.exact ? "exactly" : small ? "at least" : "at most"} ${count(inclusive ? bound : small ? bound + 1 : bound - 1, "item")}`;
        default:
          return `a number ${small ? ">" : "<"}${inclusive ? "=" : ""} ${bound}`;
      }
    }
    case "not_multiple_of":
      return `a multiple of ${issue.divisor}`;
    case "invalid_format":
      // The schema's own message ("must be `path/to/file.ts#exportName`") says what is wanted.
      return issue.message.replace(/^must be /, "").replace(/^Invalid input: /, "");
    default:
      return lowerFirst(issue.message.replace(/^Invalid input: /, ""));
  }
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** The list schema holding the item at `path`, for items without a description of their own. */
function listOf(schema: AnySchema, path: readonly PathKey[]): AnySchema | undefined {
  return typeof path.at(-1) === "number" ? schemaAt(schema, path.slice(0, -1)) : undefined;
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
