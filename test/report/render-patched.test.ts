// The renderer loads mermaid with its getConfig sped up (src/report/render/
// mermaid-dist.ts). Every golden diagram must come out byte-identical to what
// mermaid's unchanged bundle draws, with the fast copy actually in use.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type BrowserLike } from "../../src/report/render/browser.js";
import { MermaidRenderer } from "../../src/report/render/mermaid.js";

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
    expect(fast.script.patch).toEqual({ applied: true });
    expect(plain.script.patch.applied).toBe(false);
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
    const status = await fast.configCopyStatus();
    expect(status.mode, status.reason).toBe("fast");
    expect(status.fastCalls).toBeGreaterThan(status.slowCalls);
  }, 120_000);

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
});
