// Mermaid itself reads every diagram archverify generates: each golden file
// and the diagrams of the reference system are parsed and rendered to SVG in
// headless Chromium (one browser for the file), and the SVG must carry every
// label the source names (mermaid-labels.ts; awkward names: mermaid-labels.test.ts). Mermaid's Node build cannot do this without a DOM
// (classDiagram fails on DOMPurify), so the browser is the parser.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MermaidRenderer } from "../../src/report/render/mermaid.js";
import { specDiagrams } from "../../src/report/mermaid/diagrams.js";
import { loadSpec } from "../../src/spec/load.js";
import { missingLabels, sourceLabels } from "./mermaid-labels.js";
import { svgText } from "./svg-text.js";

const root = join(import.meta.dirname, "../..");
const goldenDir = join(root, "test/golden/mermaid");

function mmdFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((e) => (statSync(join(dir, e)).isDirectory() ? mmdFiles(join(dir, e)) : e.endsWith(".mmd") ? [join(dir, e)] : []))
    .sort();
}

/** The labels a person must see: every label of the source (node, edge, participant, message, note, class, member, relation). */
const expectedLabels = (source: string) => sourceLabels(source).map((l) => l.text);
const missing = (source: string, svg: string) => missingLabels(source, svg).map((l) => `${l.kind}: ${l.text}`);

let renderer: MermaidRenderer;
beforeAll(async () => {
  renderer = await MermaidRenderer.open({ env: process.env });
}, 60_000);
afterAll(async () => {
  await renderer?.close();
});

describe("Mermaid parses and renders every golden diagram", () => {
  const files = mmdFiles(goldenDir);
  it("finds golden diagrams of every kind", () => {
    const heads = new Set(files.map((f) => readFileSync(f, "utf8").split("\n")[0]));
    expect([...heads].sort()).toEqual(["classDiagram", "flowchart LR", "sequenceDiagram"]);
  });
  for (const file of files) {
    it(relative(goldenDir, file), async () => {
      const source = readFileSync(file, "utf8");
      expect(await renderer.parse(source)).toBeUndefined();
      const r = await renderer.render(source);
      if (!r.ok) throw new Error(r.error);
      expect(r.svg.startsWith("<svg")).toBe(true);
      expect(expectedLabels(source).length).toBeGreaterThan(0);
      expect(missing(source, r.svg)).toEqual([]);
    });
  }
});

describe("a broken diagram fails", () => {
  it("rejects a dangling edge and an unclosed block", async () => {
    const dangling = "flowchart LR\n  a[\"A\"] -->\n";
    expect(await renderer.parse(dangling)).toMatch(/Parse error/);
    const r = await renderer.render(dangling);
    expect(r.ok).toBe(false);
    const unclosed = "sequenceDiagram\n  participant p0 as a\n  loop forever\n  p0->>p0: x\n";
    expect(await renderer.parse(unclosed)).toBeDefined();
  });

  it("keeps rendering after a failure", async () => {
    const r = await renderer.render('flowchart LR\n  a["still works"]\n');
    expect(r.ok && svgText(r.svg)).toContain("still works");
  });
});

describe("the reference system's diagrams", () => {
  it("every diagram of specs/order-system.yaml parses and shows its labels", async () => {
    const spec = await loadSpec(join(root, "specs/order-system.yaml"));
    const diagrams = await specDiagrams(spec, { cwd: root });
    expect(new Set(diagrams.map((d) => d.kind))).toEqual(new Set(["topology", "context-map", "event-flow", "class"]));
    for (const d of diagrams) {
      const parsed = await renderer.parse(d.source);
      expect(parsed, `${d.id}: ${parsed}`).toBeUndefined();
      const r = await renderer.render(d.source);
      if (!r.ok) throw new Error(`${d.id}: ${r.error}`);
      expect(missing(d.source, r.svg), d.id).toEqual([]);
    }
  }, 180_000);
});
