// The replay a checkHandler failure prints re-runs that failure: including one found by a
// narrowed commutation search (one payload per key), which only the `search` field selects.
import { describe, expect, it } from "vitest";
import { checkHandler, type CheckHandlerOptions } from "../../src/index.js";
import type { Event } from "../../src/model/handler.js";

type Order = { total?: number; paid?: boolean };
/** Created overwrites the record: a Paid delivered before it is erased, whatever the payloads. */
const overwriting = {
  initialState: (): Record<string, Order> => ({}),
  handle: (s: Record<string, Order>, e: Event) => {
    const id = String(e.orderId);
    if (e.type === "Created") return { state: { ...s, [id]: { total: Number(e.total) } } };
    return { state: { ...s, [id]: { ...s[id], paid: true } } };
  },
};
const examples = [
  { type: "Created", orderId: "o1", total: 30 },
  { type: "Paid", orderId: "o1" },
];

/** The options object literal of a printed `replay: checkHandler(handler, { ... })` line. */
function printedOptions(text: string): Partial<CheckHandlerOptions> {
  const m = /replay: checkHandler\(handler, (\{.*\})\)$/m.exec(text);
  expect(m).not.toBeNull();
  return new Function(`return (${m![1]});`)() as Partial<CheckHandlerOptions>;
}

describe("checkHandler's printed replay", () => {
  for (const budgets of [{}, { runs: 40, maxDepth: 3 }]) {
    it(`re-runs a failure of a narrowed commutation search (${JSON.stringify(budgets)})`, async () => {
      const base = { events: examples, channel: { key: "orderId" }, properties: ["commutation" as const], seed: 3, ...budgets };
      const r = await checkHandler(overwriting, base);
      const f = r.failures.find((x) => x.counterexample.search !== undefined)!;
      expect(f.counterexample.search).toBe("one-payload-per-key");
      const printed = printedOptions(r.format());
      expect(printed.replay).toMatchObject({ property: "commutation", search: "one-payload-per-key", fcSeed: f.counterexample.fcSeed, path: f.counterexample.path });
      expect(printed).toMatchObject(budgets);
      const again = await checkHandler(overwriting, { events: examples, channel: { key: "orderId" }, properties: ["commutation"], ...printed });
      const same = again.failures.find((x) => x.counterexample.search === "one-payload-per-key");
      expect(same?.counterexample.prefix).toEqual(f.counterexample.prefix);
      expect(same?.counterexample.events).toEqual(f.counterexample.events);
      expect(same?.message).toBe(f.message);
    });
  }
});

/** Non-idempotent for both types: the first search fails on one, the second (without it) on the other. */
const naivePoints = (state: { totals: Record<string, number> } = { totals: {} }, e: Event) => {
  const delta = e.type === "PointsEarned" ? Number(e.points) : -Number(e.points);
  return { totals: { ...state.totals, [String(e.customerId)]: (state.totals[String(e.customerId)] ?? 0) + delta } };
};

describe("checkHandler's printed replay of a failure found after another", () => {
  it("re-runs exactly that failure, in one run, for every failure printed", async () => {
    const fc = (await import("fast-check")).default;
    const events = fc.record({ type: fc.constantFrom("PointsEarned", "PointsRedeemed"), id: fc.constant(""), customerId: fc.constantFrom("c1", "c2"), points: fc.integer({ min: 1, max: 50 }) });
    const options = { name: "naive", events, seed: 3, properties: ["idempotence" as const] };
    const r = await checkHandler(naivePoints, options);
    expect(r.failures.map((f) => f.eventTypes[0]).sort()).toEqual(["PointsEarned", "PointsRedeemed"]);
    const later = r.failures[1]!;
    expect(later.counterexample.subjects).toEqual([[later.eventTypes[0]]]);
    const replays = [...r.format().matchAll(/^replay: checkHandler\(handler, (\{.*\})\)$/gm)].map((m) => new Function(`return (${m[1]});`)() as Partial<CheckHandlerOptions>);
    expect(replays).toHaveLength(2);
    for (const [i, printed] of replays.entries()) {
      const again = await checkHandler(naivePoints, { name: "naive", events, ...printed });
      expect(again.report!.runs).toBe(1);
      expect(again.failures).toHaveLength(1);
      expect(again.failures[0]!.eventTypes).toEqual(r.failures[i]!.eventTypes);
      expect(again.failures[0]!.counterexample.events).toEqual(r.failures[i]!.counterexample.events);
      expect(again.failures[0]!.message).toBe(r.failures[i]!.message);
    }
  });
});
