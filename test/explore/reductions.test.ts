// Each reduction must give the unreduced search's verdicts, and the same shortest
// counterexample lengths, on random small systems.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkScenario, type Reductions, type ScenarioCheck } from "../../src/check/explore/index.js";
import { buildRandom, randomSystem } from "./random-systems.js";

const NONE: Reductions = { keys: false, por: false, symmetry: false };
const CONFIGS: Record<string, Reductions> = {
  por: { keys: false, por: true, symmetry: false },
  keys: { keys: true, por: false, symmetry: false },
  "keys+symmetry": { keys: true, por: false, symmetry: true },
  all: { keys: true, por: true, symmetry: true },
};

/** Kind/name -> shortest length where BFS guarantees one (divergence and lasso: presence only). */
function verdicts(r: ScenarioCheck): Record<string, number | true> {
  const out: Record<string, number | true> = {};
  for (const v of r.violations) {
    const exact = v.kind === "invariant" || v.kind === "quiescence" || v.kind === "dead-letter" || v.kind === "unroutable";
    out[`${v.kind}:${v.name}`] = exact ? v.path.length : true;
  }
  return out;
}

describe("reductions agree with the unreduced search", () => {
  for (const [name, reductions] of Object.entries(CONFIGS)) {
    it(`${name}: same verdicts and shortest lengths on random systems`, () => {
      fc.assert(
        fc.property(randomSystem, (sys) => {
          const { model, inputs } = buildRandom(sys);
          const plain = checkScenario(model, inputs, { reductions: NONE });
          const reduced = checkScenario(model, inputs, { reductions });
          expect(plain.stats.complete).toBe(true);
          expect(verdicts(reduced)).toEqual(verdicts(plain));
          // Sleep sets skip transitions, never states; the key product has exactly the states of the whole.
          if (reductions.por && !reduced.keyReduction?.applied) expect(reduced.stats.states).toBe(plain.stats.states);
          if (reduced.keyReduction?.applied) expect(reduced.keyReduction.productStates).toBe(plain.stats.states);
        }),
        { numRuns: 60, seed: 42 },
      );
    });
  }

  it("the key reduction applies to independent keys and falls back, saying why, on a shared counter", () => {
    const base = { ops: { A: "flag", B: "flag", C: "flag" }, downstreamOp: "flag", delivery: "at-least-once", ordering: "none", downstreamOrdering: "none", maxRedeliveries: undefined, duplicates: 1, crashes: 0, outbox: true } as const;
    const inputs = [{ type: "A", key: "k1" }, { type: "B", key: "k1" }, { type: "A", key: "k2" }, { type: "B", key: "k2" }];
    const ok = buildRandom({ ...base, inputs });
    const applied = checkScenario(ok.model, ok.inputs);
    expect(applied.keyReduction?.applied).toBe(true);
    expect(applied.keyReduction?.explored).toBe(1);
    const shared = buildRandom({ ...base, ops: { A: "flag", B: "global", C: "flag" }, inputs });
    const fallback = checkScenario(shared.model, shared.inputs);
    expect(fallback.keyReduction?.applied).toBe(false);
    expect(fallback.keyReduction?.reason).toMatch(/keys k1 and k2 both change up.total/);
  });
});
