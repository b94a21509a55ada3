// The compact witness keeps the order of different messages: only identical
// consecutive deliveries fold, and ids are shown where one type reaches one
// consumer as different messages.
import { describe, expect, it } from "vitest";
import { witnessOf } from "../../src/check/simulate/render.js";
import type { TraceTransition } from "../../src/check/simulate/trace-format.js";

const deliver = (type: string, id: string, consumer: string, more: Partial<TraceTransition> = {}): TraceTransition =>
  ({ action: "deliver", seq: 0, channel: "c", type, id, consumer, ...more }) as TraceTransition;

describe("witnessOf", () => {
  it("shows the order of different events of one type (ids), folding none of them", () => {
    const w = witnessOf([deliver("StatusChanged", "s1", "tracking"), deliver("StatusChanged", "s3", "tracking"), deliver("StatusChanged", "s2", "tracking"), deliver("Other", "o1", "x")]);
    expect(w).toEqual(["StatusChanged#s1@tracking", "StatusChanged#s3@tracking", "StatusChanged#s2@tracking", "Other@x"]);
  });

  it("folds one message delivered again and again", () => {
    const loop = Array.from({ length: 998 }, () => deliver("Poison", "p1", "x"));
    expect(witnessOf([deliver("Start", "a", "y"), ...loop])).toEqual(["Start@y", "Poison@x x998"]);
  });

  it("marks a duplicate apart from the original", () => {
    expect(witnessOf([deliver("Paid", "p1", "order"), deliver("Paid", "p1", "order", { duplicate: true })])).toEqual(["Paid@order", "Paid (dup)@order"]);
  });
});
