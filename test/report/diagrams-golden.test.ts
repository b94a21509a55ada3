// Golden files of every diagram kind on a small fixture system (the shop):
// the event flow of each scenario from a real run through its handlers, the
// domain class diagrams from its TypeScript types, and the sequence diagrams
// of frozen counterexample traces. `npm run golden:update` regenerates them;
// mermaid-parse.test.ts has Mermaid itself parse every one.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { specDiagrams, type Diagram } from "../../src/report/mermaid/diagrams.js";
import { classDiagram } from "../../src/report/mermaid/class-diagram.js";
import { counterexampleDiagram } from "../../src/report/mermaid/counterexample.js";
import { readTrace } from "../../src/check/simulate/trace-format.js";
import type { ReportFinding } from "../../src/report/types.js";
import { loadSpec } from "../../src/spec/load.js";
import type { Spec } from "../../src/spec/types.js";

const root = join(import.meta.dirname, "../..");
const shop = "test/report/fixtures/shop";
const goldenDir = join(root, "test/golden/mermaid/shop");
const update = process.env.UPDATE_GOLDEN === "1";

function golden(name: string, actual: string): void {
  const file = join(goldenDir, name);
  if (update) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}

const traceFiles = readdirSync(join(root, shop, "traces")).filter((f) => f.endsWith(".json")).sort();

/** Findings as a check reports them: the trace file relative to the working directory. */
const findings: ReportFinding[] = traceFiles.map((f) => ({
  ruleId: readTrace(join(root, shop, "traces", f)).rule,
  severity: "error",
  message: `counterexample ${f}`,
  // The explorer puts a lasso's loop start on the finding, not in the trace.
  counterexample: { file: `${shop}/traces/${f}`, ...(f === "lasso-explorer.json" ? { loopStart: 1 } : {}) },
}));

let spec: Spec;
let diagrams: Diagram[];
const byId = (id: string) => {
  const d = diagrams.find((x) => x.id === id);
  if (!d) throw new Error(`no diagram ${id}; have ${diagrams.map((x) => x.id).join(", ")}`);
  // Notes are wrapped to fit their boxes: read a wrapped line as one.
  return d.source.replace(/<br\/>/g, " ");
};

beforeAll(async () => {
  spec = await loadSpec(join(root, shop, "archverify.yaml"));
  diagrams = await specDiagrams(spec, { cwd: root, findings });
}, 120_000);

