// The renderer loads mermaid with its getConfig sped up (src/report/render/
// mermaid-dist.ts). Every golden diagram must come out byte-identical to what
// mermaid's unchanged bundle draws, with the fast copy actually in use.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type BrowserLike } from "../../src/report/render/browser.js";
import { MermaidRenderer, renderMany } from "../../src/report/render/mermaid.js";
import { svgText } from "./svg-text.js";

const goldenDir = join(import.meta.dirname, "../golden/mermaid");
const mmdFiles = (dir: string): string[] =>
  readdirSync(dir)
    .flatMap((e) => (statSync(join(dir, e)).isDirectory() ? mmdFiles(join(dir, e)) : e.endsWith(".mmd") ? [join(dir, e)] : []))
    .sort();

let browser: BrowserLike;
let fast: MermaidRenderer;
let plain: MermaidRenderer;
beforeAll(async () => {
  browser = await launchBrowser(process.env);
  // Each page renders the same diagrams in the same order: mermaid's ids depend on that order.
  [fast, plain] = await Promise.all([MermaidRenderer.open({ env: {}, browser, fast: true }), MermaidRenderer.open({ env: {}, browser, fast: false })]);
}, 60_000);
afterAll(async () => {
  await fast?.close();
  await plain?.close();
  await browser?.close();
});

describe("rendering with the fast getConfig", () => {
  it("patches the installed mermaid", () => {
    expect(fast.script.applied).toEqual(["config-copy", "plain-text"]);
    expect(plain.script.applied).toEqual([]);
  });

  it("draws every golden diagram exactly as mermaid's unchanged bundle does, twice over", async () => {
    const files = mmdFiles(goldenDir);
    expect(files.length).toBeGreaterThan(3);
    for (let round = 0; round < 2; round++) {
      for (const file of files) {
        const source = readFileSync(file, "utf8");
        const [a, b] = [await fast.render(source), await plain.render(source)];
        if (!a.ok || !b.ok) throw new Error(`${relative(goldenDir, file)}: ${a.ok ? "" : a.error} ${b.ok ? "" : b.error}`);
        expect(a.svg === b.svg, `${relative(goldenDir, file)} differs (round ${round + 1})`).toBe(true);
      }
    }
    const { configCopy, plainText } = await fast.patchStatus();
    expect(configCopy?.mode, configCopy?.reason).toBe("fast");
    expect(configCopy!.fastCalls).toBeGreaterThan(configCopy!.slowCalls);
    expect(plainText!.shortcut).toBeGreaterThan(0);
    expect(await plain.patchStatus()).toEqual({});
  }, 120_000);

  it("draws labels with markup, entities and '<' as mermaid does (those still go through DOMPurify)", async () => {
    const sources = [
      'flowchart LR\n  a["a < b & c"] -->|"x <b>bold</b> y"| b["line1<br>line2"]\n  c(["<script>alert(1)</script> s"]) -.-> d[("db · &amp; #quot;q#quot;")]\n',
      "classDiagram\n  class Box~T~ {\n    <<interface>>\n    +value: T\n    +map(f: Fn~T, U~) Box~U~\n    -items: Array~string~\n  }\n  class Plain\n  Box~T~ <|-- Plain : a < b\n",
      "sequenceDiagram\n  participant a as A <b>x</b>\n  participant b as B & co\n  a->>b: hello <br> world\n  Note over a,b: x < y <img src=x onerror=alert(1)>\n",
    ];
    const before = (await fast.patchStatus()).plainText!.purified;
    for (const source of sources) {
      const [a, b] = [await fast.render(source), await plain.render(source)];
      if (!a.ok || !b.ok) throw new Error(`${source}: ${a.ok ? "" : a.error} ${b.ok ? "" : b.error}`);
      expect(a.svg === b.svg, source).toBe(true);
      // Markup in labels ends up as text, never as elements or attributes.
      expect(a.svg).not.toMatch(/<script[\s>]|<img[\s>]|<[^>]*\sonerror=/);
    }
    expect((await fast.patchStatus()).plainText!.purified).toBeGreaterThan(before);
  });

  it("renders the same diagram to the same SVG in a fresh page (seeded outlines)", async () => {
    const source = readFileSync(join(goldenDir, "order-system.topology.mmd"), "utf8");
    const svgs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await MermaidRenderer.open({ env: {}, browser });
      try {
        const out = await r.render(source);
        if (!out.ok) throw new Error(out.error);
        svgs.push(out.svg);
      } finally {
        await r.close();
      }
    }
    expect(svgs[0] === svgs[1]).toBe(true);
  });

  it("renders many diagrams on two pages: results in input order, the same on every run", async () => {
    const golden = mmdFiles(goldenDir).map((f) => readFileSync(f, "utf8"));
    const sources = [...golden.slice(0, 5), 'flowchart LR\n  a["marker-five"] -->\n', ...Array.from({ length: 5 }, (_, i) => `flowchart LR\n  a["marker-${i + 6}"]\n`)];
    const runs = [await renderMany(sources, {}, { browser, pages: 2 }), await renderMany(sources, {}, { browser, pages: 2 })];
    expect(runs[0]).toEqual(runs[1]);
    runs[0]!.forEach((r, i) => {
      if (i === 5) {
        expect(r.ok).toBe(false);
        return;
      }
      if (!r.ok) throw new Error(`${i}: ${r.error}`);
      expect(r.svg.startsWith(`<svg id="diagram${i}"`)).toBe(true);
      if (i > 5) expect(svgText(r.svg)).toContain(`marker-${i}`);
    });
  });
});
