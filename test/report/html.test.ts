// The HTML report as a person sees it: the file is opened in headless
// Chromium (one browser for this file) and the test reads the page's visible
// text: the verdict, each finding's rule and message, and the labels of the
// diagrams (drawn as SVG by the reporter's own browser).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type BrowserLike } from "../../src/report/render/browser.js";
import { html } from "../../src/report/reporters/html.js";
import { reporters } from "../../src/report/registry.js";
import type { Report } from "../../src/report/types.js";

const root = join(import.meta.dirname, "../..");
const shop = "test/report/fixtures/shop";

const report: Report = {
  reportVersion: 1,
  tool: { name: "archverify", version: "0.0.0-test" },
  spec: `${shop}/archverify.yaml`,
  seed: 1,
  summary: { errors: 2, warnings: 1, info: 0, durationMs: 5 },
  findings: [
    {
      ruleId: "model-convergence",
      severity: "error",
      message: 'scenario place-order: two schedules end in different states: order.orders.o1.status = "placed" instead of "reserved"',
      location: { file: `${shop}/archverify.yaml`, line: 44, column: 3 },
      subject: "scenario:place-order",
      counterexample: { file: `${shop}/traces/model-convergence--place-order.json`, replay: `npx archverify replay ${shop}/traces/model-convergence--place-order.json` },
      fix: "Make the handlers commute.",
    },
    {
      ruleId: "no-sync-cycles",
      severity: "error",
      message: "sync cycle: order -> stock -> order <script>alert(1)</script>",
      witness: ["order", "stock", "order"],
      location: { file: `${shop}/archverify.yaml`, line: 13, column: 3 },
    },
    { ruleId: "orphans", severity: "warning", message: "datastore order-db is used by nobody & nothing" },
  ],
  rules: [
    { id: "model-convergence", severity: "error", description: "Quiescent states agree.", fix: "" },
    { id: "no-sync-cycles", severity: "error", description: "No sync cycles.", fix: "" },
    { id: "orphans", severity: "info", description: "Everything is connected.", fix: "" },
    { id: "layers", severity: "error", description: "Calls go inward.", fix: "" },
  ],
};

let browser: BrowserLike;
let dir: string;
beforeAll(async () => {
  browser = await launchBrowser(process.env);
  dir = mkdtempSync(join(tmpdir(), "archverify-html-"));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the HTML as a file and returns its visible text and every URL the page asked for. */
async function open(name: string, text: string): Promise<{ visible: string; requests: string[]; svgs: number }> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const page = (await browser.newPage()) as unknown as {
    on(event: "request", fn: (r: { url(): string }) => void): void;
    goto(url: string, o: { waitUntil: "load" }): Promise<unknown>;
    evaluate<R>(fn: () => R): Promise<R>;
    close(): Promise<void>;
  };
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  const result = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { body: { innerText: string }; querySelectorAll(s: string): { length: number } } }).document;
    return { visible: d.body.innerText, svgs: d.querySelectorAll("figure.diagram svg").length };
  });
  await page.close();
  return { ...result, requests };
}

describe("html report", () => {
  it("is registered as a format", () => {
    expect(reporters.html).toBe(html);
  });

  it("shows the verdict, every finding and the drawn diagrams, and fetches nothing", async () => {
    const text = html(report, { color: false, cwd: root });
    expect(text).not.toMatch(/<script|<link|\ssrc=/i);
    const { visible, requests, svgs } = await open("report.html", text);
    expect(requests).toEqual([pathToFileURL(join(dir, "report.html")).href]);
    expect(visible).toContain("archverify: Failed: 2 errors");
    expect(visible).toContain("2 errors, 1 warning, 0 info");
    for (const f of report.findings) {
      expect(visible).toContain(f.ruleId);
      expect(visible).toContain(f.message);
    }
    expect(visible).toContain("Make the handlers commute.");
    expect(visible).toContain("order → stock → order");
    // topology and the counterexample's sequence diagram, as SVG
    expect(svgs).toBe(2);
    expect(visible).not.toContain("Mermaid source");
    for (const label of ["orders · at-least-once, per-key", "order-db · postgres", "web (external)", "warehouse"]) {
      for (const word of label.split(" ")) expect(visible).toContain(word);
    }
    for (const label of ["scenario inputs", "StockReserved reserved-o1 via stock-events [lost by the broker]", "end state differs from in-order delivery:"]) expect(visible).toContain(label);
    // the rules table
    expect(visible).toMatch(/layers\s+passed\s+Calls go inward\./);
    expect(visible).toMatch(/no-sync-cycles\s+1 finding/);
  }, 120_000);

  it("falls back to Mermaid source with a note when diagrams are not drawn", async () => {
    const before = process.env.ARCHVERIFY_HTML_DIAGRAMS;
    process.env.ARCHVERIFY_HTML_DIAGRAMS = "source";
    try {
      const { visible, svgs } = await open("source.html", html(report, { color: false, cwd: root }));
      expect(svgs).toBe(0);
      expect(visible).toContain("Diagrams are shown as Mermaid source");
      expect(visible).toContain("sequenceDiagram");
      expect(visible).toContain("flowchart LR");
      expect(visible).toContain("archverify: Failed: 2 errors");
    } finally {
      if (before === undefined) delete process.env.ARCHVERIFY_HTML_DIAGRAMS;
      else process.env.ARCHVERIFY_HTML_DIAGRAMS = before;
    }
  });

  it("draws a handler property's counterexample, which has no trace file", async () => {
    const idempotence: Report = {
      ...report,
      findings: [
        {
          ruleId: "idempotence",
          severity: "error",
          message: "stock: StockReserved applied twice differs from once",
          subject: "stock StockReserved",
          counterexample: {
            property: "idempotence",
            service: "stock",
            prefix: [],
            events: [{ type: "StockReserved", id: "reserved-o1", orderId: "o1" }],
            diff: [{ path: "reserved.o1", left: 1, right: 2 }],
            outcomes: { once: {}, twice: {} },
          },
        },
      ],
    };
    const { visible, svgs } = await open("handler.html", html(idempotence, { color: false, cwd: root }));
    expect(svgs).toBe(2);
    expect(visible).toContain("StockReserved reserved-o1");
  }, 120_000);

  it("says passed when there are no errors, and works without the spec file", async () => {
    const clean: Report = { ...report, spec: "gone/archverify.yaml", summary: { errors: 0, warnings: 0, info: 0, durationMs: 1 }, findings: [] };
    const { visible, svgs } = await open("clean.html", html(clean, { color: false, cwd: root }));
    expect(visible).toContain("archverify: Passed");
    expect(visible).toContain("No findings.");
    expect(svgs).toBe(0);
  });
});
