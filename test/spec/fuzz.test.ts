// The loader, fed random and mutated specs, only ever returns a Spec or throws
// a typed diagnostic located in a file that exists: never another exception.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadSpecText } from "../../src/spec/load.js";
import { decodeSpecBytes } from "../../src/spec/read.js";
import { VALID_SPEC, expectLocatedDiagnostics } from "./helpers.js";

type Outcome = "spec" | "errors";

/** Runs the loader on bytes as the CLI would (decode, then load) and classifies the result. */
function outcomeOf(bytes: Uint8Array, file: string): Outcome {
  try {
    loadSpecText(decodeSpecBytes(bytes, file), file);
    return "spec";
  } catch (error) {
    expectLocatedDiagnostics(error);
    return "errors";
  }
}

const text = (s: string) => new TextEncoder().encode(s);

// Pieces of YAML syntax and spec vocabulary, so mutations reach deep into the loader.
const tokens = fc.constantFrom(
  ":", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "? ", "|\n", ">\n", "#", "\"", "'", "\t", "\n", "\n  ", "  ", "---\n", "<<: ", "~", "null", "true", "1e9", "-1",
  "services", "channels", "calls", "to", "events", "include", "archverify", "layers", "rules", "name", "severity", "order", "inventory", "OrderPlaced", "__proto__", "constructor",
);

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), what: fc.oneof(tokens, fc.string({ maxLength: 8 }), fc.stringMatching(/^[\x00-\x7f]{0,4}$/)) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("swapLines" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant("bytes" as const), at: fc.nat(), what: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function applyTextMutations(source: string, mutations: readonly TextMutation[]): Uint8Array {
  let bytes: Uint8Array = text(source);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : ("at" in m ? m.at % (bytes.length + 1) : 0);
    if (m.kind === "insert" || m.kind === "bytes") {
      const piece = m.kind === "insert" ? text(m.what) : m.what;
      bytes = concat(bytes.subarray(0, at), piece, bytes.subarray(at));
    } else if (m.kind === "delete") {
      bytes = concat(bytes.subarray(0, at), bytes.subarray(at + m.length));
    } else {
      const lines = new TextDecoder().decode(bytes).split("\n");
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
      bytes = text(lines.join("\n"));
    }
  }
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

// Tree mutations: pick a node by a walk of indices, then delete, rename or replace it.
const treeMutation = fc.record({
  walk: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
  kind: fc.constantFrom("delete", "rename", "replace", "wrap"),
  newKey: fc.oneof(tokens, fc.string({ maxLength: 6 })),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), tokens),
});
type TreeMutation = typeof treeMutation extends fc.Arbitrary<infer T> ? T : never;

function applyTreeMutation(root: unknown, m: TreeMutation): void {
  let parent: Record<string, unknown> | unknown[] | undefined;
  let key: string | number | undefined;
  let node: unknown = root;
  for (const step of m.walk) {
    if (node === null || typeof node !== "object") break;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    key = keys[step % keys.length] as string | number;
    parent = node as Record<string, unknown> | unknown[];
    node = (parent as Record<string | number, unknown>)[key];
  }
  if (parent === undefined || key === undefined) return;
  const container = parent as Record<string | number, unknown>;
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete container[key];
  } else if (m.kind === "rename" && !Array.isArray(parent) && m.newKey !== "__proto__") {
    const value = container[key];
    delete container[key];
    container[m.newKey] = value;
  } else if (m.kind === "replace") {
    container[key] = m.value;
  } else if (m.kind === "wrap") {
    container[key] = [container[key]];
  }
}

describe("spec loader fuzz", () => {
  // One scratch folder for the whole suite (helpers' scratch() is cleaned after each test).
  const dir = mkdtempSync(join(tmpdir(), "archverify-fuzz-"));
  const file = join(dir, "spec.yaml");
  writeFileSync(file, VALID_SPEC);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads the unmutated spec", () => {
    expect(outcomeOf(text(VALID_SPEC), file)).toBe("spec");
  });

  it("survives random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        outcomeOf(bytes, file);
      }),
      { numRuns: 300 },
    );
  });

  it("survives random YAML-ish text", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(tokens, fc.string({ maxLength: 5 })), { maxLength: 40 }), (pieces) => {
        outcomeOf(text(pieces.join("")), file);
      }),
      { numRuns: 300 },
    );
  });

  it("survives text mutations of a valid spec", () => {
    const seen = new Set<Outcome>();
    fc.assert(
      fc.property(fc.array(textMutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        seen.add(outcomeOf(applyTextMutations(VALID_SPEC, mutations), file));
      }),
      { numRuns: 250 },
    );
    // Both outcomes occur, so the property exercised loading as well as rejecting.
    expect([...seen].sort()).toEqual(["errors", "spec"]);
  });

  it("survives tree mutations of a valid spec (deleted and renamed keys, swapped types)", () => {
    const seen = new Set<Outcome>();
    fc.assert(
      fc.property(fc.array(treeMutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const tree = parse(VALID_SPEC) as unknown;
        for (const m of mutations) applyTreeMutation(tree, m);
        seen.add(outcomeOf(text(stringify(tree)), file));
      }),
      { numRuns: 250 },
    );
    expect([...seen].sort()).toEqual(["errors", "spec"]);
  });
});
