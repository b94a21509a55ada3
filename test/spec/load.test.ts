// A valid multi-file spec resolves to the model the rest of the pipeline reads.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ArchverifyError, ArchverifyErrors } from "../../src/errors.js";
import { withUniqueIds } from "../../src/check/generate/event-source.js";
import type { Event } from "../../src/model/handler.js";
import { getPath, idPath } from "../../src/model/runtime/event-shape.js";
import { loadSpec, loadSpecText } from "../../src/spec/load.js";
import { VALID_SPEC, scratch } from "./helpers.js";

const fixture = resolve("test/fixtures/specs/valid");
const rootFile = join(fixture, "archverify.yaml");

describe("loadSpec on a valid multi-file spec", () => {
  it("merges the included file's sections and lists the files read", async () => {
    const spec = await loadSpec(rootFile);
    expect(spec.file).toBe(rootFile);
    expect(spec.dir).toBe(fixture);
    expect(spec.files).toEqual([rootFile, join(fixture, "parts/channels.yaml")]);
    expect([...spec.services.keys()]).toEqual(["order", "inventory", "payment"]);
    expect([...spec.channels.keys()]).toEqual(["order-events", "stock-events"]);
    expect(Object.fromEntries(spec.eventChannel)).toEqual({ OrderPlaced: "order-events", OrderCancelled: "order-events", StockReserved: "stock-events" });
  });

  it("fills defaults and keeps what was written", async () => {
    const spec = await loadSpec(rootFile);
    const order = spec.services.get("order");
    const inventory = spec.services.get("inventory");
    const payment = spec.services.get("payment");
    expect(order?.outbox).toBe(true);
    expect(inventory?.outbox).toBe(false);
    expect(payment?.external).toBe(true);
    expect(order?.external).toBe(false);
    expect(payment?.description).toBe("the payment provider");
    expect(order?.calls.map((c) => [c.to.name, c.protocol])).toEqual([["inventory", "grpc"]]);
    const stock = spec.channels.get("stock-events");
    expect(stock).toMatchObject({ delivery: "exactly-once", ordering: "none", maxRedeliveries: 3 });
    expect(spec.channels.get("order-events")).toMatchObject({ delivery: "at-least-once", ordering: "per-key", key: "orderId", broker: "kafka" });
    expect(spec.contexts.get("stock")).toEqual({ name: "stock", loc: { file: rootFile, line: 4, column: 83 } });
    expect(spec.contextMap.map((r) => [r.upstream.name, r.downstream.name, r.pattern])).toEqual([["billing", "ordering", "customer-supplier"]]);
    expect(spec.layers.map((l) => l.name)).toEqual(["edge", "application", "core"]);
    expect(spec.gateway.routes.map((r) => [r.path, r.to.name, r.plugins])).toEqual([["/orders", "order", ["auth", "rate-limit"]]]);
    expect(spec.rules.get("no-sync-cycles")).toMatchObject({ id: "no-sync-cycles", severity: "warning", options: { maxLength: 3 } });
  });

  it("gives every element the line and column where it is written", async () => {
    const spec = await loadSpec(rootFile);
    const order = spec.services.get("order");
    expect(order?.loc).toEqual({ file: rootFile, line: 8, column: 3 });
    expect(order?.context?.loc).toEqual({ file: rootFile, line: 9, column: 14 });
    expect(order?.calls[0]?.to.loc).toEqual({ file: rootFile, line: 14, column: 20 });
    expect(order?.calls[0]?.loc).toEqual({ file: rootFile, line: 14, column: 14 });
    expect(order?.datastores[0]?.loc).toEqual({ file: rootFile, line: 13, column: 19 });
    const channels = join(fixture, "parts/channels.yaml");
    expect(spec.channels.get("order-events")?.loc).toEqual({ file: channels, line: 3, column: 3 });
    expect(spec.channels.get("order-events")?.consumers[1]?.loc).toEqual({ file: channels, line: 9, column: 29 });
  });

  it("resolves paths against the file that wrote them, trying .ts for .js", async () => {
    const spec = await loadSpec(rootFile);
    expect(spec.services.get("order")?.code?.path).toBe(join(fixture, "src/order"));
    expect(spec.services.get("order")?.handler).toMatchObject({ file: join(fixture, "src/order/handler.ts"), exportName: "order", raw: "src/order/handler.ts#order" });
    expect(spec.services.get("inventory")?.handler?.file).toBe(join(fixture, "src/inventory/handler.ts"));
    expect(spec.invariants).toMatchObject({ file: join(fixture, "src/invariants.ts"), exportName: "invariants" });
    expect(spec.quiescence).toMatchObject({ file: join(fixture, "src/invariants.ts"), exportName: "outcomes" });
    expect(spec.sharedKernels.get("money")?.code.path).toBe(join(fixture, "src/shared"));
  });

  it("gives scenario events without an id a deterministic one", async () => {
    const spec = await loadSpec(rootFile);
    const inputs = spec.scenarios.get("happy-path")?.inputs ?? [];
    expect(inputs.map((i) => i.event)).toEqual([
      { type: "OrderPlaced", id: "e1", orderId: "o1" },
      { type: "OrderCancelled", orderId: "o1", id: "happy-path-2" },
    ]);
    expect(inputs.map((i) => i.channel.name)).toEqual(["order-events", "order-events"]);
    expect(spec.scenarios.get("happy-path")?.description).toBe("one order placed");
  });

  it("adds no id to a scenario event that carries its own at a path the runtime reads it from", () => {
    const text = [
      "archverify: 1",
      "services: { shop: {} }",
      "channels: { commands: { events: [ Add ], producers: [ shop ] } }",
      "scenarios:",
      "  envelopes:",
      "    inputs:",
      "      - { channel: commands, event: { type: Add, data: { cartId: c1 }, metadata: { eventId: cmd-2 } } }",
      "      - { channel: commands, event: { type: Add, eventId: 7 } }",
      "      - { channel: commands, event: { type: Add, metadata: { occurredAt: now } } }",
      "",
    ].join("\n");
    const events = loadSpecText(text, "spec.yaml").scenarios.get("envelopes")?.inputs.map((i) => i.event) ?? [];
    expect(events).toEqual([
      { type: "Add", data: { cartId: "c1" }, metadata: { eventId: "cmd-2" } },
      { type: "Add", eventId: 7 },
      { type: "Add", metadata: { occurredAt: "now" }, id: "envelopes-3" },
    ]);
    // The runtime then reads (and, when it numbers events, rewrites) the envelope's own id.
    expect(events.map((e) => idPath(e))).toEqual(["metadata.eventId", "eventId", "id"]);
    const numbered = withUniqueIds(events as Event[]);
    expect(new Set(numbered.map((e) => getPath(e, idPath(e)))).size).toBe(3);
    expect(numbered[0]).not.toHaveProperty("id");
  });

  it("loads the same text the same way through loadSpecText", async () => {
    const fromFile = await loadSpec(rootFile);
    const fromText = await loadSpecText(readFileSync(rootFile, "utf8"), rootFile);
    expect(fromText).toEqual(fromFile);
  });

  it("reads an included file once when two files include it", async () => {
    const dir = scratch({
      "spec.yaml": `${VALID_SPEC}include: [ a.yaml, b.yaml ]\n`,
      "a.yaml": "include: [ common.yaml ]\n",
      "b.yaml": "include: [ common.yaml ]\n",
      "common.yaml": "datastores: { cache: { kind: redis } }\n",
    });
    const spec = await loadSpec(join(dir, "spec.yaml"));
    expect(spec.files.map((f) => f.slice(dir.length + 1))).toEqual(["spec.yaml", "a.yaml", "common.yaml", "b.yaml"]);
    expect(spec.datastores.get("cache")?.kind).toBe("redis");
  });

  it("accepts a service written with an empty value", async () => {
    const spec = await loadSpecText(VALID_SPEC.replace("  payment: { context: billing, layer: core }", "  payment:"), join(scratch(), "spec.yaml"));
    expect(spec.services.get("payment")).toMatchObject({ name: "payment", outbox: true, external: false, calls: [], datastores: [], loc: { line: 12, column: 3 } });
  });

  it("accepts anchors and aliases that repeat a value", async () => {
    const text = VALID_SPEC.replace("datastores: [ order-db ]", "datastores: &dbs [ order-db ]").replace("  inventory: { context: ordering, layer: core }", "  inventory: { context: ordering, layer: core, datastores: *dbs }");
    const spec = await loadSpecText(text, join(scratch(), "spec.yaml"));
    expect(spec.services.get("inventory")?.datastores.map((d) => d.name)).toEqual(["order-db"]);
  });
});

