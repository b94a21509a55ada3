import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { concurrentCopies } from "../../src/check/simulate/copies.js";
import type { SystemInput } from "../../src/model/system/index.js";

const keyOf = (channel: string) => (channel === "orders" ? "orderId" : channel === "carts" ? "data.cartId" : undefined);

describe("concurrent copies of a scenario", () => {
  it("renames ids and key values consistently inside each copy, and leaves the original alone", () => {
    const inputs: SystemInput[] = [
      { channel: "orders", event: { type: "OrderPlaced", id: "e1", orderId: "o1", userId: "u1" } },
      { channel: "payments", event: { type: "PaymentRequested", id: "e2", orderId: "o1", causedBy: "e1" } },
      { channel: "carts", event: { type: "CartClosed", data: { cartId: "c1" }, metadata: { order: "o1" } } },
    ];
    expect(concurrentCopies(inputs, 2, keyOf)).toEqual([
      ...inputs,
      { channel: "orders", event: { type: "OrderPlaced", id: "e1~2", orderId: "o1~2", userId: "u1" } },
      { channel: "payments", event: { type: "PaymentRequested", id: "e2~2", orderId: "o1~2", causedBy: "e1~2" } },
      { channel: "carts", event: { type: "CartClosed", id: "input-3~2", data: { cartId: "c1~2" }, metadata: { order: "o1~2" } } },
    ]);
  });

  test.prop([
    fc.array(fc.record({ channel: fc.constantFrom("orders", "payments"), id: fc.stringMatching(/^[a-z0-9]{1,3}$/), orderId: fc.stringMatching(/^[a-z0-9]{0,2}$/) }), { maxLength: 6 }),
    fc.integer({ min: 1, max: 4 }),
  ])("every copy has its own ids and keys, and the same shape as the original", (rows, copies) => {
    const inputs: SystemInput[] = rows.map((r) => ({ channel: r.channel, event: { type: "E", id: r.id, orderId: r.orderId } }));
    const out = concurrentCopies(inputs, copies, keyOf);
    expect(out).toHaveLength(inputs.length * copies);
    expect(out.slice(0, inputs.length)).toEqual(inputs);
    const originalIds = new Set(inputs.map((i) => i.event.id));
    for (let c = 1; c < copies; c++) {
      const copy = out.slice(c * inputs.length, (c + 1) * inputs.length);
      copy.forEach((input, i) => {
        expect(input.channel).toBe(inputs[i]!.channel);
        expect(input.event.id).toBe(`${String(inputs[i]!.event.id)}~${c + 1}`);
        expect(originalIds.has(String(input.event.id))).toBe(false);
        // Keys of the keyed channel are renamed, so no flow of a copy shares a key with the original.
        if (input.channel === "orders") expect(input.event.orderId).toBe(`${String(inputs[i]!.event.orderId)}~${c + 1}`);
      });
    }
  });
});
