import { describe, expect, it } from "vitest";
import { datastoreOwnership } from "../../src/check/rules/graph/datastore-ownership.js";
import { buildSpec } from "./spec-builder.js";
import { findingsOf } from "./helpers.js";

describe("datastore-ownership", () => {
  it("reports a datastore used by two contexts, at its declaration, with every use", async () => {
    const spec = buildSpec({
      contexts: ["ordering", "billing"],
      datastores: ["order-db", "payment-db"],
      services: {
        order: { context: "ordering", datastores: ["order-db"] },
        "order-worker": { context: "ordering", datastores: ["order-db"] },
        payment: { context: "billing", datastores: ["payment-db", "order-db"] },
      },
    });
    const [f, ...rest] = await findingsOf(datastoreOwnership, spec);
    expect(rest).toEqual([]);
    expect(f?.subject).toBe("order-db");
    expect(f?.location).toEqual(spec.datastores.get("order-db")!.loc);
    expect(f?.related).toHaveLength(3);
    expect(f?.message).toBe(
      "datastore order-db is used across 2 owners: context billing (payment); context ordering (order, order-worker); a datastore belongs to one bounded context",
    );
  });

  it("counts a service without context as its own owner", async () => {
    const spec = buildSpec({ datastores: ["db"], services: { a: { datastores: ["db"] }, b: { datastores: ["db"] } } });
    const [f] = await findingsOf(datastoreOwnership, spec);
    expect(f?.message).toContain("service a (no context); service b (no context)");
  });

  it("accepts one context, and datastores listed as shared", async () => {
    const one = buildSpec({ contexts: ["x"], datastores: ["db"], services: { a: { context: "x", datastores: ["db"] }, b: { context: "x", datastores: ["db"] } } });
    expect(await findingsOf(datastoreOwnership, one)).toEqual([]);
    const shared = buildSpec({
      datastores: ["cache"],
      services: { a: { datastores: ["cache"] }, b: { datastores: ["cache"] } },
      rules: { "datastore-ownership": { options: { shared: ["cache"] } } },
    });
    expect(await findingsOf(datastoreOwnership, shared)).toEqual([]);
  });
});
