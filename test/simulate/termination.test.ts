// A run still going at --max-depth is a termination ERROR only when a loop
// shows (a failing message retried without progress, a message leading back to
// its own kind, a repeated state); a flow simply longer than the bound is a
// warning that says to raise --max-depth.
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/check/simulate/simulate.js";
import { simulationFindings } from "../../src/check/simulate/findings.js";
import type { Event } from "../../src/model/handler.js";
import { minimalSpec, systemModel } from "./helpers.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const channel = (consumer: string, events: string[]) => ({ delivery: "exactly-once" as const, ordering: "total" as const, consumers: [consumer], events });
const emitting = (next: string | undefined) => ({
  initialState: () => ({ n: 0 }),
  handle: (s: { n: number }, e: Event) => ({ state: { n: s.n + 1 }, ...(next ? { emit: [{ type: next, id: `${next}-${String(e.id)}` }] } : {}) }),
});

/** A -> B -> C -> D -> E -> F: six deliveries, no loop. */
function pipeline() {
  const steps = ["A", "B", "C", "D", "E", "F"];
  return systemModel({
    channels: Object.fromEntries(steps.map((s) => [`to-${s}`, channel(`s${s}`, [s])])),
    services: Object.fromEntries(steps.map((s, i) => [`s${s}`, emitting(steps[i + 1])])),
  });
}

function termination(model: ReturnType<typeof pipeline>, inputs: { channel: string; event: Event }[], maxDepth: number) {
  const sim = simulateScenario(model, "s", inputs, { runs: 50, seed: 1, maxDepth });
  return sim.counterexamples.find((c) => c.property === "termination");
}

describe("termination at the depth bound", () => {
  const start = [{ channel: "to-A", event: { type: "A", id: "a1" } }];

  it("a flow longer than the bound: unproven, and the finding is a warning saying to raise --max-depth", () => {
    const cx = termination(pipeline(), start, 4)!;
    expect(cx.unproven).toBe(true);
    expect(cx.violation).toMatchObject({ kind: "nontermination", bound: 4 });
    expect((cx.violation as { message: string }).message).toMatch(/^did not reach quiescence within --max-depth 4 deliveries .*raise --max-depth$/);
    const dir = mkdtempSync(join(tmpdir(), "archverify-termination-"));
    try {
      const sim = { scenarios: [simulateScenario(pipeline(), "s", start, { runs: 50, seed: 1, maxDepth: 4 })], interrupted: false } as unknown as Parameters<typeof simulationFindings>[1];
      const [f] = simulationFindings("termination", sim, { spec: minimalSpec(join(dir, "x.yaml"), ["s"]), reportsDir: dir, cwd: dir, bounds: { duplicates: 0, crashes: 0 } });
      expect(f!.severity).toBe("warning");
      expect(f!.message).not.toContain("cycle");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the same flow within the bound: no finding", () => {
    expect(termination(pipeline(), start, 10)).toBeUndefined();
  });

  it("a ping-pong whose counter grows (no state repeats): an emission cycle, proven", () => {
    const model = systemModel({
      channels: { pings: channel("b", ["Ping"]), pongs: channel("a", ["Pong"]) },
      services: {
        a: { initialState: () => 0, handle: (n: number, e: Event) => ({ state: n + 1, emit: [{ type: "Ping", id: `ping-${n + 1}`, round: Number(e.round) + 1 }] }) },
        b: { initialState: () => 0, handle: (n: number, e: Event) => ({ state: n + 1, emit: [{ type: "Pong", id: `pong-${n + 1}`, round: e.round }] }) },
      },
    });
    const cx = termination(model, [{ channel: "pings", event: { type: "Ping", id: "p0", round: 0 } }], 30)!;
    expect(cx.unproven).toBeUndefined();
    expect((cx.violation as { message: string }).message).toContain("an emission cycle");
  });

  it("a message that always fails, on a channel without maxRedeliveries: a redelivery loop, proven", () => {
    const model = systemModel({
      channels: { in: { delivery: "at-least-once", ordering: "none", consumers: ["x"], events: ["Poison"] } },
      services: {
        x: {
          initialState: () => ({}),
          handle: () => {
            throw new Error("cannot parse");
          },
        },
      },
    });
    const cx = termination(model, [{ channel: "in", event: { type: "Poison", id: "p1" } }], 20)!;
    expect(cx.unproven).toBeUndefined();
    expect((cx.violation as { message: string }).message).toContain("x fails on Poison (Error: cannot parse) and the message is redelivered forever (channel in has no maxRedeliveries)");
  });
});
