// The key reduction and symmetry must never change a verdict: on random systems whose keys are
// sometimes entangled (entangled-systems.ts), every reduction gives the unreduced search's
// violations with the same shortest lengths, whether it applies or falls back.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkScenario, type Reductions, type ScenarioCheck } from "../../src/check/explore/index.js";
import { buildEntangled, entangledSystem, type EntangledSystem } from "./entangled-systems.js";

const NONE: Reductions = { keys: false, por: false, symmetry: false };
const CONFIGS: Record<string, Reductions> = {
  keys: { keys: true, por: false, symmetry: false },
  "keys+symmetry": { keys: true, por: false, symmetry: true },
  all: { keys: true, por: true, symmetry: true },
};

/** Kind/name -> shortest length (lassos: presence only; BFS does not promise a shortest loop). */
function verdicts(r: ScenarioCheck): Record<string, number | true> {
  const out: Record<string, number | true> = {};
  for (const v of r.violations) out[`${v.kind}:${v.name}`] = v.kind === "lasso" ? true : v.path.length;
  return out;
}

const base: Omit<EntangledSystem, "ops" | "inputs"> = {
  downstreamOp: "flag",
  delivery: "at-least-once",
  ordering: "none",
  duplicates: 1,
  maxRedeliveries: undefined,
  invariant: "none",
  quiescence: "none",
};
const twoKeys = [
  { type: "A", key: "k1" },
  { type: "B", key: "k1" },
  { type: "A", key: "k2" },
  { type: "B", key: "k2" },
] as const;

describe("key reduction and symmetry on entangled keys", () => {
  for (const [name, reductions] of Object.entries(CONFIGS)) {
    it(`${name}: same verdicts and shortest lengths as the unreduced search`, () => {
      let applied = 0;
      fc.assert(
        fc.property(entangledSystem, (sys) => {
          const { model, inputs } = buildEntangled(sys);
          const plain = checkScenario(model, inputs, { reductions: NONE });
          const reduced = checkScenario(model, inputs, { reductions });
          expect(plain.stats.complete).toBe(true);
          expect(reduced.stats.complete).toBe(true);
          expect(verdicts(reduced)).toEqual(verdicts(plain));
          if (reduced.keyReduction?.applied) {
            applied++;
            expect(reduced.keyReduction.productStates).toBe(plain.stats.states);
          }
        }),
        { numRuns: 150, seed: 7 },
      );
      // The property must exercise the reduction, not only its fallback.
      expect(applied).toBeGreaterThan(20);
    });
  }

  it("refutes each kind of entanglement and says where, and applies to containers copied whole", () => {
    const reason = (ops: EntangledSystem["ops"], inputs = twoKeys) => {
      const { model, inputs: ins } = buildEntangled({ ...base, ops, inputs: [...inputs] });
      const r = checkScenario(model, ins);
      return r.keyReduction?.applied ? "applied" : r.keyReduction?.reason;
    };
    expect(reason({ A: "flag", B: "peekAny", C: "flag" })).toMatch(/handling B of key k\d, up reads key k\d's part at up\.recs\.k\d/);
    expect(reason({ A: "flag", B: "peekNext", C: "flag" })).toMatch(/reads key k\d's part|gives another state/);
    expect(reason({ A: "flag", B: "total", C: "flag" })).toMatch(/keys k1 and k2 both change up\.total/);
    expect(reason({ A: "flag", B: "last", C: "flag" })).toMatch(/both change up\.last/);
    expect(reason({ A: "flag", B: "first", C: "flag" })).toMatch(/both change up\.first/);
    expect(reason({ A: "flag", B: "dropOthers", C: "flag" })).toMatch(/gives another state|dropping key/);
    for (const copy of ["spreadAll", "mapCount", "setMark"] as const) expect(reason({ A: "flag", B: copy, C: "flag" })).toBe("applied");
  });

  it("does not copy a key's run to a key that behaves differently (symmetry checked on every call)", () => {
    const { model, inputs } = buildEntangled({ ...base, ops: { A: "parity", B: "flag", C: "flag" }, quiescence: "allAlike", inputs: [...twoKeys] });
    const r = checkScenario(model, inputs);
    expect(r.keyReduction).toMatchObject({ applied: true, copies: 0, explored: 2 });
    const plain = checkScenario(model, inputs, { reductions: NONE });
    expect(verdicts(r)).toEqual(verdicts(plain));
    const alike = buildEntangled({ ...base, ops: { A: "flag", B: "flag", C: "flag" }, inputs: [...twoKeys] });
    expect(checkScenario(alike.model, alike.inputs).keyReduction).toMatchObject({ applied: true, copies: 1, explored: 1 });
  });

  it("finds a mutual-exclusion invariant broken only by keys together, with the unreduced search's length", () => {
    const { model, inputs } = buildEntangled({ ...base, ops: { A: "flag", B: "flag", C: "flag" }, invariant: "exclusiveB", inputs: [...twoKeys] });
    const r = checkScenario(model, inputs);
    expect(r.keyReduction?.applied).toBe(true);
    const v = r.violations.find((x) => x.kind === "invariant")!;
    expect(v.path.length).toBe(2);
    expect(model.replay(inputs, v.path).unmatched).toBeUndefined();
  });
});
