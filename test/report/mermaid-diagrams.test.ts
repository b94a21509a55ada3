// What the diagrams say, beyond their labels: which service a finding marks,
// what the domain model reads from recursive and inline types, one sequence
// diagram per counterexample (handler properties included), and notes wrapped
// so they fit their boxes.
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { specDiagrams } from "../../src/report/mermaid/diagrams.js";
import { domainModels } from "../../src/report/mermaid/domain.js";
import { handlerCounterexample, handlerCounterexampleDiagram } from "../../src/report/mermaid/handler-counterexample.js";
import { wrapText } from "../../src/report/mermaid/sequence.js";
import { topologyDiagram } from "../../src/report/mermaid/topology.js";
import type { Report, ReportFinding } from "../../src/report/types.js";
import { loadSpec } from "../../src/spec/load.js";

const root = join(import.meta.dirname, "../..");

async function checkJson(specPath: string): Promise<Report> {
  const io = memoryIO(root);
  await main(["check", specPath, "--format", "json", "--runs", "50"], io);
  return JSON.parse(io.out) as Report;
}

/** The service names a topology draws in red. */
function redServices(diagram: string): string[] {
  const ids = /^ {2}class ([\w,]+) finding$/m.exec(diagram)?.[1]?.split(",") ?? [];
  return ids.map((id) => new RegExp(`^\\s+${id}\\["([^"]*)"\\]`, "m").exec(diagram)?.[1] ?? id).sort();
}

describe("topology: what a finding is about", () => {
  it("marks the service the finding's data names, not every service whose name is part of it", async () => {
    const path = "test/report/fixtures/dashed/archverify.yaml";
    const report = await checkJson(path);
    expect(report.findings.map((f) => `${f.ruleId} ${f.subject}`)).toContain("idempotence order-service Placed");
    const diagram = topologyDiagram(await loadSpec(join(root, path)), { findings: report.findings, cwd: root });
    expect(redServices(diagram)).toEqual(["order-service"]);
  }, 120_000);

  it("reads services from locations (a service entry, a call, code under a root) and the handler check's service", async () => {
    const spec = await loadSpec(join(root, "test/report/fixtures/dashed/archverify.yaml"));
    const finding = (f: Partial<ReportFinding>): ReportFinding => ({ ruleId: "x", severity: "error", message: "about order", subject: "order order-service src", ...f });
    const svc = spec.services.get("order")!;
    const at = (loc: { file: string; line: number; column: number }) => ({ ...loc, file: loc.file.slice(root.length + 1) });
    expect(redServices(topologyDiagram(spec, { findings: [finding({ location: at(svc.loc) })], cwd: root }))).toEqual(["order"]);
    expect(redServices(topologyDiagram(spec, { findings: [finding({ location: { file: "test/report/fixtures/dashed/src/order-service/handler.ts", line: 1, column: 1 } })], cwd: root }))).toEqual(["order-service"]);
    expect(redServices(topologyDiagram(spec, { findings: [finding({ counterexample: { service: "src" } })], cwd: root }))).toEqual(["src"]);
    expect(redServices(topologyDiagram(spec, { findings: [finding({ severity: "info", location: at(svc.loc) })], cwd: root }))).toEqual([]);
    // names in the subject or message alone mark nothing
    expect(redServices(topologyDiagram(spec, { findings: [finding({})], cwd: root }))).toEqual([]);
  });
});

describe("domain model", () => {
  it("keeps a recursive type as the root's own, and shows inline unions, template literals and inferred fields", async () => {
    const spec = await loadSpec(join(root, "test/report/fixtures/types/archverify.yaml"));
    const [model] = domainModels(spec, root);
    const type = (name: string) => model!.types.find((t) => t.name === name)!;
    expect(type("Tree")).toMatchObject({ kind: "entity", external: false });
    expect(model!.types.filter((t) => t.name === "Tree")).toHaveLength(1);
    expect(type("Tree").relations).toEqual(expect.arrayContaining([expect.objectContaining({ to: type("Tree").key, label: "children", multiplicity: "*" })]));
    expect(type("Result")).toMatchObject({ kind: "union", typeParameters: ["T"], members: ["{ ok: true; value: T }", "{ ok: false; error: string }"] });
    expect(type("OrderId")).toMatchObject({ kind: "alias", members: ["`order-${string}`"] });
    expect(type("Service").members).toEqual(["cache: Map<string, Set<`order-${string}`>>", "#secret: number"]);
    expect(model!.types.flatMap((t) => t.members)).not.toContain(expect.stringMatching(/unknown$/));
  });
});