describe("loadSpecText errors", () => {
  it("throws ArchverifyErrors with every problem, in location order", () => {
    const file = join(scratch(), "spec.yaml");
    const text = VALID_SPEC.replace("to: inventory", "to: nowhere").replace("producers: [ order ]", "producers: [ ghost ]");
    let caught: unknown;
    try {
      loadSpecText(text, file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ArchverifyErrors);
    const errors = (caught as ArchverifyErrors).errors;
    expect(errors.map((e) => [e.location?.line, e.location?.column])).toEqual([
      [10, 20],
      [20, 18],
    ]);
    expect(errors.every((e) => e instanceof ArchverifyError && e.kind === "input" && e.location?.file === file)).toBe(true);
  });

  it("caps the number of problems shown and counts the rest", () => {
    const services = Array.from({ length: 300 }, (_, i) => `  s${i}: { calls: [ { to: missing${i} } ] }`).join("\n");
    let caught: unknown;
    try {
      loadSpecText(`archverify: 1\nservices:\n${services}\n`, join(scratch(), "spec.yaml"));
    } catch (e) {
      caught = e;
    }
    const errors = (caught as ArchverifyErrors).errors;
    expect(errors).toHaveLength(201);
    expect(errors.at(-1)?.message).toBe("100 more problems not shown");
    expect(errors.at(-1)?.location?.line).toBe(203);
  });
});
