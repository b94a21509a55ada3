// Every handler call runs in a seeded clock-and-random environment: a handler
// that reads Math.random or the clock gives the same result for the same input
// (same seed, same report; counterexamples replay), the nondeterminism check
// still catches it, and outside handler calls the globals behave as usual.
import { describe, expect, it } from "vitest";
import { checkHandler } from "../../src/api/check-handler.js";
import type { Event } from "../../src/model/handler.js";
import { normalizeHandler } from "../../src/model/runtime/normalize.js";
import type { ExportRef } from "../../src/spec/types.js";

const ref: ExportRef = { raw: "x.ts#x", file: "x.ts", exportName: "x", loc: { file: "x.ts", line: 1, column: 1 } };

/** Reads every source of nondeterminism a handler might use. */
const impure = {
  initialState: () => ({ seen: [] as unknown[] }),
  handle: (s: { seen: unknown[] }, e: Event) => ({
    state: { seen: [...s.seen, e.type, Math.random(), Date.now(), new Date().toISOString(), Date(), performance.now(), crypto.randomUUID()] },
  }),
};

describe("the environment of a handler call", () => {
  const rt = normalizeHandler("impure", ref, impure);

  it("the same input gives the same result; another event, other values", () => {
    const e1 = { type: "Rolled", id: "e1" };
    const a = rt.handle(rt.initialState(), e1);
    const b = rt.handle(rt.initialState(), e1);
    expect(b).toEqual(a);
    const c = rt.handle(rt.initialState(), { type: "Rolled", id: "e2" });
    expect((c.state as { seen: unknown[] }).seen[1]).not.toBe((a.state as { seen: unknown[] }).seen[1]);
  });

  it("outside handler calls the clock and the random source are the real ones", () => {
    rt.handle(rt.initialState(), { type: "Rolled", id: "e1" }); // the stand-ins are in place from here on
    expect(Math.abs(Date.now() - performance.timeOrigin - performance.now())).toBeLessThan(5_000);
    expect(new Date(0).getTime()).toBe(0);
    expect(typeof Date()).toBe("string");
    class Stamp extends Date {}
    expect(new Stamp(5)).toBeInstanceOf(Stamp);
    expect(new Stamp(5).getTime()).toBe(5);
    expect(new Date()).toBeInstanceOf(Date);
    const draws = new Set(Array.from({ length: 20 }, () => Math.random()));
    expect(draws.size).toBe(20);
  });
});

/** Keeps a random reference of the last event: nondeterministic. */
const dice = {
  initialState: () => ({ open: {} as Record<string, string>, log: [] as string[] }),
  handle: (s: { open: Record<string, string>; log: string[] }, e: Event) => ({
    state: { open: { ...s.open, [String(e.ticketId)]: String(e.type) }, log: [...s.log, Math.random().toString(36).slice(2, 8)].slice(-1) },
  }),
};
const examples = [
  { type: "TicketOpened", ticketId: "t1" },
  { type: "TicketClosed", ticketId: "t1" },
];

describe("a handler using Math.random", () => {
  it("same seed, same report (messages and runs)", async () => {
    const run = () => checkHandler(dice, { name: "dice", events: examples, channel: { key: "ticketId", ordering: "per-key" }, seed: 1 });
    const [a, b] = [await run(), await run()];
    expect(b.format()).toBe(a.format());
    expect(b.report!.runs).toBe(a.report!.runs);
  });

  it("is still reported as nondeterministic", async () => {
    const r = await checkHandler(dice, { name: "dice", events: examples, seed: 1, properties: ["handler-nondeterministic"] });
    expect(r.failures.map((f) => f.eventTypes[0]).sort()).toEqual(["TicketClosed", "TicketOpened"]);
  });
});
