import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/check/types.js";
import { ArchverifyError } from "../../src/errors.js";
import { applyBaseline, readBaseline, toBaseline, writeBaseline } from "../../src/report/baseline.js";

const findingArb: fc.Arbitrary<Finding> = fc.record({
  ruleId: fc.constantFrom("a", "b"),
  severity: fc.constantFrom("error", "warning"),
  message: fc.constantFrom("m1", "m2", "m3"),
  subject: fc.constantFrom("s1", "s2"),
  location: fc.record({ file: fc.constant("/x.yaml"), line: fc.nat(99), column: fc.nat(9) }),
});
const key = (f: Finding) => `${f.ruleId}|${f.subject}|${f.message}`;

describe("baseline", () => {
  it("hides exactly the multiset of known findings, whatever their positions", () => {
    fc.assert(
      fc.property(fc.array(findingArb, { maxLength: 12 }), fc.array(findingArb, { maxLength: 12 }), (known, current) => {
        const { kept, hidden } = applyBaseline(current, toBaseline(known));
        // oracle: remove one known copy per match
        const left = new Map<string, number>();
        for (const k of known) left.set(key(k), (left.get(key(k)) ?? 0) + 1);
        const expected = current.filter((f) => {
          const n = left.get(key(f)) ?? 0;
          if (n === 0) return true;
          left.set(key(f), n - 1);
          return false;
        });
        expect(kept).toEqual(expected);
        expect(hidden).toBe(current.length - expected.length);
      }),
    );
  });

  it("round-trips through a file and rejects files that are not baselines", () => {
    const dir = mkdtempSync(join(tmpdir(), "av-baseline-"));
    const file = join(dir, "baseline.json");
    const findings: Finding[] = [{ ruleId: "a", severity: "error", message: "m", subject: "s" }];
    writeBaseline(file, findings);
    expect(applyBaseline(findings, readBaseline(file))).toEqual({ kept: [], hidden: 1 });
    writeFileSync(file, "{ nope");
    expect(() => readBaseline(file)).toThrow(ArchverifyError);
    writeFileSync(file, '{"findings": 3}');
    expect(() => readBaseline(file)).toThrow(/not an archverify baseline/);
  });
});
