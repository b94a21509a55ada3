import fc from "fast-check";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { assertHandler, checkHandler } from "../../src/index.js";
import { counter } from "../fixtures/handlers/counter.js";
import { dedupCounter } from "../fixtures/handlers/dedup-counter.js";
import { cart, leakyCart } from "../fixtures/handlers/decider.js";
import { tally, todos } from "../fixtures/handlers/reducer.js";
import { rooms } from "../fixtures/handlers/rich-state.js";
import { statusUpdate, monotoneStatus } from "../fixtures/handlers/status-update.js";

const increments = fc.record({ type: fc.constant("Incremented"), id: fc.constant(""), counterId: fc.constantFrom("a", "b"), by: fc.integer({ min: 1, max: 5 }) });
const opts = { runs: 60, maxDepth: 4 };

describe("checkHandler", () => {
  it("catches a counter that is not idempotent, with a replayable counterexample", async () => {
    const r = await checkHandler(counter, { ...opts, events: increments, name: "counter" });
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.property)).toEqual(["idempotence"]);
    expect(r.format()).toContain("replay: checkHandler(handler, { seed: 1, replay:");
    const f = r.failures[0]!;
    const replayed = await checkHandler(counter, { ...opts, events: increments, replay: { property: "idempotence", fcSeed: f.counterexample.fcSeed, path: f.counterexample.path }, properties: ["idempotence"] });
    expect(replayed.failures[0]?.counterexample.events).toEqual(f.counterexample.events);
  });

  it("passes a deduplicating counter (Map and Set state)", async () => {
    expect((await checkHandler(dedupCounter, { ...opts, events: increments })).failures).toEqual([]);
  });

  it("gives the same failures for the same seed", async () => {
    const run = async (seed: number) => JSON.stringify((await checkHandler(statusUpdate, { ...opts, seed, events: [{ type: "StatusChanged", orderId: "o", status: "shipped" }, { type: "StatusChanged", orderId: "o", status: "delivered" }] })).failures);
    expect(await run(7)).toBe(await run(7));
    expect(JSON.parse(await run(7))).not.toEqual([]);
  });

  it("names the channel only when one is known", async () => {
    const events = [{ type: "StatusChanged", orderId: "o", status: "shipped" }, { type: "StatusChanged", orderId: "o", status: "delivered" }];
    const unnamed = await checkHandler(statusUpdate, { ...opts, events, properties: ["commutation"] });
    expect(unnamed.failures[0]!.message).toContain("; the channel does not keep order");
    const named = await checkHandler(statusUpdate, { ...opts, events, properties: ["commutation"], channel: { name: "status-events" } });
    expect(named.failures[0]!.message).toContain("; channel status-events does not keep order");
  });

  it("varies example events over the key pool, and respects per-key order", async () => {
    const examples = [{ type: "StatusChanged", orderId: "o1", status: "shipped" }, { type: "StatusChanged", orderId: "o1", status: "delivered" }];
    expect((await checkHandler(monotoneStatus, { ...opts, events: examples, channel: { key: "orderId" } })).failures).toEqual([]);
    const perKey = await checkHandler(statusUpdate, { ...opts, events: examples, channel: { ordering: "per-key", key: "orderId" } });
    expect(perKey.failures.filter((f) => f.property === "commutation")).toEqual([]);
  });

  it("accepts Decider and reducer shapes", async () => {
    const commands = fc.oneof(
      fc.record({ type: fc.constant("AddItem"), id: fc.constant(""), cartId: fc.constantFrom("c1", "c2"), sku: fc.constantFrom("x", "y") }),
      fc.record({ type: fc.constant("Confirm"), id: fc.constant(""), cartId: fc.constantFrom("c1", "c2") }),
    );
    expect((await checkHandler(cart, { ...opts, events: commands })).failures).toEqual([]);
    expect((await checkHandler(leakyCart, { ...opts, events: commands })).failures.map((f) => f.property)).toContain("idempotence");
    const todo = [{ type: "TodoAdded", todoId: "t", title: "x" }, { type: "TodoDone", todoId: "t" }];
    expect((await checkHandler(todos, { ...opts, initialState: {}, events: todo, channel: { ordering: "per-key", key: "todoId" } })).failures).toEqual([]);
    expect((await checkHandler(tally, { ...opts, events: todo })).failures.map((f) => `${f.property} ${f.eventTypes[0]}`)).toEqual(["idempotence TodoAdded"]);
  });

  it("generates from a zod schema", async () => {
    const schema = z.object({ type: z.literal("UserJoined"), id: z.string(), roomId: z.string(), userId: z.string(), at: z.iso.datetime() });
    expect((await checkHandler(rooms, { ...opts, events: schema })).failures).toEqual([]);
  });

  it("checks a handler by reference in the sandbox, from its TypeScript types", async () => {
    const r = await checkHandler("test/fixtures/handlers/overwrite-on-create.ts#overwriteOnCreate", opts);
    expect(r.failures.map((f) => `${f.property} ${f.eventTypes.join("/")}`)).toContain("commutation OrderCreated/PaymentCompleted");
  });

  it("assertHandler throws an assertion error with the counterexample", async () => {
    await expect(assertHandler(counter, { ...opts, events: increments })).rejects.toThrow(/idempotence[\s\S]*Incremented delivered twice[\s\S]*replay/);
    await expect(assertHandler(dedupCounter, { ...opts, events: increments })).resolves.toMatchObject({ ok: true });
  });

  it("asks for events when it cannot generate any", async () => {
    await expect(checkHandler(counter)).rejects.toThrow(/needs events/);
  });
});
