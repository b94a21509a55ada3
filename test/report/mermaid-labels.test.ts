// Whatever the names, a rendered diagram shows them as written. The fixtures
// name things after Mermaid keywords (end, graph, class, subgraph, style) and
// with dashes, dots, unicode, quotes, #, backticks, brackets, pipes and angle
// brackets, and declare types Mermaid's class syntax cannot write directly
// (nested generics, inline unions, template literals). Every diagram of every
// kind is rendered in headless Chromium and every label of the source (node,
// edge, participant, message, note, class, annotation, member, relation) must be
// in the SVG's text; so must the spec's own names, read from the spec.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagram } from "../../src/report/mermaid/diagrams.js";
import { specDiagrams } from "../../src/report/mermaid/diagrams.js";
import { generateDocs } from "../../src/report/mermaid/docs.js";
import { launchBrowser } from "../../src/report/render/browser.js";
import { renderMany } from "../../src/report/render/mermaid.js";
import { loadSpec } from "../../src/spec/load.js";
import type { Spec } from "../../src/spec/types.js";
import { decodeMermaid, missingLabels, sourceLabels, svgVisibleText } from "./mermaid-labels.js";

const root = join(import.meta.dirname, "../..");
let spec: Spec;
let diagrams: Diagram[];
let svgs: string[];
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "archverify-labels-"));
  spec = await loadSpec(join(root, "test/report/fixtures/awkward/archverify.yaml"));
  // The checks run for real: their counterexamples (traces and handler properties) are drawn too.
  const docs = await generateDocs(spec, { cwd: root, env: process.env, outDir: out, check: { runs: 30 } });
  const types = await specDiagrams(await loadSpec(join(root, "test/report/fixtures/types/archverify.yaml")), { cwd: root });
  diagrams = [...docs.diagrams, ...types.filter((d) => d.kind === "class").map((d) => ({ ...d, id: `types-${d.id}` }))];
  const rendered = await renderMany(
    diagrams.map((d) => d.source),
    process.env,
  );
  svgs = rendered.map((r, i) => {
    if (!r.ok) throw new Error(`${diagrams[i]!.id}: ${r.error}\n${diagrams[i]!.source}`);
    return r.svg;
  });
}, 240_000);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

const svgOf = (id: string) => {
  const i = diagrams.findIndex((d) => d.id === id);
  if (i < 0) throw new Error(`no diagram ${id}; have ${diagrams.map((d) => d.id).join(", ")}`);
  return svgVisibleText(svgs[i]!);
};
const squash = (s: string) => s.replace(/\s+/g, "");
const shows = (text: string, names: readonly string[]) => names.filter((n) => !squash(text).includes(squash(n)));

