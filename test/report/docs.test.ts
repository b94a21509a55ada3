// `archverify docs` end to end on the shop fixture: the page, its check
// summary, its ```mermaid blocks, --render svg (one browser) and the errors.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { launchBrowser } from "../../src/report/render/browser.js";
import type { Report } from "../../src/report/types.js";
import { svgText } from "./svg-text.js";

const root = join(import.meta.dirname, "../..");
const shop = "test/report/fixtures/shop/archverify.yaml";
let out: string;
let reportFile: string;

const report: Report = {
  reportVersion: 1,
  tool: { name: "archverify", version: "0.0.0-test" },
  spec: shop,
  seed: 7,
  summary: { errors: 1, warnings: 0, info: 0, durationMs: 1234 },
  findings: [
    {
      ruleId: "model-convergence",
      severity: "error",
      message: "scenario place-order: two schedules end in different states\nsecond line of detail",
      location: { file: shop, line: 44, column: 3 },
      counterexample: { file: "test/report/fixtures/shop/traces/model-convergence--place-order.json", replay: "npx archverify replay x.json" },
    },
  ],
  rules: [
    { id: "model-convergence", severity: "error", description: "Quiescent | states agree.", fix: "" },
    { id: "orphans", severity: "info", description: "Everything is connected.", fix: "" },
  ],
};

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "archverify-docs-"));
  reportFile = join(out, "report.json");
  writeFileSync(reportFile, JSON.stringify(report));
});
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

const run = async (args: string[], env: Record<string, string | undefined> = process.env) => {
  const io = memoryIO(root, env);
  const code = await main(["docs", ...args], io);
  return { code, out: io.out, err: io.err };
};

describe("archverify docs", () => {
  it("writes a page with the check summary and a mermaid block per diagram, the same bytes every time", async () => {
    const dir = join(out, "md");
    const r = await run([shop, "--report", reportFile, "--out", dir]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, "archverify.md"), "utf8");
    expect(r.out).toMatch(/archverify\.md: 8 diagrams; checks: 1 errors, 0 warnings/);
    expect(page).toContain("# Architecture of `test/report/fixtures/shop/archverify.yaml`");
    expect(page).toContain("❌ **1 error**, 0 warnings, 0 info");
    expect(page).toContain("Checked with seed 7 (from a saved report).");
    expect(page).toContain("| `model-convergence` | ❌ 1 error | Quiescent \\| states agree. |");
    expect(page).toContain("| `orphans` | ✅ passed | Everything is connected. |");
    expect(page).toContain("- **error** `model-convergence` `test/report/fixtures/shop/archverify.yaml:44:3`: scenario place-order: two schedules end in different states\n  ```text\n  second line of detail\n  ```\n  replay: `npx archverify replay x.json`");
    for (const heading of ["## Topology", "## Context map", "## Event flows", "### Scenario place-order", "## Domain model", "### Service order", "### Shared kernel messages", "## Counterexamples"]) expect(page).toContain(heading);
    expect(page.match(/```mermaid\n/g)?.length).toBe(8);
    expect(page).not.toMatch(/1234|\d{4}-\d\d-\d\d/); // no durations, no dates
    const again = await run([shop, "--report", reportFile, "--out", dir]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, "archverify.md"), "utf8")).toBe(page);
  }, 120_000);

  it("runs the checks itself when no report is given", async () => {
    const dir = join(out, "checked");
    const r = await run([shop, "--out", dir, "--runs", "50"]);
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, "archverify.md"), "utf8");
    expect(page).toContain("Checked with `archverify check`'s rules, seed 1, --runs 50.");
    expect(page).toMatch(/\| graph \| `no-sync-cycles` \| ✅ passed \|/);
    expect(page).toMatch(/\| model \| `model-convergence` \| ❌ 1 error \|/);
    expect(page).toContain("### model-convergence · place-order");
  }, 240_000);

  it("--render svg renders every diagram, writes it beside the page and links it", async () => {
    const dir = join(out, "svg");
    const r = await run([shop, "--report", reportFile, "--out", dir, "--render", "svg"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const svgs = readdirSync(join(dir, "archverify")).sort();
    expect(svgs).toEqual([
      "context-map.svg",
      "counterexample-model-convergence--place-order.svg",
      "domain-messages.svg",
      "domain-order.svg",
      "domain-stock.svg",
      "flow-place-order.svg",
      "flow-unknown-event.svg",
      "topology.svg",
    ]);
    const page = readFileSync(join(dir, "archverify.md"), "utf8");
    for (const s of svgs) expect(page).toContain(`](archverify/${s})`);
    const text = (f: string) => svgText(readFileSync(join(dir, "archverify", f), "utf8"));
    expect(text("topology.svg")).toContain("order-db · postgres");
    expect(text("flow-place-order.svg")).toContain("ReserveStock reserve-o1 via stock-commands");
    expect(text("domain-order.svg")).toContain("OrderStatus");
    expect(text("counterexample-model-convergence--place-order.svg")).toContain("[lost by the broker]");
  }, 120_000);

  it("gives specs of the same file name a page and an SVG folder each", async () => {
    const dir = join(out, "two");
    const specs = ["test/report/fixtures/shop/archverify.yaml", "test/report/fixtures/dashed/archverify.yaml"];
    const r = await run([...specs, "--out", dir, "--runs", "20", "--render", "svg"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["dashed-archverify", "dashed-archverify.md", "shop-archverify", "shop-archverify.md"]);
    for (const [name, spec] of [["shop-archverify", specs[0]!], ["dashed-archverify", specs[1]!]] as const) {
      const page = readFileSync(join(dir, `${name}.md`), "utf8");
      expect(page).toContain(`# Architecture of \`${spec}\``);
      // the page's name depends on the other spec: its regenerate command names both
      expect(page).toContain(`regenerate with \`archverify docs ${specs.join(" ")} --out`);
      const svgs = readdirSync(join(dir, name));
      expect(svgs).toContain("topology.svg");
      for (const s of svgs) expect(page).toContain(`](${name}/${s})`);
    }
    expect(svgText(readFileSync(join(dir, "dashed-archverify", "topology.svg"), "utf8"))).toContain("order-service");
    expect(svgText(readFileSync(join(dir, "shop-archverify", "topology.svg"), "utf8"))).toContain("order-db · postgres");
  }, 240_000);

  it("exits 2 with a clear message when the browser it is told to use does not exist", async () => {
    const r = await run([shop, "--report", reportFile, "--out", join(out, "nobrowser"), "--render", "svg"], { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium" });
    expect(r.code).toBe(2);
    expect(r.err).toContain("CHROMIUM_PATH is /nonexistent/chromium, which is not an executable browser");
    expect(existsSync(join(out, "nobrowser", "archverify.md"))).toBe(false);
  }, 120_000);

  it("says what to install when no browser is found at all", async () => {
    await expect(launchBrowser({ PATH: "" }, { systemPaths: [], names: ["chromium"], puppeteer: false })).rejects.toThrow(
      /no Chromium or Chrome found to render Mermaid diagrams/,
    );
  });

  it("rejects bad usage", async () => {
    expect((await run([shop, "--render", "png"])).err).toContain('--render takes "svg", got "png"');
    expect((await run([shop, shop, "--report", reportFile])).code).toBe(2);
    const bad = join(out, "bad.json");
    writeFileSync(bad, "{}");
    const r = await run([shop, "--report", bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("is not an archverify JSON report");
  });
});
