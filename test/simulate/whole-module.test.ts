// A reference without #name to a module with no default export names the module itself:
// a Decider written as top-level initialState/evolve is a handler, a module of functions is
// a record of predicates. With envelope events (the id in metadata.eventId), the traces keep
// the events' own ids and replay.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchCli } from "../scratch-cli.js";
import { loadSystemRuntime } from "../../src/model/runtime/load.js";
import { loadSpec } from "../../src/spec/load.js";

const fixtures = new URL("../fixtures/systems/module-decider/", import.meta.url).pathname;
const { cwd, run } = scratchCli();

describe("a module as the handler and as the predicates", () => {
  it("finds the lost removal, located at evolve, and the trace keeps the events' own ids and replays", async () => {
    const r = await run(["check", join(fixtures, "broken.yaml"), "--no-color"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/module-decider\/cart\.ts:10:1 {2}error {2}commutation/);
    expect(r.out).toContain("witness: 1. deliver ItemRemoved m2 to cart -> 2. deliver ItemAdded m1 to cart");
    const traceFile = join(cwd, "reports/broken--model-convergence--add-then-remove.json");
    const trace = JSON.parse(readFileSync(traceFile, "utf8")) as { inputs: { event: Record<string, unknown> }[] };
    expect(trace.inputs.map((i) => i.event)).toEqual([
      { type: "ItemAdded", data: { cartId: "c1", sku: "s1" }, metadata: { eventId: "m1" } },
      { type: "ItemRemoved", data: { cartId: "c1", sku: "s1" }, metadata: { eventId: "m2" } },
    ]);
    const replay = await run(["replay", traceFile]);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain("still fails");
  });

  it("passes the Decider that remembers removals", async () => {
    const r = await run(["check", join(fixtures, "fixed.yaml"), "--no-color"]);
    expect(r.out).toContain("0 errors, 0 warnings");
    expect(r.code).toBe(0);
  });

  it("takes a module's exported functions as its predicates, and leaves its constants out", async () => {
    const runtime = await loadSystemRuntime(await loadSpec(join(fixtures, "fixed.yaml")));
    expect(Object.keys(runtime.invariants).sort()).toEqual(["fewItems", "noDuplicateItems"]);
    expect(runtime.invariants["noDuplicateItems"]!({ cart: { c1: { items: ["a", "a"] } } })).toBe("cart c1 lists an item twice");
  });

  it("still wants a default export where the module exports nothing", async () => {
    const dir = mkdtempSync(join(cwd, "empty-"));
    writeFileSync(join(dir, "nothing.ts"), "const local = 1;\nvoid local;\n");
    writeFileSync(join(dir, "spec.yaml"), readFileSync(join(fixtures, "fixed.yaml"), "utf8").replace("handler: cart-fixed.ts", "handler: nothing.ts").replace("invariants: invariants.ts\n", ""));
    const r = await run(["check", join(dir, "spec.yaml")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("nothing.ts: the module has no export named default; expected a module with a default export, or with top-level exports initialState and handle, evolve or decide");
  });
});