describe("every label of every diagram, as rendered", () => {
  it("covers every diagram kind and every kind of label", () => {
    expect(new Set(diagrams.map((d) => d.kind))).toEqual(new Set(["topology", "context-map", "event-flow", "class", "counterexample"]));
    const kinds = new Set(diagrams.flatMap((d) => sourceLabels(d.source).map((l) => l.kind)));
    for (const k of ["node", "edge", "participant", "message", "note", "loop", "class", "annotation", "member", "relation", "multiplicity"]) expect(kinds, k).toContain(k);
    // handler property counterexamples (idempotence here) are drawn, not only traces
    expect(diagrams.some((d) => d.id.startsWith("counterexample-idempotence--"))).toBe(true);
  });

  it("shows each label of the source in the SVG's text", () => {
    const missing = diagrams.flatMap((d, i) => missingLabels(d.source, svgs[i]!).map((l) => `${d.id}: ${l.kind} ${JSON.stringify(l.text)}`));
    expect(missing).toEqual([]);
  });

  it("leaves no entity code for a person to read", () => {
    for (const [i, d] of diagrams.entries()) expect(svgVisibleText(svgs[i]!), d.id).not.toMatch(/&#?\w+;|#(?:quot|lt|gt|amp|\d+);/);
  });
});

describe("sequence notes, as rendered", () => {
  it("fit their boxes (long outcomes and messages are wrapped)", async () => {
    const browser = await launchBrowser(process.env);
    try {
      const page = await browser.newPage();
      const overflowing: string[] = [];
      for (const [i, d] of diagrams.entries()) {
        if (!d.source.startsWith("sequenceDiagram")) continue;
        await page.setContent(`<!doctype html><html><body>${svgs[i]}</body></html>`);
        const bad = await page.evaluate(() => {
          type Box = { x: number; width: number };
          const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ getBBox(): Box; nextElementSibling: { getBBox(): Box } | null }> } }).document;
          const out: string[] = [];
          for (const rect of Array.from(doc.querySelectorAll("rect.note"))) {
            const text = rect.nextElementSibling;
            if (!text) continue;
            const r = rect.getBBox();
            const t = text.getBBox();
            if (t.x < r.x - 1 || t.x + t.width > r.x + r.width + 1) out.push(`text ${Math.round(t.x)}+${Math.round(t.width)} outside box ${Math.round(r.x)}+${Math.round(r.width)}`);
          }
          return out;
        });
        overflowing.push(...bad.map((b) => `${d.id}: ${b}`));
      }
      expect(overflowing).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe("the spec's own names, as rendered", () => {
  it("topology: every service, channel, event, datastore and context", () => {
    const text = svgOf("topology");
    const names = [
      ...[...spec.services.values()].map((s) => s.name),
      ...[...spec.channels.values()].flatMap((c) => [c.name, ...c.events.map((e) => e.name)]),
      ...[...spec.datastores.values()].flatMap((d) => [d.name, d.kind ?? ""]),
      ...[...spec.contexts.keys()],
      ...[...spec.services.values()].flatMap((s) => s.calls.map((c) => c.protocol ?? "")),
    ];
    expect(shows(text, names)).toEqual([]);
  });

  it("context map: every context and owner", () => {
    expect(shows(svgOf("context-map"), [...spec.contexts.values()].flatMap((c) => [c.name, c.owner ?? ""]))).toEqual([]);
  });

  it("event flows: one per scenario, with its name and its inputs' types and ids", () => {
    const flows = diagrams.filter((d) => d.kind === "event-flow");
    expect(flows).toHaveLength(spec.scenarios.size);
    expect(new Set(flows.map((f) => f.id)).size).toBe(flows.length);
    for (const s of spec.scenarios.values()) {
      const flow = flows.find((f) => f.title === `Scenario ${s.name}`);
      expect(flow, s.name).toBeDefined();
      const text = svgOf(flow!.id);
      expect(shows(text, [s.name, ...s.inputs.flatMap((i) => [String(i.event.type), String(i.event.id)])]), s.name).toEqual([]);
    }
  });

  it("domain model: types and members as written, nested generics, unions and template literals included", () => {
    const types = svgOf("types-domain-svc");
    expect(
      shows(types, [
        "+lookup: Record<OrderId, Array<Result<Tree>>>",
        "+nested: Map<string, Map<string, number[]>>",
        `+u: "x|y" | "end" | 'q"r'`,
        '+"a:b": string',
        "+[key: string]: unknown",
        "Result<T>",
        "{ ok: true; value: T }",
        "{ ok: false; error: string }",
        "`order-${string}`",
        "+cache: Map<string, Set<`order-${string}`>>",
        "+#secret: number",
        "«entity»",
      ]),
    ).toEqual([]);
    const end = svgOf("domain-end");
    expect(shows(end, ["end", "Ünïcødé", "+名前: string", `+status: "a;b" | "c#d" | "end"`, "+graph: Map<string, Array<Ünïcødé>>", "x-y", "+tuple: [number, string]"])).toEqual([]);
  });

  it("decodes Mermaid's codes in one pass (a literal `#38;` stays)", () => {
    expect(decodeMermaid("#38;quot; #quot; #35;")).toBe('&quot; " #');
  });
});
