// The fast reader of plain YAML agrees with the `yaml` path on every text it
// accepts (values and every location), and accepts the machine-written style.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify, type ToStringOptions } from "yaml";
import { parseSimpleYaml } from "../../src/spec/fast-yaml.js";
import { Problems } from "../../src/spec/problems.js";
import { parseYamlTree } from "../../src/spec/yaml-tree.js";
import { VALID_SPEC } from "./valid-spec.js";

const FILE = "/virtual/spec.yaml";

function slow(text: string) {
  const problems = new Problems();
  const tree = parseYamlTree(text, FILE, problems, { fast: false });
  return problems.size === 0 ? tree : undefined;
}

/** When the fast reader accepts `text`, the yaml path accepts it too, with the same tree. */
function agrees(text: string): boolean {
  const fast = parseSimpleYaml(text, FILE);
  if (fast === undefined) return false;
  const reference = slow(text);
  expect(reference, text).toBeDefined();
  expect(fast, text).toEqual(reference);
  return true;
}

// Mostly ordinary names and values, with the odd ones that must make the fast reader give up.
const key = fc.oneof(
  { arbitrary: fc.constantFrom("services", "calls", "to", "events", "a", "b-c", "x.y", "s0001", "404", "true", "null", "~", "0x1", "1.5", "__proto__", "<<", "a b", "k:v", "-k", "é"), weight: 1 },
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), weight: 6 },
);
const scalar = fc.oneof(
  { arbitrary: fc.constantFrom("order", "/orders", "grpc", "a b", "a  b", "", " x", "x ", "yes", "True", "FALSE", "Null", "~", "0", "7", "07", "1e3", "-1", "1.5", ".inf", "0x1f", "a: b", "a #b", "#x", "[x]", "{x}", "x,y", "'q'", '"q"', "a\\b", "&a", "*a", "!x", "|", ">", "-", "- a", "?", "@x", "`x`", "é", "a\tb", "line\nbreak", "café — ü", "日本", "😀", "a\u00a0", "\u00a0", "x\u0085y", "a\u2028b", "\ufeffx", "a # b", "#", "x #", "'a' # b", "\"#\"", "x.ts#y", "../a/b.ts#c", "./x", "..", "../", ".5", "./#", ".inf", "a#", "a# b"), weight: 1 },
  { arbitrary: fc.stringMatching(/^[a-z/][a-z0-9./_-]{0,8}$/), weight: 8 },
  { arbitrary: fc.integer({ min: -5, max: 2_000_000 }), weight: 2 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, tie("map"), tie("list")),
  map: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  list: fc.array(tie("value"), { maxLength: 4 }),
})).map as fc.Arbitrary<Record<string, unknown>>;

const styles: fc.Arbitrary<ToStringOptions> = fc.record({
  collectionStyle: fc.constantFrom("any", "block", "flow"),
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  flowCollectionPadding: fc.boolean(),
  defaultStringType: fc.constantFrom("PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"),
  lineWidth: fc.constantFrom(0, 40, 80),
});

