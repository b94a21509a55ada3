import { describe, expect, it } from "vitest";
import { contextMap } from "../../src/check/rules/graph/context-map.js";
import type { ContextPattern } from "../../src/spec/types.js";
import { buildSpec, callLoc, type SpecInput } from "./spec-builder.js";
import { findingsOf } from "./helpers.js";

const withMap = (relations: { upstream: string; downstream: string; pattern: ContextPattern }[]): SpecInput => ({
  contexts: ["ordering", "billing", "shipping"],
  contextMap: relations,
  services: {
    order: { context: "ordering", calls: ["payment", "order-worker"] },
    "order-worker": { context: "ordering" },
    payment: { context: "billing" },
    stripe: { external: true },
  },
});

describe("context-map", () => {
  it("reports a cross-context call with no relation, naming the relation to add", async () => {
    const spec = buildSpec(withMap([]));
    const [f, ...rest] = await findingsOf(contextMap, spec);
    expect(rest).toEqual([]);
    expect(f?.location).toEqual(callLoc(spec, "order", "payment"));
    expect(f?.subject).toBe("order -> payment");
    expect(f?.message).toBe(
      "order (context ordering) calls payment (context billing), but the context map declares no relation between them; add { upstream: billing, downstream: ordering, pattern: customer-supplier } to contextMap (or another pattern that lets ordering call billing: conformist, anticorruption-layer, open-host-service, published-language; shared-kernel or partnership in either direction)",
    );
  });

  it.each(["customer-supplier", "conformist", "anticorruption-layer", "open-host-service", "published-language", "shared-kernel", "partnership"] as const)(
    "accepts billing upstream of ordering as %s",
    async (pattern) => {
      expect(await findingsOf(contextMap, buildSpec(withMap([{ upstream: "billing", downstream: "ordering", pattern }])))).toEqual([]);
    },
  );

  it.each(["shared-kernel", "partnership"] as const)("accepts %s declared the other way round", async (pattern) => {
    expect(await findingsOf(contextMap, buildSpec(withMap([{ upstream: "ordering", downstream: "billing", pattern }])))).toEqual([]);
  });

  it("says when the relation exists only in the other direction", async () => {
    const spec = buildSpec(withMap([{ upstream: "ordering", downstream: "billing", pattern: "customer-supplier" }]));
    const [f] = await findingsOf(contextMap, spec);
    expect(f?.message).toContain("the context map has the relation only in the other direction (ordering upstream of billing, customer-supplier)");
    expect(f?.related).toEqual([spec.contextMap[0]!.loc]);
  });

  it("treats separate-ways as no integration", async () => {
    const [f] = await findingsOf(contextMap, buildSpec(withMap([{ upstream: "billing", downstream: "ordering", pattern: "separate-ways" }])));
    expect(f?.message).toContain("declares ordering and billing separate-ways, which allows no integration");
  });

  it("honours allow by service or context", async () => {
    const byContext = buildSpec({ ...withMap([]), rules: { "context-map": { options: { allow: [{ from: "ordering", to: "billing" }] } } } });
    expect(await findingsOf(contextMap, byContext)).toEqual([]);
    const byService = buildSpec({ ...withMap([]), rules: { "context-map": { options: { allow: [{ from: "order", to: "payment" }] } } } });
    expect(await findingsOf(contextMap, byService)).toEqual([]);
  });
});
