// Validity of the machine formats beyond their golden files: SARIF against the
// official 2.1.0 schema, JUnit as well-formed XML, GitHub annotations parseable.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { github } from "../../src/report/reporters/github.js";
import { junit } from "../../src/report/reporters/junit.js";
import { sarif } from "../../src/report/reporters/sarif.js";
import type { Report, ReportFinding } from "../../src/report/types.js";

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/sarif-multitool-linux/sarif-2.1.0.json"), "utf8")) as object;
const golden = JSON.parse(readFileSync(join(import.meta.dirname, "../golden/reporters/report.json"), "utf8")) as Report;
const options = { color: false, cwd: "/repo" };

const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validateSarif = ajv.compile(schema);

const findingArb: fc.Arbitrary<ReportFinding> = fc.record(
  {
    ruleId: fc.constantFrom("no-sync-cycles", "layers", "convergence"),
    severity: fc.constantFrom("error", "warning", "info"),
    message: fc.string({ unit: "binary" }),
    location: fc.record({ file: fc.string({ minLength: 1 }), line: fc.nat(), column: fc.nat() }),
    witness: fc.array(fc.string()),
    subject: fc.string(),
    fix: fc.string(),
  },
  { requiredKeys: ["ruleId", "severity", "message"] },
) as fc.Arbitrary<ReportFinding>;
const reportArb = fc.array(findingArb, { maxLength: 6 }).map((findings): Report => ({ ...golden, findings }));

describe("sarif", () => {
  it("is valid SARIF 2.1.0 for the golden report", () => {
    const log = JSON.parse(sarif(golden, options)) as unknown;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
  });

  it("stays valid for arbitrary findings, with one result each", () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        const log = JSON.parse(sarif(report, options)) as { runs: Array<{ results: unknown[] }> };
        expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
        expect(log.runs[0]?.results).toHaveLength(report.findings.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe("junit", () => {
  it("is well-formed XML with failures for errors and warnings only", () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        const xml = junit(report, options);
        expect(XMLValidator.validate(xml)).toBe(true);
        const subject = (f: ReportFinding) => (f.subject ? f.subject : `${f.location?.file}:${f.location?.line}`);
        const failingFindings = report.findings.filter((f) => f.severity !== "info");
        const failingSubjects = new Set(failingFindings.map((f) => `${f.ruleId}\u0000${subject(f)}`));
        const failingRules = new Set(failingFindings.map((f) => f.ruleId));
        const rules = new Set([...(report.rules ?? []).map((r) => r.id), ...report.findings.map((f) => f.ruleId)]);
        const subjects = new Set(report.findings.map((f) => `${f.ruleId}\u0000${subject(f)}`));
        const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml) as { testsuites: { "@_failures": string; "@_tests": string } };
        // one case per rule (failing while any of its subjects fails) and one per rule and subject
        expect(Number(parsed.testsuites["@_failures"])).toBe(failingSubjects.size + failingRules.size);
        expect(Number(parsed.testsuites["@_tests"])).toBe(rules.size + subjects.size);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps a case per rule, so a fixed finding shows as a case that passes instead of vanishing", () => {
    type Case = { "@_classname": string; "@_name": string; failure?: unknown };
    const cases = (report: Report) => {
      const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(junit(report, options)) as {
        testsuites: { testsuite: Array<{ testcase: Case[] }> };
      };
      return new Map(parsed.testsuites.testsuite.flatMap((s) => s.testcase).map((c) => [`${c["@_classname"]} ${c["@_name"]}`, c.failure === undefined ? "pass" : "fail"]));
    };
    const before = cases(golden);
    const fixed = cases({ ...golden, findings: golden.findings.filter((f) => f.ruleId !== "convergence") });
    expect(before.get("archverify.convergence specs/examples/sync-cycle.yaml")).toBe("fail");
    expect(before.get("archverify.convergence inventory")).toBe("fail");
    expect(fixed.get("archverify.convergence specs/examples/sync-cycle.yaml")).toBe("pass");
    // every rule that ran has its case, failing or not
    for (const r of golden.rules ?? []) expect(fixed.has(`archverify.${r.id} specs/examples/sync-cycle.yaml`)).toBe(true);
  });
});

describe("github", () => {
  it("writes one single-line annotation per finding", () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        const lines = github(report, options).trimEnd().split("\n");
        expect(lines).toHaveLength(report.findings.length + 1);
        for (const line of lines.slice(0, -1)) expect(line).toMatch(/^::(error|warning|notice) file=[^:]*,line=\d+,col=\d+,title=[^:]*::/);
      }),
      { numRuns: 200 },
    );
  });
});