describe("parseSimpleYaml", () => {
  it("agrees with the yaml path on generated documents in every style", () => {
    let accepted = 0;
    fc.assert(
      fc.property(tree, styles, (value, options) => {
        if (agrees(stringify(value, options))) accepted++;
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 600) },
    );
    // The property is not vacuous: a good share of the documents take the fast path.
    expect(accepted).toBeGreaterThan(60);
  });

  const pieces = fc.constantFrom(" ", "  ", "\n", "\n  ", "- ", ": ", ",", "{", "}", "[", "]", "#", "'", '"', "x", "1", "\r\n", "\t", "null", "a:", " # c", "é", "\u00a0", "'#'");
  const edits = fc.array(fc.tuple(fc.nat(), pieces, fc.boolean()), { minLength: 1, maxLength: 3 });

  it("agrees with the yaml path on mutated generated documents", () => {
    fc.assert(
      fc.property(tree, styles, edits, (value, options, changes) => {
        let text = stringify(value, options);
        for (const [at, piece, remove] of changes) {
          const i = at % (text.length + 1);
          text = remove ? text.slice(0, i) + text.slice(i + piece.length) : text.slice(0, i) + piece + text.slice(i);
        }
        agrees(text);
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 600) },
    );
  });

  it("agrees with the yaml path on mutated specs", () => {
    let accepted = 0;
    fc.assert(
      fc.property(edits, (edits) => {
        let text = VALID_SPEC;
        for (const [at, piece, remove] of edits) {
          const i = at % (text.length + 1);
          text = remove ? text.slice(0, i) + text.slice(i + piece.length) : text.slice(0, i) + piece + text.slice(i);
        }
        if (agrees(text)) accepted++;
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 600) },
    );
    expect(accepted).toBeGreaterThan(60);
  });

  // Comments as people write them: after a value, after a key, with quotes, `#` and non-ASCII inside,
  // and look-alikes that are not comments (`a#b`).
  const comment = fc.constantFrom(" # note", "  # with 'quotes' and \"more\"", " #", " # café — ✓", " # a: b, [c] {d}", "#glued", " ## double", " # - item");
  const commented = fc.array(fc.tuple(fc.nat(), comment), { minLength: 1, maxLength: 6 });

  it("agrees with the yaml path on documents with trailing comments", () => {
    let accepted = 0;
    fc.assert(
      fc.property(tree, styles, commented, (value, options, notes) => {
        const lines = stringify(value, options).split("\n");
        for (const [at, note] of notes) {
          const i = at % lines.length;
          if (lines[i] !== "") lines[i] += note;
        }
        if (agrees(lines.join("\n"))) accepted++;
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 600) },
    );
    expect(accepted).toBeGreaterThan(60);
  });

  it("takes the hand-written style: comments, quoted text with any letters", () => {
    const text = [
      "# yaml-language-server: $schema=./node_modules/archverify/schema.json",
      "archverify: 1   # format version",
      "contexts:",
      '  ordering: { owner: team-orders, description: "Bestellungen — Aufträge #1" }  # the core',
      "services:",
      "  order: # the order service",
      "    context: ordering",
      "    description: 'handles /orders (über HTTP) # not a comment'",
      "    calls: [ { to: payment, protocol: grpc } ] # sync",
      "  payment: {}",
      "",
    ].join("\n");
    expect(agrees(text)).toBe(true);
    expect(agrees(text.replaceAll("\n", "\r\n"))).toBe(true);
  });

  it("takes the machine-written style of large generated specs", () => {
    const lines = ["# generated", "archverify: 1", "contexts:", "  c0: { owner: team-c0 }", "layers: [edge, core]", "services:"];
    for (let i = 0; i < 500; i++) {
      lines.push(`  s${i}: { context: c0, layer: core, datastores: [c0-db], calls: [{ to: s${(i + 1) % 500} }, { to: s${(i + 7) % 500}, protocol: grpc }] }`);
    }
    lines.push("channels:", "  c0-events:", "    events: [E0, E1]", "    producers:", "    - s0", "    consumers:", "      - s1", "gateway:", "  routes:", '    - { path: "/c0", to: s0, plugins: [auth] }');
    const text = `${lines.join("\n")}\n`;
    expect(agrees(text)).toBe(true);
    expect(agrees(text.replaceAll("\n", "\r\n"))).toBe(true);
    expect(agrees(VALID_SPEC)).toBe(true);
  });

  it("leaves everything outside the subset to yaml", () => {
    for (const text of ["a: &x 1\nb: *x\n", "a: |\n  text\n", "a: b\na: c\n", "- a\n- b\n  c\n", "a: 'it''s'\n", "a: \"\\t\"\n", "a: 1.5\n", "a: 'x # y\n  z'\n", "a: b\u00a0\n", "a: café\n", "a: \"x\u0085\"\n", "--- \na: 1\n", "\ta: 1\n", "a:\n  -\n    x: 1\n", "a:\n  - x: 1\n   y: 2\n", "  a: 1\n", "just text\n", ""]) {
      expect(parseSimpleYaml(text, FILE), JSON.stringify(text)).toBeUndefined();
    }
  });
});