describe("diagrams of the shop fixture", () => {
  it("has one diagram of each kind per element, in page order", () => {
    expect(diagrams.map((d) => d.id)).toEqual([
      "topology",
      "context-map",
      "flow-place-order",
      "flow-unknown-event",
      "domain-order",
      "domain-stock",
      "domain-messages",
      ...traceFiles.map((f) => `counterexample-${f.replace(/\.json$/, "")}`),
    ]);
  });

  it("matches the golden files", () => {
    for (const d of diagrams) golden(`${d.id}.mmd`, d.source);
  });

  it("draws the scenario's real run: who sent each message, in delivery order", () => {
    const flow = byId("flow-place-order");
    expect(flow).toContain("in-order run through the handlers");
    // participants: the inputs actor, order, stock (first appearance order)
    expect(flow).toMatch(/actor p0 as scenario inputs\n {2}participant p1 as order\n {2}participant p2 as stock/);
    const arrows = flow.split("\n").filter((l) => l.includes("->>"));
    expect(arrows).toEqual([
      "  p0->>p1: 1. OrderPlaced o1-placed via orders",
      "  p1->>p2: 2. ReserveStock reserve-o1 via stock-commands",
      "  p2->>p1: 3. StockReserved reserved-o1 via stock-events",
    ]);
    expect(flow).toContain("quiescent after 3 deliveries");
  });

  it("folds the redeliveries of a poison message and notes the dead letter", () => {
    const flow = byId("flow-unknown-event");
    expect(flow).toMatch(/loop 2 times\n\s+p0->>p1: 1\. AuditPing ping-1 via orders\n\s+Note over p1: throws Error: unknown event type: AuditPing#59; not acked, so redelivered\n\s+end/);
    expect(flow).toContain("p0->>p1: 3. AuditPing ping-1 via orders\n  Note over p1: throws Error: unknown event type: AuditPing#59; dead-lettered");
    expect(flow).toContain("dead letter: AuditPing to order");
  });

  it("reads entities, events, enumerations, unions and relations from the types", () => {
    const order = byId("domain-order");
    expect(order).toMatch(/class t\d+\["Order"\] \{\n\s+<<entity>>\n\s+\+id: string\n\s+\+lines: OrderLine\[\]/);
    expect(order).toMatch(/class t\d+\["OrderStatus"\] \{\n\s+<<enumeration>>\n\s+placed\n\s+reserved\n\s+rejected/);
    expect(order).toMatch(/class t\d+\["Priority"\] \{\n\s+<<enumeration>>\n\s+Low\n\s+High/);
    expect(order).not.toContain("OrderRepository");
    const id = (name: string) => new RegExp(`class (t\\d+)\\["${name}"\\]`).exec(order)?.[1];
    expect(order).toContain(`${id("Order")} *-- "*" ${id("OrderLine")} : lines`);
    expect(order).toContain(`${id("Order")} --> "0..1" ${id("Address")} : shipping`);
    expect(order).toContain(`${id("Order")} --> "0..1" ${id("Priority")} : priority`);
    expect(order).toContain(`${id("OrderState")} *-- "*" ${id("Order")} : orders`);
    // a generic alias of a collection is many; a generic single-value wrapper is one
    expect(order).toContain(`${id("OrderState")} *-- "*" ${id("Order")} : archive`);
    expect(order).toContain(`${id("Order")} --> "1" ${id("OrderStatus")} : lastStatus`);
    // OrderLine comes from the shared kernel: shown, marked with its file.
    expect(order).toMatch(/<<value · shared\/messages\.ts>>/);
    const messages = byId("domain-messages");
    expect(messages).toMatch(/class t\d+\["OrderPlaced"\] \{\n\s+<<event>>/);
    const mid = (name: string) => new RegExp(`class (t\\d+)\\["${name}"\\]`).exec(messages)?.[1];
    for (const member of ["OrderPlaced", "AuditPing", "StockReserved", "StockRejected"]) expect(messages).toContain(`${mid("OrderInbound")} <|.. ${mid(member)}`);
  });

  it("marks duplicates, lost acks, crashes and drops, and the broken invariant, in a counterexample", () => {
    const cx = byId("counterexample-invariant-with-faults");
    expect(cx).toContain("p0->>p1: 1. OrderPlaced o1-placed via orders [ack lost]");
    expect(cx).toContain("p0-->>p1: 2. OrderPlaced o1-placed via orders [duplicate]");
    expect(cx).toContain("3. ReserveStock reserve-o1 via stock-commands [crash]");
    expect(cx).toContain("Note over p2: stock crashes after committing, before publishing and acking");
    expect(cx).toMatch(/p2-xp1: 5\. StockReserved reserved-o1 via stock-events \[lost by the broker\]/);
    expect(cx).toMatch(/rect rgb\(255, 221, 221\)\n\s+p2-xp1: 5\./);
    expect(cx).toContain("invariant everyOrderAnswered broken here");
  });

  it("notes the diverging state of a divergence and the repeating tail of a lasso", () => {
    const div = byId("counterexample-model-convergence--place-order");
    expect(div).toContain('end state differs from in-order delivery: order.orders.o1.status: "placed", expected "reserved"');
    for (const id of ["counterexample-lasso", "counterexample-lasso-explorer"]) expect(byId(id)).toContain("loop repeats forever");
    const lasso = byId("counterexample-lasso");
    expect(lasso).toMatch(/p0->>p1: 1\. AuditPing ping-1 via orders\n.*\n\s+loop repeats forever\n\s+p0->>p1: 2\. AuditPing/);
  });
});

describe("diagram text is safe for Mermaid", () => {
  it("escapes statement separators and angle brackets in sequence text", () => {
    const trace = readTrace(join(root, shop, "traces/lasso.json"));
    const weird = { ...trace, violation: { kind: "nontermination" as const, bound: 3, message: "a;b #c <d> end" } };
    const text = counterexampleDiagram(weird);
    expect(text).toContain("a#59;b #35;c #lt;d#gt; end");
  });

  it("caps a large domain model and says how many types it left out", () => {
    const types = Array.from({ length: 5 }, (_, i) => ({ key: `f#T${i}`, name: `T${i}`, kind: "value" as const, members: ["x: number"], relations: [{ to: `f#T${(i + 1) % 5}`, label: "next", multiplicity: "1" as const }], parents: [], external: false, file: "f" }));
    const text = classDiagram({ name: "big", kind: "service", root: "src/big", types }, 3);
    expect(text).toContain('note "2 more types not shown (src/big)"');
    expect(text.match(/^ {2}class /gm)?.length).toBe(3);
    // no relation to a class that is not drawn
    expect(text).toContain("t0 --> \"1\" t1 : next");
    expect(text).not.toMatch(/t2 --> /);
  });

  it("an empty code root gives a valid placeholder class", () => {
    expect(classDiagram({ name: "x", kind: "service", root: "src/x", types: [] })).toBe('classDiagram\n  direction LR\n  class empty["no types found"]\n');
  });
});
