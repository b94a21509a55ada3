import { describe, expect, it } from "vitest";
import { layers } from "../../src/check/rules/graph/layers.js";
import { buildSpec, callLoc, type SpecInput } from "./spec-builder.js";
import { findingsOf } from "./helpers.js";

const base: SpecInput = {
  layers: ["edge", "application", "core"],
  services: {
    gateway: { layer: "edge", calls: ["order"] },
    order: { layer: "application", calls: ["inventory", "billing", "gateway"] },
    billing: { layer: "application" },
    inventory: { layer: "core", calls: ["order"] },
    legacy: { calls: ["gateway"] },
  },
};

describe("layers", () => {
  it("reports calls to an outer layer, and only those", async () => {
    const spec = buildSpec(base);
    const findings = await findingsOf(layers, spec);
    expect(findings.map((f) => f.subject).sort()).toEqual(["inventory -> order", "order -> gateway"]);
    const f = findings.find((x) => x.subject === "inventory -> order");
    expect(f?.severity).toBe("error");
    expect(f?.location).toEqual(callLoc(spec, "inventory", "order"));
    expect(f?.message).toBe(
      "inventory (layer core) calls order (layer application), an outer layer; calls may only go to the same layer or an inner one (layers outermost first: edge > application > core)",
    );
  });

  it("allows the exceptions listed by service or by layer", async () => {
    const byLayer = buildSpec({ ...base, rules: { layers: { options: { allow: [{ from: "core", to: "application" }] } } } });
    expect((await findingsOf(layers, byLayer)).map((f) => f.subject)).toEqual(["order -> gateway"]);
    const byService = buildSpec({ ...base, rules: { layers: { options: { allow: [{ from: "order", to: "gateway" }] } } } });
    expect((await findingsOf(layers, byService)).map((f) => f.subject)).toEqual(["inventory -> order"]);
  });

  it("with requireLayer, reports services without a layer (external ones excepted)", async () => {
    const spec = buildSpec({
      ...base,
      services: { ...base.services, stripe: { external: true } },
      rules: { layers: { options: { requireLayer: true } } },
    });
    const missing = (await findingsOf(layers, spec)).filter((f) => f.subject === "legacy" || f.subject === "stripe");
    expect(missing.map((f) => f.subject)).toEqual(["legacy"]);
    expect(missing[0]?.message).toMatch(/service legacy has no layer/);
  });

  it("does nothing when the spec declares no layers", async () => {
    expect(await findingsOf(layers, buildSpec({ ...base, layers: [] }))).toEqual([]);
  });

  it("rejects an allow entry naming nothing known", async () => {
    const spec = buildSpec({ ...base, rules: { layers: { options: { allow: [{ from: "cor", to: "edge" }] } } } });
    await expect(findingsOf(layers, spec)).rejects.toMatchObject({ hint: 'did you mean "core"?' });
    const malformed = buildSpec({ ...base, rules: { layers: { options: { allow: ["core -> edge"] } } } });
    await expect(findingsOf(layers, malformed)).rejects.toThrow(/list of \{from, to\} pairs/);
  });
});