describe("a sequence diagram for every counterexample", () => {
  it("draws every finding of the seed variant that carries a counterexample, handler properties included", async () => {
    const path = "specs/order-system-seed.yaml";
    const report = await checkJson(path);
    const withCounterexample = report.findings.filter((f) => f.counterexample !== undefined);
    const handler = withCounterexample.filter((f) => handlerCounterexample(f));
    expect(handler.length).toBeGreaterThan(0);
    const diagrams = await specDiagrams(await loadSpec(join(root, path)), { cwd: root, findings: report.findings, classDiagrams: false });
    const drawn = diagrams.filter((d) => d.kind === "counterexample");
    expect(drawn).toHaveLength(withCounterexample.length);
    expect(new Set(drawn.map((d) => d.id)).size).toBe(drawn.length);
  }, 240_000);

  const events = [
    { type: "PayOrder", id: "e1", orderId: "o1" },
    { type: "PayOrder", id: "e2", orderId: "o1" },
  ];
  const arrows = (source: string) => source.split("\n").filter((l) => /->>/.test(l)).map((l) => l.trim());

  it("commutation: both orders from the same state, and where the outcomes differ", () => {
    const f: ReportFinding = {
      ruleId: "commutation",
      severity: "warning",
      message: "m",
      counterexample: { property: "commutation", service: "payment", prefix: [{ type: "Init", id: "i0" }], events, diff: [{ path: "requests.o1.id", left: "e1", right: "e2" }], outcomes: { "e1 then e2": {}, "e2 then e1": {} } },
    };
    const source = handlerCounterexampleDiagram(handlerCounterexample(f)!);
    expect(arrows(source)).toEqual([
      "p0->>p1: 1. Init i0 via its channel",
      "p0->>p1: 2. PayOrder e1 via its channel",
      "p0->>p1: 3. PayOrder e2 via its channel",
      "p0->>p1: 4. PayOrder e2 via its channel",
      "p0->>p1: 5. PayOrder e1 via its channel",
    ]);
    expect(source).toContain("Note over p0,p1: e1 then e2");
    expect(source.replace(/<br\/>/g, " ")).toContain("Note over p0,p1: from the same state, e2 then e1");
    expect(source.replace(/<br\/>/g, " ")).toContain('requests.o1.id: "e1" (e1 then e2) vs "e2" (e2 then e1)');
  });

  it("idempotence: the single and the double delivery; handler-throws: the call that throws", () => {
    const idem = handlerCounterexampleDiagram(handlerCounterexample({ ruleId: "idempotence", severity: "error", message: "m", counterexample: { property: "idempotence", service: "s", prefix: [], events: [events[0]], diff: [{ path: "n", left: 1, right: 2 }], outcomes: { once: {}, twice: {} } } })!);
    expect(arrows(idem)).toEqual(["p0->>p1: 1. PayOrder e1 via its channel", "p0->>p1: 2. PayOrder e1 via its channel", "p0-->>p1: 3. PayOrder e1 via its channel [duplicate]"]);
    expect(idem.replace(/<br\/>/g, " ")).toContain("n: 1 (once) vs 2 (twice)");
    const throws = handlerCounterexampleDiagram(handlerCounterexample({ ruleId: "handler-throws", severity: "error", message: "m", counterexample: { property: "handler-throws", service: "s", scenario: "sc", prefix: [events[1]], events: [events[0]], error: "boom" } })!);
    expect(throws).toContain("actor p0 as scenario sc inputs");
    expect(throws).toMatch(/rect rgb\(255, 221, 221\)\n\s+p0->>p1: 2\. PayOrder e1 via its channel\n\s+Note over p1: throws: boom/);
  });

  it("a finding without events has no handler diagram", () => {
    expect(handlerCounterexample({ ruleId: "x", severity: "error", message: "m", counterexample: { property: "handler-throws", service: "s", prefix: [], events: [] } })).toBeUndefined();
  });
});

describe("note wrapping", () => {
  it("keeps every word in order, on lines no longer than the width (brute force over random texts)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom("a", "b", "é", "😀", "-", ":") }), { maxLength: 30 }), fc.integer({ min: 5, max: 80 }), (words, width) => {
        const text = words.join(" ");
        const lines = wrapText(text, width);
        for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
        expect(lines.join("").replace(/ /g, "")).toBe(words.join(""));
        // a line break only where a space was, unless a word is longer than the width
        if (words.every((w) => [...w].length <= width)) expect(lines.join(" ")).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
