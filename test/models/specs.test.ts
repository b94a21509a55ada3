// The two order-system specs load through archverify's own loader, and the
// topology the model tests build from the YAML is the one the checkers use.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../src/spec/load.js";
import { topologyFromSpec } from "../../src/model/system/index.js";
import { readSpec, topologyOf } from "./harness.js";

const plain = (t: ReturnType<typeof topologyOf>) => ({
  channels: [...t.channels.values()]
    .map(({ spec: _spec, ...c }) => c)
    .sort((a, b) => a.name.localeCompare(b.name)),
  eventChannel: [...t.eventChannel].sort(),
  outbox: [...t.outbox].sort(),
});

describe.each(["specs/order-system.yaml", "specs/order-system-seed.yaml"])("%s", (file) => {
  it("loads, and its topology is the one the model tests use", async () => {
    const spec = await loadSpec(resolve(file));
    expect(plain(topologyFromSpec(spec))).toEqual(plain(topologyOf(readSpec(file))));
  });

  it("names a handler for every service with code, and the predicates", async () => {
    const spec = await loadSpec(resolve(file));
    for (const service of spec.services.values()) {
      if (service.code) expect(service.handler?.exportName, service.name).toBe(service.name);
    }
    expect(spec.invariants?.exportName).toBe("invariants");
    expect(spec.quiescence?.exportName).toBe("outcomes");
  });
});

it("the root archverify.yaml includes the reference spec", async () => {
  const spec = await loadSpec(resolve("archverify.yaml"));
  expect([...spec.services.keys()].sort()).toEqual(["carrier", "catalog", "inventory", "order", "payment", "shipping", "stripe", "user"]);
  expect([...spec.scenarios.keys()].sort()).toEqual([
    "account-and-catalog-updates",
    "cancellation-after-window",
    "cancellation-in-window",
    "happy-path",
    "insufficient-stock",
    "last-unit-contention",
    "payment-failure",
    "return-and-refund",
    "second-line-short",
    "stripe-outage",
    "two-line-order",
  ]);
});
