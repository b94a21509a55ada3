// contract-compat on the fixtures: the checker's verdict, both types, and the
// first incompatible property (flat, nested in an array, missing; through a
// loose annotation), and no finding for compatible but different types.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/check/types.js";
import { runFixture } from "../drift/run-fixture.js";

describe("contract-compat", () => {
  it("accepts events whose types differ but are assignable (extra fields, wider unions, optional extras, a catch-all consumer)", async () => {
    const { lines } = await runFixture("contracts/compatible");
    expect(lines).toEqual([]);
  });

  it("reports each incompatible producer/consumer pair once, at the emission site, with the first incompatible property", async () => {
    const { findings, lines } = await runFixture("contracts/mismatch");
    expect(lines).toEqual([
      "contract-compat error src/order/handler.ts:14",
      "contract-compat error src/order/handler.ts:14",
      "contract-compat error src/order/handler.ts:14",
      "contract-compat error src/refunds/handler.ts:7",
    ]);
    const bySubject: Record<string, Finding> = Object.fromEntries(findings.map((f) => [f.subject ?? "", f]));
    expect(Object.keys(bySubject).sort()).toEqual([
      "order-events: OrderCancelled refunds -> audit",
      "order-events: OrderPlaced order -> inventory",
      "order-events: OrderPlaced order -> payment",
      "order-events: OrderPlaced order -> shipping",
    ]);
    const payment = bySubject["order-events: OrderPlaced order -> payment"]!;
    expect(payment.message).toBe(
      "channel order-events: the OrderPlaced that order emits is not assignable to the OrderPlaced that payment's handler accepts; " +
        "first incompatible property: amount is string, expected number. " +
        'Emitted: OrderPlaced { type: "OrderPlaced"; id: string; orderId: string; amount: string; items: { sku: string; quantity: string; }[] }. ' +
        'Accepted: OrderPlaced { type: "OrderPlaced"; id: string; orderId: string; amount: number }',
    );
    // The consumer's event parameter is the related location.
    expect(payment.related?.map((l) => `${l.file.split("/").slice(-2).join("/")}:${l.line}`)).toEqual(["payment/handler.ts:4"]);
    expect(payment.fix).toContain("give amount the type number");
    expect(bySubject["order-events: OrderPlaced order -> inventory"]!.message).toContain(
      "first incompatible property: items[].quantity is string, expected number",
    );
    expect(bySubject["order-events: OrderPlaced order -> shipping"]!.message).toContain(
      "first incompatible property: address is missing (expected { city: string; })",
    );
    const audit = bySubject["order-events: OrderCancelled refunds -> audit"]!.message;
    expect(audit).toContain("first incompatible property: reason is missing (expected string)");
    // The loosely typed literal is shown as written.
    expect(audit).toContain("Emitted: { type: \"OrderCancelled\"; id: string; orderId: \"o1\" }");
  });
});
