// YAML text -> plain JSON-like value plus a parallel tree of source locations
// (1-based line/column of every key and value), so that later stages can point
// at the exact node a problem is about. Problems are added to `problems`;
// `undefined` is returned when the text is not usable YAML.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import { parseSimpleYaml } from "./fast-yaml.js";
import type { Problems } from "./problems.js";
import type { LocEntry, LocNode, YamlTree } from "./loc-tree.js";
import type { SourceLocation } from "./types.js";

export type { LocEntry, LocNode, YamlTree } from "./loc-tree.js";

/** Deeper nesting than this is refused (no spec needs it; it protects the stack). */
export const MAX_DEPTH = 200;
/** Aliases may expand the document to at most max(this, 10 x written nodes) nodes. */
export const MIN_ALIAS_EXPANSION_BUDGET = 100_000;

interface Converted {
  value: unknown;
  node: LocNode;
  /** Number of nodes once every alias is expanded. */
  size: number;
}

export function parseYamlTree(text: string, file: string, problems: Problems, options: { fast?: boolean } = {}): YamlTree | undefined {
  if (options.fast !== false) {
    const simple = parseSimpleYaml(text, file);
    if (simple) return simple;
  }
  const lineCounter = new LineCounter();
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  let doc: Document.Parsed;
  try {
    // uniqueKeys is checked below (yaml's own check is quadratic in the size of a mapping).
    doc = withPlainEnv(() => parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, version: "1.2", schema: "core", merge: false }));
  } catch (error) {
    if (error instanceof RangeError) {
      problems.add({ file, line: 1, column: 1 }, "the YAML is nested too deeply to parse", { expected: `at most ${MAX_DEPTH} levels of nesting` });
      return undefined;
    }
    throw error;
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      // yaml turns a stack overflow on deep nesting into an error of its own.
      if (/Maximum call stack/.test(e.message)) {
        problems.add(at(e.pos[0]), "the YAML is nested too deeply to parse", { expected: `at most ${MAX_DEPTH} levels of nesting` });
      } else {
        problems.add(at(e.pos[0]), `YAML syntax error: ${firstLine(e.message)}`, { expected: "valid YAML" });
      }
    }
    return undefined;
  }
  if (doc.contents === null) {
    problems.add({ file, line: 1, column: 1 }, "the spec is empty", { expected: "a mapping with `archverify: 1` and sections such as services and channels" });
    return undefined;
  }

  const done = new Map<Node, Converted>();
  const inProgress = new Set<Node>();
  let written = 0;
  let biggestAlias: { loc: SourceLocation; size: number; name: string } | undefined;
  let failed = false;

  const convert = (node: Node, depth: number, loc: SourceLocation): Converted => {
    if (depth > MAX_DEPTH) {
      if (!failed) problems.add(loc, `the YAML is nested more than ${MAX_DEPTH} levels deep`, { expected: "a shallower spec" });
      failed = true;
      return { value: null, node: { loc }, size: 1 };
    }
    if (isAlias(node)) {
      written++;
      const target = node.resolve(doc);
      if (!target) {
        problems.add(loc, `alias *${node.source} has no anchor`, { expected: `an anchor &${node.source} before it` });
        failed = true;
        return { value: null, node: { loc }, size: 1 };
      }
      if (inProgress.has(target)) {
        problems.add(loc, `alias *${node.source} refers to a node that contains it`, { expected: "an alias to a node outside the anchored one" });
        failed = true;
        return { value: null, node: { loc }, size: 1 };
      }
      const result = done.get(target) ?? convert(target, depth, target.range ? at(target.range[0]) : loc);
      if (!biggestAlias || result.size > biggestAlias.size) biggestAlias = { loc, size: result.size, name: node.source };
      return result;
    }
    // Only anchored nodes can be aliased, so only they are remembered.
    const anchored = Boolean(node.anchor);
    if (anchored) {
      const memo = done.get(node);
      if (memo) return memo;
      inProgress.add(node);
    }
    written++;
    let result: Converted;
    if (isMap(node)) {
      const value: Record<string, unknown> = {};
      const entries = new Map<string, LocEntry>();
      let size = 1;
      for (const pair of node.items as Array<Pair<unknown, unknown>>) {
        const key = keyOf(pair, loc);
        if (key === undefined) continue;
        const previous = entries.get(key.name);
        if (previous) {
          problems.add(key.loc, `duplicate key "${key.name}"`, {
            expected: `each key once in a mapping (first at line ${previous.key.line}, column ${previous.key.column})`,
          });
          continue;
        }
        const child = childOf(pair.value, key.loc, depth);
        value[key.name] = child.value;
        entries.set(key.name, { key: key.loc, value: child.node });
        size += child.size;
      }
      result = { value, node: { loc, entries }, size };
    } else if (isSeq(node)) {
      const value: unknown[] = [];
      const items: LocNode[] = [];
      let size = 1;
      for (const item of node.items) {
        const child = childOf(item, loc, depth);
        value.push(child.value);
        items.push(child.node);
        size += child.size;
      }
      result = { value, node: { loc, items }, size };
    } else if (isScalar(node)) {
      result = { value: scalarValue(node.value, loc), node: { loc }, size: 1 };
    } else {
      problems.add(loc, "unsupported YAML node", { expected: "a mapping, a list or a scalar" });
      failed = true;
      result = { value: null, node: { loc }, size: 1 };
    }
    if (anchored) {
      inProgress.delete(node);
      done.set(node, result);
    }
    return result;
  };

  const childOf = (item: unknown, fallback: SourceLocation, depth: number): Converted => {
    if (item === null || item === undefined) return { value: null, node: { loc: fallback }, size: 1 };
    const node = item as Node;
    // An empty value (`key:` then a newline) has its range at the next token; point at the key instead.
    const empty = isScalar(node) && node.value === null && !node.source;
    return convert(node, depth + 1, empty || !node.range ? fallback : at(node.range[0]));
  };

  const keyOf = (pair: Pair<unknown, unknown>, mapLoc: SourceLocation): { name: string; loc: SourceLocation } | undefined => {
    const keyNode = pair.key as Node | null;
    const loc = keyNode?.range ? at(keyNode.range[0]) : mapLoc;
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === "object") {
      problems.add(loc, "a mapping key must be a plain name", { expected: "a name such as `services` or `order`" });
      return undefined;
    }
    const name = String(keyNode.value);
    if (name === "<<") {
      problems.add(loc, "YAML merge keys (<<) are not supported", { expected: "the fields written out", hint: "an anchor and alias can still repeat a whole value (&calls ... *calls)" });
      failed = true;
      return undefined;
    }
    if (name === "__proto__") {
      problems.add(loc, 'the key "__proto__" is reserved', { expected: "another name" });
      return undefined;
    }
    return { name, loc };
  };

  const scalarValue = (value: unknown, loc: SourceLocation): unknown => {
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    if (typeof value === "bigint") return Number(value);
    problems.add(loc, "unsupported YAML value", { expected: "a string, number, boolean or null" });
    failed = true;
    return null;
  };

  const root = doc.contents as Node;
  const rootLoc = root.range ? at(root.range[0]) : { file, line: 1, column: 1 };
  const tree = convert(root, 0, rootLoc);
  const budget = Math.max(MIN_ALIAS_EXPANSION_BUDGET, 10 * written);
  if (tree.size > budget && biggestAlias) {
    problems.add(biggestAlias.loc, `aliases expand the spec to ${formatCount(tree.size)} nodes from ${written} written (alias *${biggestAlias.name} alone is ${formatCount(biggestAlias.size)})`, {
      expected: `at most ${formatCount(budget)} nodes after expanding aliases`,
      hint: "this looks like an alias bomb (\"billion laughs\"); write the values out instead",
    });
    return undefined;
  }
  return failed ? undefined : { value: tree.value, node: tree.node };
}

/** yaml's parser reads `process.env.LOG_TOKENS` for every token, and
 * `process.env` is a slow host object: with a plain copy in its place during
 * the (synchronous, so unobservable) parse, large specs parse about 1.5x faster. */
function withPlainEnv<T>(parse: () => T): T {
  const env = process.env;
  process.env = { ...env };
  try {
    return parse();
  } finally {
    process.env = env;
  }
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "").trim();
}

function formatCount(n: number): string {
  return n >= 1e6 ? n.toExponential(2).replace("e+", "e") : String(n);
}
