import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ArchverifyError } from "../../src/errors.js";
import { eventShape } from "../../src/model/runtime/event-shape.js";
import { loadServiceRuntime } from "../../src/model/runtime/load.js";
import { normalizeHandler } from "../../src/model/runtime/normalize.js";
import type { ExportRef } from "../../src/spec/types.js";

const file = (name: string) => fileURLToPath(new URL(`../fixtures/handlers/${name}`, import.meta.url));
const ref = (path: string, exportName: string): ExportRef => ({ raw: `${path}#${exportName}`, file: file(path), exportName, loc: { file: "/spec.yaml", line: 7, column: 14 } });

describe("loading handlers", () => {
  it("loads the handle shape from TypeScript", async () => {
    const rt = await loadServiceRuntime("counter", ref("counter.ts", "counter"));
    expect(rt.shape).toBe("handle");
    const r = rt.handle(rt.initialState(), { type: "Incremented", id: "e1", counterId: "a", by: 2 });
    expect(r).toEqual({ state: { counts: { a: 2 } }, emit: [] });
  });

  it("maps a Decider: commands are decided, folded with evolve and emitted", async () => {
    const rt = await loadServiceRuntime("cart", ref("decider.ts", "cart"), { accepts: ["ItemAdded", "CartConfirmed"] });
    expect(rt.shape).toBe("decider");
    const r = rt.handle(rt.initialState(), { type: "AddItem", id: "c1", cartId: "k", sku: "x" });
    expect(r.emit).toEqual([{ type: "ItemAdded", id: "c1/added", cartId: "k", sku: "x", commandId: "c1" }]);
    const evolved = rt.handle(r.state, { type: "CartConfirmed", id: "e9", cartId: "k" });
    expect(evolved.emit).toEqual([]);
    expect(evolved.state).toMatchObject({ k: { confirmed: true } });
  });

  it("finds a reducer's initial state in the module, or asks the reducer", async () => {
    const todos = await loadServiceRuntime("todos", ref("reducer.ts", "todos"));
    expect([todos.shape, todos.initialState()]).toEqual(["reducer", {}]);
    const tally = await loadServiceRuntime("tally", ref("reducer.ts", "tally"));
    expect(tally.initialState()).toEqual({ n: 0 });
  });

  it("reports a missing export with its spec location and a hint", async () => {
    const error = await loadServiceRuntime("x", ref("counter.ts", "Counter")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchverifyError);
    expect(error).toMatchObject({ message: expect.stringContaining('no export named "Counter"'), location: { line: 7, column: 14 }, hint: 'did you mean "counter"?' });
  });

  it("reports a missing file and an unrecognised shape", async () => {
    await expect(loadServiceRuntime("x", ref("nope.ts", "x"))).rejects.toMatchObject({ message: expect.stringContaining("cannot find the module") });
    expect(() => normalizeHandler("x", ref("counter.ts", "x"), { handler: 1 })).toThrow(/no handler shape/);
  });

  it("reports a handler that returns the wrong shape as a throw of the call", () => {
    const rt = normalizeHandler("x", ref("counter.ts", "x"), { initialState: {}, handle: () => 42 });
    expect(() => rt.handle({}, { type: "T", id: "1" })).toThrow(/expected \{ state, emit\? \}/);
  });
});

describe("event shape", () => {
  const channel = { key: "cartId" } as Parameters<typeof eventShape.key>[1];
  it("reads flat and envelope events", () => {
    expect(eventShape.id({ type: "T", id: "e1" })).toBe("e1");
    const envelope = { type: "T", data: { cartId: "c" }, metadata: { eventId: "m1" } } as never;
    expect(eventShape.id(envelope)).toBe("m1");
    expect(eventShape.key(envelope, channel)).toBe("c");
    expect(eventShape.key(envelope, { key: "data.cartId" } as never)).toBe("c");
    expect(eventShape.key({ type: "T", id: "1" }, channel)).toBeUndefined();
  });
});
