// partitionBy: an entity's handler (one state per stream, as event-sourced aggregates and
// Deciders are written) run as a service keeps one state per entity. Without it, one account's
// Closed closes every account, which the checks report; with it, the system checks clean.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchCli } from "../scratch-cli.js";
import { checkHandler } from "../../src/index.js";
import { normalizeHandler } from "../../src/model/runtime/normalize.js";
import { loadSpecText } from "../../src/spec/load.js";
import type { ExportRef } from "../../src/spec/types.js";

const dir = new URL("../fixtures/systems/partitioned/", import.meta.url).pathname;
const { run } = scratchCli();

const ref: ExportRef = { raw: "counter.ts#counter", file: "counter.ts", exportName: "counter", loc: { file: "spec.yaml", line: 1, column: 1 } };
const counter = {
  initialState: () => ({ n: 0 }),
  handle: (s: { n: number }, e: { type: string; id: string }) => ({ state: { n: s.n + 1 }, emit: [{ type: "Counted", id: `${e.id}:c` }] }),
  restart: () => ({ n: -1 }),
};

describe("partitionBy", () => {
  it("keeps one state per entity, found as written or under data", () => {
    const rt = normalizeHandler("counter", ref, counter, {}, { partitionBy: "cartId" });
    expect(rt.initialState()).toEqual({});
    const one = rt.handle(rt.initialState(), { type: "Added", id: "e1", cartId: "c1" });
    const two = rt.handle(one.state, { type: "Added", id: "e2", data: { cartId: "c2" } });
    const three = rt.handle(two.state, { type: "Added", id: "e3", cartId: "c1" });
    expect(three.state).toEqual({ c1: { n: 2 }, c2: { n: 1 } });
    expect(three.emit).toEqual([{ type: "Counted", id: "e3:c" }]);
    expect(rt.restart?.(three.state)).toEqual({ c1: { n: -1 }, c2: { n: -1 } });
    expect(() => rt.handle({}, { type: "Added", id: "e4" })).toThrow("Added has no value at cartId (the service's partitionBy)");
  });

  it("the aggregate run without it: one account's Closed closes the other, and the checks say so", async () => {
    const r = await run(["check", join(dir, "unpartitioned.yaml"), "--no-color", "--runs", "100"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("ledger: handling Deposited throws on the traffic of scenario two-accounts: deposit to a closed account");
    expect(r.out).toContain("witness: 1. deliver Deposited d1 to ledger -> 2. deliver Closed c1 to ledger -> 3. (loop) deliver Deposited d2 to ledger");
  });

  it("the same aggregate with it: every schedule converges", async () => {
    const r = await run(["check", join(dir, "partitioned.yaml"), "--no-color", "--runs", "100"]);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/partitioned\.yaml: 0 errors/);
    expect(r.code).toBe(0);
  });

  it("without a handler it is a spec error", () => {
    expect(() => loadSpecText("archverify: 1\nservices:\n  a:\n    partitionBy: id\n", `${dir}inline.yaml`)).toThrow('service "a" has partitionBy but no handler');
  });

  it("checkHandler takes it too: an entity's last-writer state commutes across entities only with it", async () => {
    // Written for one account's stream: it records the last event's account and amount.
    const lastDeposit = {
      initialState: () => ({ account: "", amount: 0 }),
      handle: (_s: unknown, e: { type: "Deposited"; id: string; data: { accountId: string; amount: number } }) => ({ state: { account: e.data.accountId, amount: e.data.amount } }),
    };
    const events = [
      { type: "Deposited", id: "d1", data: { accountId: "a1", amount: 1 } },
      { type: "Deposited", id: "d2", data: { accountId: "a2", amount: 2 } },
    ];
    const options = { events, channel: { ordering: "per-key", key: "data.accountId" }, properties: ["commutation"], runs: 100 } as const;
    const without = await checkHandler(lastDeposit, options);
    expect(without.failures.map((f) => f.property)).toEqual(["commutation"]);
    const withIt = await checkHandler(lastDeposit, { ...options, partitionBy: "accountId" });
    expect(withIt.failures).toEqual([]);
    expect(withIt.ok).toBe(true);
  });
});
