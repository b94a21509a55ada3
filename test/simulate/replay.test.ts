// Counterexamples as files: the finding names a trace file under the reports
// folder, the file reads back, and replaying it reproduces the failure with
// the broken handlers and passes with the fixed ones.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as orders from "../../bench/orders-model/handlers.js";
import { simulationFindings } from "../../src/check/simulate/findings.js";
import { formatReplay, replayTrace } from "../../src/check/simulate/replay.js";
import { simulateSystem } from "../../src/check/simulate/system.js";
import { readTrace, traceFileName, traceNameParts } from "../../src/check/simulate/trace-format.js";
import type { SystemInput } from "../../src/model/system/index.js";
import { minimalSpec, systemModel } from "./helpers.js";

const inputs: SystemInput[] = [
  { channel: "order-events", event: { type: "OrderCreated", id: "oc1", orderId: "o1" } },
  { channel: "order-events", event: { type: "PaymentCompleted", id: "pc1", orderId: "o1" } },
  { channel: "order-events", event: { type: "InventoryReserved", id: "ir1", orderId: "o1" } },
];
const model = (handler: typeof orders.safe, withOutcomes = true) =>
  systemModel({
    channels: { "order-events": { delivery: "at-least-once", ordering: "none", key: "orderId", consumers: ["order"], events: ["OrderCreated", "PaymentCompleted", "InventoryReserved"] } },
    services: { order: handler },
    ...(withOutcomes ? { quiescence: orders.outcomes } : {}),
  });

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function findingsFor(handler: typeof orders.safe, withOutcomes = true) {
  dir = mkdtempSync(join(tmpdir(), "archverify-replay-"));
  const spec = minimalSpec(join(dir, "orders.yaml"), ["one-order"], ["order-events"]);
  const sim = simulateSystem(model(handler, withOutcomes), { runs: 500, seed: 1, maxDepth: 100, scenarios: [{ name: "one-order", inputs }] });
  const ctx = { spec, reportsDir: join(dir, "reports"), cwd: dir, bounds: { duplicates: 1, crashes: 0 } };
  return { findings: simulationFindings("convergence", sim, ctx), ctx, sim };
}

describe("counterexample files and replay", () => {
  it("saves the shrunk schedule as a trace named per spec, rule and scenario, with a replay command", () => {
    const { findings } = findingsFor(orders.bug);
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.witness).toEqual(["PaymentCompleted@order", "OrderCreated@order", "InventoryReserved@order"]);
    expect(f.message).toContain("quiescence predicate orderComplete");
    expect(f.counterexample).toMatchObject({ replay: "npx archverify replay reports/orders--convergence--one-order.json" });
    const trace = readTrace(join(dir!, "reports", "orders--convergence--one-order.json"));
    expect(trace.spec).toBe("../orders.yaml");
    expect(trace.transitions.map((t) => t.id)).toEqual(["pc1", "oc1", "ir1"]);
  });

  it("a divergence (no quiescence predicate) carries the diff of the two final states", () => {
    const { findings } = findingsFor(orders.bug, false);
    const cx = findings[0]!.counterexample as { violation: { kind: string }; diff: string[] };
    expect(cx.violation.kind).toBe("divergence");
    expect(cx.diff).toEqual(["order.paid: false, expected true"]);
  });

  it("replay reproduces the failure with the broken handler and passes with the fixed one", () => {
    findingsFor(orders.bug);
    const file = join(dir!, "reports", "orders--convergence--one-order.json");
    const trace = readTrace(file);
    const broken = replayTrace(model(orders.bug), trace);
    expect(broken.fails).toBe(true);
    expect(broken.violation).toMatchObject({ kind: "quiescence", name: "orderComplete" });
    expect(broken.steps).toHaveLength(3);
    expect(formatReplay(trace, "reports/x.json", broken)).toContain("order.paid: true -> false");
    const fixed = replayTrace(model(orders.safe), trace);
    expect(fixed.fails).toBe(false);
    expect(formatReplay(trace, "reports/x.json", fixed)).toContain("fixed:");
  });

  it("a duplicate is marked in the trace and in the replay", () => {
    findingsFor(orders.counter);
    const trace = readTrace(join(dir!, "reports", "orders--convergence--one-order.json"));
    expect(trace.transitions.filter((t) => t.duplicate).map((t) => t.type)).toEqual(["InventoryReserved"]);
    const out = replayTrace(model(orders.counter), trace);
    expect(out.steps.join("\n")).toContain("(duplicate)");
    expect(replayTrace(model(orders.counterDedup), trace).fails).toBe(false);
  });

  it("a passing rerun removes the stale trace file", () => {
    const { ctx } = findingsFor(orders.bug);
    expect(readdirSync(ctx.reportsDir)).toEqual(["orders--convergence--one-order.json"]);
    const sim = simulateSystem(model(orders.safe), { runs: 200, seed: 1, maxDepth: 100, scenarios: [{ name: "one-order", inputs }] });
    expect(simulationFindings("convergence", sim, ctx)).toEqual([]);
    expect(readdirSync(ctx.reportsDir)).toEqual([]);
  });

  it("another spec's failing scenario of the same name gets a trace of its own", () => {
    const { ctx } = findingsFor(orders.bug);
    const other = { ...ctx, spec: minimalSpec(join(dir!, "other.yaml"), ["one-order"], ["order-events"]) };
    const sim = simulateSystem(model(orders.bug), { runs: 500, seed: 1, maxDepth: 100, scenarios: [{ name: "one-order", inputs }] });
    expect(simulationFindings("convergence", sim, other)).toHaveLength(1);
    expect(readdirSync(ctx.reportsDir).sort()).toEqual(["orders--convergence--one-order.json", "other--convergence--one-order.json"]);
    expect(readTrace(join(ctx.reportsDir, "orders--convergence--one-order.json")).spec).toBe("../orders.yaml");
    expect(readTrace(join(ctx.reportsDir, "other--convergence--one-order.json")).spec).toBe("../other.yaml");
  });

  it("a passing scenario of another spec with the same file stem and scenario leaves the trace alone", () => {
    const { ctx } = findingsFor(orders.bug);
    const other = { ...ctx, spec: minimalSpec(join(dir!, "elsewhere", "orders.yaml"), ["one-order"], ["order-events"]) };
    const sim = simulateSystem(model(orders.safe), { runs: 200, seed: 1, maxDepth: 100, scenarios: [{ name: "one-order", inputs }] });
    expect(simulationFindings("convergence", sim, other)).toEqual([]);
    expect(readdirSync(ctx.reportsDir)).toEqual(["orders--convergence--one-order.json"]);
  });
});

describe("trace file names", () => {
  it("are <spec-stem>--<rule>--<scenario>[--<subject>].json, and read back into their parts", () => {
    const spec = join("specs", "order-system.yaml");
    expect(traceFileName(spec, "convergence", "happy-path")).toBe("order-system--convergence--happy-path.json");
    const file = traceFileName(spec, "model-lost-event", "happy path", "order/OrderCreatedEvent");
    // Names that lose characters to the slug carry a hash of the name, so they never share a file.
    expect(file).toBe("order-system--model-lost-event--happy-path-53e2b57d--order-OrderCreatedEvent-a7f62350.json");
    expect(traceNameParts(join("reports", file), spec)).toEqual(["model-lost-event", "happy-path-53e2b57d", "order-OrderCreatedEvent-a7f62350"]);
    expect(traceFileName(join("a", ".hidden.yaml"), "termination", null)).toBe("hidden--termination--generated.json");
  });
});
