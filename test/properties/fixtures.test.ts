// Every deliberately broken fixture handler is caught by the right rule, and
// the correct ones produce no finding at all (no false alarms).
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSpec } from "../../src/spec/load.js";
import { runHandlerProperties, type HandlerPropertiesResult } from "../../src/check/handlers/run.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/handlers/${name}`, import.meta.url));

let result: HandlerPropertiesResult;
beforeAll(async () => {
  result = await runHandlerProperties(await loadSpec(fixture("handlers.yaml")), { seed: 1, runs: 100, maxDepth: 6 });
});

const failuresOf = (service: string) =>
  (result.reports.find((r) => r.service === service)?.failures ?? []).map((f) => `${f.property} ${f.eventTypes.join("/")}`).sort();

describe("broken handlers are caught by the right rule", () => {
  it.each([
    ["counter", "idempotence Incremented"],
    ["overwrite-on-create", "commutation OrderCreated/PaymentCompleted"],
    ["status-update", "commutation StatusChanged/StatusChanged"],
    ["throwing", "handler-throws StockReleased"],
    ["mutating", "handler-mutates-input StockReserved"],
    ["clock", "handler-nondeterministic StockReserved"],
    ["random", "handler-nondeterministic StockReleased"],
    ["leaky-cart", "idempotence AddItem"],
    ["tally", "idempotence TodoAdded"],
    ["leaky-carts", "idempotence ProductAdded"],
    ["account", "idempotence Deposited"],
  ])("%s: %s", (service, expected) => {
    expect(failuresOf(service)).toContain(expected);
  });

  it("keeps a create racing an update an error, and one event type's last-writer-wins a warning that says when it matters", () => {
    const severity = (service: string, types: string) =>
      result.reports.find((r) => r.service === service)!.failures.find((f) => f.eventTypes.join("/") === types)?.severity ?? "error";
    expect(severity("overwrite-on-create", "OrderCreated/PaymentCompleted")).toBe("error");
    expect(severity("status-update", "StatusChanged/StatusChanged")).toBe("warning");
    const f = result.reports.find((r) => r.service === "status-update")!.failures.find((x) => x.property === "commutation")!;
    expect(f.message).toContain("in flight together");
  });

  it("reports what a counterexample needs: shrunk events, the state diff and the seeds", () => {
    const f = result.reports.find((r) => r.service === "overwrite-on-create")!.failures.find((x) => x.eventTypes.includes("PaymentCompleted"))!;
    expect(f.counterexample.events.map((e) => e.type).sort()).toEqual(["OrderCreated", "PaymentCompleted"]);
    expect(f.counterexample.prefix).toEqual([]); // shrunk: the initial state suffices
    expect(f.counterexample.diff?.some((d) => d.path.endsWith(".paid"))).toBe(true);
    expect(f.counterexample.seed).toBe(1);
    expect(typeof f.counterexample.fcSeed).toBe("number");
  });

  it("finds the event id in metadata and the key under data for envelope events", () => {
    const f = result.reports.find((r) => r.service === "leaky-carts")!.failures.find((x) => x.property === "idempotence")!;
    const [first, second] = f.counterexample.events as unknown as { metadata: { eventId: string } }[];
    expect(first!.metadata.eventId).toBe(second!.metadata.eventId);
  });
});

describe("correct handlers pass", () => {
  it.each(["dedup-counter", "ledger", "merge-on-create", "monotone-status", "cart", "todos", "carts", "rooms"])("%s", (service) => {
    expect(result.reports.map((r) => r.service)).toContain(service);
    expect(failuresOf(service)).toEqual([]);
  });

  it("skips idempotence on an exactly-once channel, with a note", () => {
    const ledger = result.reports.find((r) => r.service === "ledger")!;
    expect(ledger.notes.some((n) => n.property === "idempotence" && n.reason.includes("exactly-once"))).toBe(true);
  });
});

describe("a busy handler", () => {
  it("is stopped, reported with its event, and the other event types are still checked", async () => {
    const r = await runHandlerProperties(await loadSpec(fixture("busy.yaml")), { seed: 1, runs: 30, maxDepth: 4, callTimeoutMs: 200 });
    expect(r.timeouts).toHaveLength(1);
    expect(r.timeouts[0]).toMatchObject({ service: "busy", eventType: "StockReleased", event: { type: "StockReleased" } });
    const busy = r.reports.find((x) => x.service === "busy")!;
    expect(busy.runs).toBeGreaterThan(0);
    expect(busy.failures).toEqual([]);
    expect(r.reports.find((x) => x.service === "pure")?.failures).toEqual([]);
  });
});
