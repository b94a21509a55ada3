import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/check/types.js";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { ArchverifyError } from "../../src/errors.js";
import { applyBaseline, readBaseline, toBaseline, writeBaseline } from "../../src/report/baseline.js";
import { legacyFingerprint } from "../../src/report/fingerprint.js";
import type { Report } from "../../src/report/types.js";

const findingArb: fc.Arbitrary<Finding> = fc.record(
  {
    ruleId: fc.constantFrom("a", "b"),
    severity: fc.constantFrom("error", "warning"),
    message: fc.constantFrom("m1", "m2", "m3"),
    subject: fc.constantFrom("s1", "s2"),
    location: fc.record({ file: fc.constantFrom("/x.yaml", "/y.ts"), line: fc.nat(99), column: fc.nat(9) }),
  },
  { requiredKeys: ["ruleId", "severity", "message", "location"] },
);
/** What identifies a finding: its rule and subject; its message only when it has no subject. */
const key = (f: Finding) => (f.subject === undefined ? `${f.ruleId}|message|${f.message}` : `${f.ruleId}|subject|${f.subject}`);

describe("baseline", () => {
  it("hides exactly the multiset of known findings, whatever their positions and messages", () => {
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

  it("reads version 1 baselines (fingerprints of rule, subject and message) and matches them by rule and subject", () => {
    const dir = mkdtempSync(join(tmpdir(), "av-baseline-"));
    const file = join(dir, "v1.json");
    const recorded: Finding[] = [
      { ruleId: "idempotence", severity: "error", message: "after [d1, d1 (dup)] the total is 10", subject: "ledger Deposited" },
      { ruleId: "undeclared-call", severity: "error", message: "order calls payment" },
    ];
    // as archverify wrote it before version 2, and an entry edited by hand (no rule or message)
    const v1 = recorded.map((f) => ({ ruleId: f.ruleId, ...(f.subject ? { subject: f.subject } : {}), message: f.message, fingerprint: legacyFingerprint(f) }));
    const handEdited = { fingerprint: legacyFingerprint({ ruleId: "layers", subject: "a -> b", message: "m" }) };
    writeFileSync(file, JSON.stringify({ baselineVersion: 1, findings: [...v1, handEdited] }));
    const baseline = readBaseline(file);
    const otherSeed: Finding[] = [
      { ruleId: "idempotence", severity: "error", message: "after [d7, d7 (dup)] the total is 14", subject: "ledger Deposited" },
      { ruleId: "undeclared-call", severity: "error", message: "order calls payment" },
      { ruleId: "layers", severity: "error", message: "m", subject: "a -> b" },
      { ruleId: "idempotence", severity: "error", message: "after [p1, p1 (dup)] paid twice", subject: "payment PayOrder" },
    ];
    expect(applyBaseline(otherSeed, baseline)).toEqual({ kept: [otherSeed[3]], hidden: 3 });
  });
});

describe("baseline on a real check", () => {
  const fixture = join(import.meta.dirname, "../fixtures/shard");

  async function check(dir: string, args: string[]): Promise<{ code: number; report: Report; err: string }> {
    const io = memoryIO(dir);
    const code = await main(["check", "spec.yaml", "--runs", "50", "--format", "json", ...args], io);
    return { code, report: JSON.parse(io.out) as Report, err: io.err };
  }

  it("hides the same findings found under another seed, and not a new one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "av-baseline-seed-"));
    for (const f of ["spec.yaml", "handlers.ts"]) copyFileSync(join(fixture, f), join(dir, f));
    const seed1 = await check(dir, ["--seed", "1"]);
    const seed2 = await check(dir, ["--seed", "2"]);
    // the premise: another seed finds the same defects through other schedules
    expect(seed2.report.findings.map((f) => `${f.ruleId} ${f.subject}`)).toEqual(seed1.report.findings.map((f) => `${f.ruleId} ${f.subject}`));
    expect(seed2.report.findings.map((f) => f.message)).not.toEqual(seed1.report.findings.map((f) => f.message));

    expect((await check(dir, ["--seed", "1", "--baseline", "base.json", "--update-baseline"])).code).toBe(0);
    const known = await check(dir, ["--seed", "2", "--baseline", "base.json"]);
    expect(known.err).toBe("");
    expect(known.report.findings).toEqual([]);
    expect(known.report.summary.hidden).toBe(seed1.report.findings.length);
    expect(known.code).toBe(0);

    // a new scenario with a duplicated deposit: a new convergence finding, not hidden
    const spec = readFileSync(join(dir, "spec.yaml"), "utf8");
    writeFileSync(
      join(dir, "spec.yaml"),
      `${spec}  three-deposits:\n    inputs:\n      - { channel: deposits, event: { type: Deposited, id: d9, account: c, amount: 1 } }\n      - { channel: deposits, event: { type: Deposited, id: d8, account: c, amount: 2 } }\n`,
    );
    const grown = await check(dir, ["--seed", "2", "--baseline", "base.json"]);
    expect(grown.code).toBe(1);
    expect(grown.report.findings.length).toBeGreaterThan(0);
    expect(grown.report.findings.every((f) => f.subject?.startsWith("scenario:three-deposits"))).toBe(true);
    expect(grown.report.summary.hidden).toBe(seed1.report.findings.length);
  });
});
