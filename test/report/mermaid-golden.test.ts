// Golden files for the spec-derived diagrams. Regenerate on purpose with
// `npm run golden:update`; test/report/mermaid-parse.test.ts has Mermaid itself parse them.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { memoryIO } from "../../src/cli/io.js";
import { contextMapDiagram } from "../../src/report/mermaid/context-map.js";
import { topologyDiagram } from "../../src/report/mermaid/topology.js";
import type { Report } from "../../src/report/types.js";
import { loadSpec } from "../../src/spec/load.js";

const root = join(import.meta.dirname, "../..");
const dir = join(root, "test/golden/mermaid");
const update = process.env.UPDATE_GOLDEN === "1";

function golden(name: string, actual: string): void {
  const file = join(dir, name);
  if (update) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

async function findingsOf(specPath: string) {
  const io = memoryIO(root);
  await main(["check", specPath, "--format", "json"], io);
  return (JSON.parse(io.out) as Report).findings;
}

describe("mermaid golden files", () => {
  it("topology of the reference system", async () => {
    golden("order-system.topology.mmd", topologyDiagram(await loadSpec(join(root, "specs/order-system.yaml"))));
  });

  it("context map of the reference system", async () => {
    golden("order-system.context-map.mmd", contextMapDiagram(await loadSpec(join(root, "specs/order-system.yaml"))));
  });

  it("topology with a sync cycle marks the cycle's services and edges", async () => {
    const path = "specs/examples/logistics-calls-order.yaml";
    const diagram = topologyDiagram(await loadSpec(join(root, path)), { findings: await findingsOf(path) });
    expect(diagram).toMatch(/linkStyle [\d,]+ stroke:#c00/);
    expect(diagram).toMatch(/class [\w,]+ finding/);
    golden("logistics-calls-order.topology.mmd", diagram);
  });
});
