// Each drift fixture yields exactly the findings its spec describes, at the
// code (undeclared) or spec (unused) line; the clean and patterns fixtures
// yield none.
import { describe, expect, it } from "vitest";
import { runFixture } from "./run-fixture.js";

describe("drift rules on the fixtures", () => {
  it("finds nothing when code and spec agree (clean)", async () => {
    const { lines } = await runFixture("drift/clean");
    expect(lines).toEqual([]);
  });

  it("finds nothing on a service of every handler shape using every emission pattern (patterns)", async () => {
    const { lines } = await runFixture("drift/patterns");
    expect(lines).toEqual([]);
  });

  it("undeclared-emission: an event of another service's channel, and one no channel carries", async () => {
    const { findings, lines } = await runFixture("drift/undeclared-emission");
    expect(lines).toEqual(["undeclared-emission error src/order/handler.ts:11", "undeclared-emission error src/order/handler.ts:14"]);
    const [other, nowhere] = [...findings].sort((a, b) => a.location!.line - b.location!.line);
    expect(other!.message).toBe(
      "order emits InvoiceRequested, which channel billing-events carries, but order is not a producer of billing-events (producers: billing)",
    );
    expect(other!.fix).toBe("add order to the producers of channel billing-events, or stop emitting InvoiceRequested");
    expect(nowhere!.message).toBe("order emits OrderArchived, but no channel of the spec carries OrderArchived (order produces: order-events)");
  });

  it("unused-emission: a declared producer that emits nothing; a service with unknown emissions is not judged", async () => {
    const { findings: all, lines } = await runFixture("drift/unused-emission");
    // audit's unknown site is named, at info, so users know what was not judged.
    expect(lines).toEqual(["unresolved-emission info src/audit/handler.ts:8", "unused-emission warning spec.yaml:20"]);
    const findings = all.filter((f) => f.ruleId === "unused-emission");
    expect(findings[0]!.message).toBe(
      "inventory is declared a producer of stock-events (StockReserved), but its code emits none of these events (it emits: none)",
    );
  });

  it("undeclared-subscription: a type of a channel not consumed, and one no channel carries", async () => {
    const { findings, lines } = await runFixture("drift/undeclared-subscription");
    expect(lines).toEqual(["undeclared-subscription error src/shipping/handler.ts:14", "undeclared-subscription error src/shipping/handler.ts:15"]);
    expect(findings.map((f) => f.message).sort()).toEqual([
      "shipping handles OrderPlaced, which channel order-events carries, but shipping is not a consumer of order-events (consumers: payment)",
      "shipping handles OrderRefunded, but no channel of the spec carries OrderRefunded (shipping consumes: payment-events)",
    ]);
  });

  it("unused-subscription: a consumed channel none of whose events the handler takes", async () => {
    const { findings, lines } = await runFixture("drift/unused-subscription");
    expect(lines).toEqual(["unused-subscription warning spec.yaml:14"]);
    expect(findings[0]!.subject).toBe("notifier consumes order-events");
  });

  it("undeclared-call: one finding per undeclared target, at the first code line naming it, per recognised pattern", async () => {
    const { findings, lines } = await runFixture("drift/undeclared-call");
    expect(lines).toEqual([
      "undeclared-call error src/order/clients.ts:13",
      "undeclared-call error src/order/clients.ts:14",
      "undeclared-call error src/order/clients.ts:3",
      "undeclared-call error src/order/clients.ts:9",
      "undeclared-call error src/order/clients.ts:12",
    ].sort());
    const bySubject = Object.fromEntries(findings.map((f) => [f.subject, f.message]));
    expect(Object.keys(bySubject).sort()).toEqual(["order -> billing", "order -> catalog", "order -> payment", "order -> shipping", "order -> user-service"]);
    expect(bySubject["order -> payment"]).toContain("(new PaymentServiceClient())");
    expect(bySubject["order -> shipping"]).toContain('("http://shipping-service:8080")');
    expect(bySubject["order -> user-service"]).toContain("(process.env.USER_SERVICE_URL)");
    expect(bySubject["order -> catalog"]).toContain("(createClient(CatalogService))");
    expect(bySubject["order -> billing"]).toContain('(sendCommand("billing"))');
    // The call to payment is made twice (client, then `payments.call("payment")`): one finding, the other site related.
    expect(findings.find((f) => f.subject === "order -> payment")!.related?.map((l) => l.line)).toEqual([10]);
  });

  it("unused-call: a declared call the code never makes; handler-only services and external targets are not judged", async () => {
    const { findings, lines } = await runFixture("drift/unused-call");
    expect(lines).toEqual(["unused-call warning spec.yaml:7"]);
    expect(findings[0]!.message).toBe("order declares a call to payment, but its code (1 file under src/order) never calls payment in a recognised way");
  });

  it("judges several handlers of one module by the code each export reaches; a union-typed emission is only possible", async () => {
    const { findings, lines } = await runFixture("drift/shared-module");
    // order, payment, the factory-made a and b, and relay (which forwards a union)
    // are all clean; stray emits a Ping or a Pong and produces neither, and never
    // the Strayed it is declared to produce.
    expect(lines).toEqual(["undeclared-emission error handlers.ts:51", "unused-emission warning spec.yaml:21"]);
    expect(findings[0]!.message).toBe(
      "stray emits one of Ping, Pong (the emitted value's type is a union of them), but produces none of them (stray produces: stray-events)",
    );
  });
});
