// A scenario's result depends on that scenario only: exploring it alone (a shard), after the
// others, or before them gives the same counterexamples (interned numbers, which order the
// canonical transition lists, are not shared between scenarios).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import exploreJob, { type ExploreJobInput } from "../../src/check/explore/job.js";
import type { SandboxJobContext } from "../../src/model/runtime/sandbox.js";
import { loadSpec } from "../../src/spec/load.js";

const ctx = { post: () => undefined } as unknown as SandboxJobContext;

describe("exploration of several scenarios", () => {
  it("gives each scenario the same counterexamples whatever was explored before it", async () => {
    const spec = await loadSpec(join(import.meta.dirname, "../../specs/order-system-seed.yaml"));
    const base: ExploreJobInput = { spec, bounds: { duplicates: 1, crashes: 1 }, order: "bfs", reductions: { keys: true, por: true, symmetry: true }, maxStates: 200_000, maxDepth: 1000 };
    const names = [...spec.scenarios.keys()];
    expect(names.length).toBeGreaterThan(1);
    const forward = await exploreJob(base, ctx);
    const backward = await exploreJob({ ...base, spec: { ...spec, scenarios: new Map([...spec.scenarios].reverse()) } }, ctx);
    const witnesses = (runs: Awaited<ReturnType<typeof exploreJob>>, name: string) => JSON.stringify(runs.find((r) => r.scenario === name)!.check.violations);
    let violations = 0;
    for (const name of names) {
      const alone = await exploreJob({ ...base, scenarios: [name] }, ctx);
      expect(witnesses(backward, name)).toBe(witnesses(forward, name));
      expect(witnesses(alone, name)).toBe(witnesses(forward, name));
      violations += forward.find((r) => r.scenario === name)!.check.violations.length;
    }
    expect(violations).toBeGreaterThan(0);
  }, 120_000);
});
