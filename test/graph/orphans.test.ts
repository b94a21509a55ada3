import { describe, expect, it } from "vitest";
import { orphans } from "../../src/check/rules/graph/orphans.js";
import { buildSpec, type SpecInput } from "./spec-builder.js";
import { findingsOf } from "./helpers.js";

const topology: SpecInput = {
  datastores: ["order-db", "old-db"],
  services: {
    order: { calls: ["inventory", "stripe"], datastores: ["order-db"] },
    inventory: {},
    payment: {},
    reporting: { calls: ["reporting"] },
    stripe: { external: true },
    "stripe-webhooks": { external: true, calls: ["payment"] },
    fax: { external: true },
  },
  channels: {
    "order-events": { events: ["OrderPlaced"], producers: ["order"], consumers: ["payment"] },
    "audit-events": { events: ["Audited"], producers: ["order"] },
    "legacy-events": { events: ["LegacyThing"], consumers: ["inventory"] },
    unused: {},
  },
  routes: [{ path: "/orders", to: "order" }],
};

describe("orphans", () => {
  it("reports what nothing reaches, as info", async () => {
    const findings = await findingsOf(orphans, buildSpec(topology));
    expect(findings.every((f) => f.severity === "info")).toBe(true);
    expect(Object.fromEntries(findings.map((f) => [f.subject, f.message]))).toEqual({
      reporting: "service reporting is unreachable: no service calls it, no gateway route targets it, and it consumes no channel",
      fax: "external service fax is never used: no service calls it, and it neither calls a service nor produces on a channel",
      "audit-events": "channel audit-events has no consumer: every event its producers (order) publish on it (Audited) is dropped",
      "legacy-events": "channel legacy-events has no producer: nothing publishes its events (LegacyThing), so its consumers (inventory) never receive anything from it",
      unused: "channel unused has neither producer nor consumer: nothing publishes or reads its events",
      "old-db": "datastore old-db is used by no service",
    });
  });

  it("skips what the ignore option lists, and rejects unknown names", async () => {
    const spec = buildSpec({ ...topology, rules: { orphans: { options: { ignore: ["reporting", "fax", "audit-events", "legacy-events", "unused", "old-db"] } } } });
    expect(await findingsOf(orphans, spec)).toEqual([]);
    const typo = buildSpec({ ...topology, rules: { orphans: { options: { ignore: ["reportng"] } } } });
    await expect(findingsOf(orphans, typo)).rejects.toMatchObject({ hint: 'did you mean "reporting"?' });
  });
});
