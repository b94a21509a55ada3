// The bundled examples through the real CLI: `archverify check specs/examples/X.yaml`.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { memoryIO } from "../../src/cli/io.js";
import type { Report } from "../../src/report/types.js";

const root = join(import.meta.dirname, "..", "..");

async function check(file: string, ...flags: string[]): Promise<{ code: number; report: Report; text: string }> {
  const io = memoryIO(root);
  const code = await main(["check", file, "--format", "json", ...flags], io);
  const report = JSON.parse(io.out) as Report;
  const textIO = memoryIO(root);
  await main(["check", file, ...flags], textIO);
  return { code, report, text: textIO.out };
}

const summary = (report: Report) =>
  report.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, subject: f.subject, line: f.location?.line }));

describe("specs/examples", () => {
  it("clean.yaml passes every rule", async () => {
    const { code, report } = await check("specs/examples/clean.yaml");
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it("logistics-calls-order.yaml: a sync cycle, exit 1", async () => {
    const { code, report, text } = await check("specs/examples/logistics-calls-order.yaml");
    expect(code).toBe(1);
    expect(summary(report)).toEqual([{ ruleId: "no-sync-cycles", severity: "error", subject: "logistics -> order -> logistics", line: 13 }]);
    const [f] = report.findings;
    expect(f?.witness).toEqual(["logistics", "order", "logistics"]);
    expect(f?.location?.file).toBe("specs/examples/logistics-calls-order.yaml");
    expect(f?.related?.map((r) => r.line)).toEqual([13, 9]);
    expect(text).toContain("witness: logistics -> order -> logistics");
    expect(text).toContain("fix: Break the cycle");
  });

  it("order-inventory-event-loop.yaml: an event loop, a warning (exit 0)", async () => {
    const { code, report } = await check("specs/examples/order-inventory-event-loop.yaml");
    expect(code).toBe(0);
    expect(summary(report)).toEqual([
      { ruleId: "no-event-loops", severity: "warning", subject: "inventory -> inventory-events -> order -> order-events -> inventory", line: 15 },
    ]);
  });

  it("inventory-calls-order-layers.yaml: core calls application, exit 1", async () => {
    const { code, report } = await check("specs/examples/inventory-calls-order-layers.yaml");
    expect(code).toBe(1);
    expect(summary(report)).toEqual([{ ruleId: "layers", severity: "error", subject: "inventory -> order", line: 14 }]);
  });

  it("payment-calls-order-context-map.yaml: a missing and a reversed relation, exit 1", async () => {
    const { code, report } = await check("specs/examples/payment-calls-order-context-map.yaml");
    expect(code).toBe(1);
    expect(summary(report)).toEqual([
      { ruleId: "context-map", severity: "error", subject: "order -> user", line: 15 },
      { ruleId: "context-map", severity: "error", subject: "payment -> order", line: 18 },
    ]);
    expect(report.findings[0]?.message).toContain("declares no relation between them; add { upstream: identity, downstream: ordering, pattern: customer-supplier }");
    expect(report.findings[1]?.message).toContain("only in the other direction (billing upstream of ordering, customer-supplier)");
  });

  it("shared-order-db.yaml: a datastore of two contexts, exit 1", async () => {
    const { code, report } = await check("specs/examples/shared-order-db.yaml");
    expect(code).toBe(1);
    expect(summary(report)).toEqual([{ ruleId: "datastore-ownership", severity: "error", subject: "order-db", line: 18 }]);
  });

  it("unreachable-audit-service.yaml: orphans as info, exit 0", async () => {
    const { code, report } = await check("specs/examples/unreachable-audit-service.yaml");
    expect(code).toBe(0);
    expect(summary(report)).toEqual([
      { ruleId: "orphans", severity: "info", subject: "audit", line: 8 },
      { ruleId: "orphans", severity: "info", subject: "stripe", line: 9 },
      { ruleId: "orphans", severity: "info", subject: "refunds", line: 11 },
    ]);
  });
});

describe("check --all-cycles", () => {
  // Three services calling each other: pairs i-o, i-p, o-p and the two triangles.
  const spec = "specs/examples/order-payment-inventory-cycles.yaml";

  it("lists every elementary cycle", async () => {
    const { code, report } = await check(spec, "--all-cycles");
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.witness?.join(" -> ")).sort()).toEqual([
      "inventory -> order -> inventory",
      "inventory -> order -> payment -> inventory",
      "inventory -> payment -> inventory",
      "inventory -> payment -> order -> inventory",
      "order -> payment -> order",
    ]);
  });

  it("says when --max-cycles cut the list", async () => {
    const { report } = await check(spec, "--all-cycles", "--max-cycles", "2");
    expect(report.findings.filter((f) => f.witness)).toHaveLength(2);
    const notes = report.findings.filter((f) => !f.witness);
    expect(notes.map((f) => [f.severity, f.message])).toEqual([
      ["info", "listed the first 2 elementary call cycles of the component {inventory, order, payment}; more exist and were not listed (raise --max-cycles to see them)"],
    ]);
  });

  it("without --all-cycles reports the component once", async () => {
    const { report } = await check(spec);
    expect(report.findings.map((f) => f.message)).toEqual([
      "synchronous call cycle of 2 services: inventory -> order -> inventory; the cycle is part of a group of 3 services that all reach each other: inventory, order, payment",
    ]);
  });
});
