// The committed docs of the reference system (docs/*.md, `npm run docs`) must
// match what archverify generates now: spec, handlers, code and checks.
// Regenerated in memory (nothing is written), both pages at once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDocs } from "../../src/report/mermaid/docs.js";
import { loadSpec } from "../../src/spec/load.js";

const root = join(import.meta.dirname, "../..");
const pages = ["specs/order-system.yaml", "specs/order-system-seed.yaml"];

describe("committed docs", () => {
  it("docs/order-system.md and docs/order-system-seed.md are up to date (else: npm run docs)", async () => {
    const generated = await Promise.all(
      pages.map(async (p) => generateDocs(await loadSpec(join(root, p)), { cwd: root, env: process.env, outDir: join(root, "docs") })),
    );
    for (const g of generated) {
      const committed = readFileSync(g.pageFile, "utf8");
      expect(g.page === committed, `${g.pageFile.slice(root.length + 1)} is stale: run \`npm run docs\` and commit the result`).toBe(true);
    }
    // What the pages must show: the reference system passes, the seed variant's defects are found.
    expect(generated[0]!.report.summary.errors).toBe(0);
    expect(generated[1]!.report.summary.errors).toBeGreaterThan(0);
    expect(generated[1]!.diagrams.filter((d) => d.kind === "counterexample").length).toBeGreaterThan(0);
  }, 600_000);
});
