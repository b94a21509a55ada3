// The bundled order system: the reference passes convergence and termination,
// the seed-faithful variant fails with the defects a simulation can reveal
// (reservation leak, lost event on a crash without outbox, breaker that never
// recovers, unknown event redelivered forever).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkSystem } from "../../src/api/check-system.js";

const root = new URL("../../", import.meta.url).pathname;
const reportsDir = mkdtempSync(join(tmpdir(), "archverify-reference-"));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe("the reference order system", () => {
  it("models/order-system passes convergence and termination", async () => {
    const r = await checkSystem(join(root, "specs/order-system.yaml"), { runs: 150, seed: 1, reportsDir });
    expect(r.findings, r.text).toEqual([]);
  });

  it("models/order-system-seed fails with each defect a simulation can reveal", async () => {
    const r = await checkSystem(join(root, "specs/order-system-seed.yaml"), { runs: 150, seed: 1, reportsDir });
    const bySubject = Object.fromEntries(r.findings.filter((f) => f.severity === "error").map((f) => [`${f.ruleId} ${f.subject}`, f]));
    expect(Object.keys(bySubject).sort()).toEqual([
      "convergence scenario:breaker-outage",
      "convergence scenario:happy-path",
      "convergence scenario:reservation-leak",
      "termination scenario:unknown-event",
    ]);
    expect(bySubject["convergence scenario:reservation-leak"]!.message).toContain("reserved for no live order");
    // The lost OrderCreatedEvent: the order service crashes between commit and publish, with no outbox.
    expect(bySubject["convergence scenario:happy-path"]!.witness!.some((w) => w.includes("(crash)@order"))).toBe(true);
    expect(bySubject["convergence scenario:breaker-outage"]!.message).toContain("breakerRecovers");
    expect(bySubject["termination scenario:unknown-event"]!.message).toContain("redelivered forever");
  });
});
