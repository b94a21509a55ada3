// YAML text -> plain JSON-like value plus a parallel tree of source locations
// (1-based line/column of every key and value), so that later stages can point
// at the exact node a problem is about. Problems are added to `problems`;
// `undefined` is returned when the text is not usable YAML.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLError } from "yaml";
import { clip } from "./clip.js";
import { parseSimpleYaml } from "./fast-yaml.js";
import type { Problems } from "./problems.js";
import type { LocEntry, LocNode, YamlTree } from "./loc-tree.js";
import type { SourceLocation } from "./types.js";

export type { LocEntry, LocNode, YamlTree } from "./loc-tree.js";

/** Deeper nesting than this is refused (no spec needs it; it protects the stack). */
export const MAX_DEPTH = 200;
/** Aliases may expand the document to at most max(this, 10 x written nodes) nodes. */
export const MIN_ALIAS_EXPANSION_BUDGET = 100_000;

/** The tags of YAML 1.2's core schema, written out (`!!str`) or implied. */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

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
    reportSyntaxErrors(doc.errors, text, at, problems);
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
    if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
      // yaml only warns about a tag it cannot resolve and keeps the plain value: a tag that means something elsewhere would be silently dropped.
      const written = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
      problems.add(tagLoc(node, written) ?? loc, `unsupported YAML tag ${written}`, {
        expected: "a value without a tag (a spec holds plain mappings, lists, strings, numbers, booleans and nulls)",
      });
      failed = true;
      result = { value: null, node: { loc }, size: 1 };
    } else if (isMap(node)) {
      const value: Record<string, unknown> = {};
      const entries = new Map<string, LocEntry>();
      let size = 1;
      for (const pair of node.items as Array<Pair<unknown, unknown>>) {
        const key = keyOf(pair, loc);
        if (key === undefined) continue;
        const previous = entries.get(key.name);
        if (previous) {
          problems.add(key.loc, `duplicate key "${clip(key.name)}"`, {
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

  /** Where the tag of `node` is written: just before its value, on the same line. */
  const tagLoc = (node: Node, written: string): SourceLocation | undefined => {
    if (!node.range) return undefined;
    const offset = text.lastIndexOf(written, node.range[0]);
    return offset >= 0 && !text.slice(offset, node.range[0]).includes("\n") ? at(offset) : undefined;
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

/**
 * One problem per mistake: yaml often reports a mistake several times over
 * (`calls: - x` is "unexpected block-seq-ind" and then "implicit map keys need
 * values" on the same line), so an error starting on the line of, or inside,
 * the one before it is a consequence and is left out. A line indented deeper
 * than the key before it is named as such, at that line, instead of where the
 * value it continues starts.
 */
function reportSyntaxErrors(errors: readonly YAMLError[], text: string, at: (offset: number) => SourceLocation, problems: Problems): void {
  const found: Array<{ start: number; end: number; report: () => void }> = [];
  const covered: Array<[number, number]> = [];
  for (const e of errors) {
    const offset = overIndentedLine(e, text);
    if (offset === undefined) continue;
    covered.push(e.pos);
    found.push({
      start: offset,
      end: e.pos[1],
      report: () =>
        problems.add(at(offset), `YAML syntax error: this line is indented more than line ${at(lineStartBefore(text, offset)).line}, so YAML reads it as part of the value on that line`, {
          expected: "each key of a mapping at the same indentation (or a value written on one line)",
        }),
    });
  }
  for (const e of errors) {
    if (covered.some(([from, to]) => e.pos[0] >= from && e.pos[0] <= to)) continue;
    const loc = at(e.pos[0]);
    found.push({
      start: e.pos[0],
      end: e.pos[1],
      report: () => {
        // yaml turns a stack overflow on deep nesting into an error of its own.
        if (/Maximum call stack/.test(e.message)) problems.add(loc, "the YAML is nested too deeply to parse", { expected: `at most ${MAX_DEPTH} levels of nesting` });
        else if (e.code === "MULTIPLE_DOCS") {
          problems.add(loc, "YAML syntax error: the file holds several YAML documents (this `---` starts another)", {
            expected: "one document per spec file; put the others in files named under `include:`",
          });
        } else problems.add(loc, `YAML syntax error: ${firstLine(e.message)}`, { expected: "valid YAML" });
      },
    });
  }
  found.sort((a, b) => a.start - b.start);
  let last: { line: number; end: number } | undefined;
  for (const f of found) {
    const line = at(f.start).line;
    if (last && (line === last.line || f.start < last.end)) continue;
    last = { line, end: f.end };
    f.report();
  }
}

/** For "implicit key on several lines": the offset of the first line that continues the key's line while indented deeper than it. */
function overIndentedLine(error: YAMLError, text: string): number | undefined {
  if (error.code !== "MULTILINE_IMPLICIT_KEY") return undefined;
  const [start, end] = error.pos;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const indent = indentAt(text, lineStart);
  for (let i = text.indexOf("\n", start); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) {
    const next = i + 1;
    const nextIndent = indentAt(text, next);
    const first = text.charAt(next + nextIndent);
    if (first === "\n" || first === "\r" || first === "#" || first === "") continue;
    return nextIndent > indent ? next + nextIndent : undefined;
  }
  return undefined;
}

function indentAt(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charAt(i) === " ") i++;
  return i - lineStart;
}

/** The start of the last non-blank line before the one holding `offset`. */
function lineStartBefore(text: string, offset: number): number {
  let end = text.lastIndexOf("\n", offset - 1);
  while (end > 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    if (text.slice(start, end).trim() !== "") return start;
    end = start - 1;
  }
  return 0;
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
