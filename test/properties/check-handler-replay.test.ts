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
