// The Markdown report fits a GitHub comment (65,536 characters): findings stop
// before the limit, and a note says how many were left out and where they are.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { githubRunUrl, outputLinks } from "../../src/report/output-links.js";
import { MARKDOWN_LIMIT, markdown, markdownReport } from "../../src/report/reporters/markdown.js";
import type { Report, ReportFinding } from "../../src/report/types.js";

const options = { color: false, cwd: "/repo" };
const severities = ["error", "warning", "info"] as const;

function finding(i: number, message = `finding ${i}: ${"x".repeat(150)}`): ReportFinding {
  return {
    ruleId: "no-sync-cycles",
    severity: severities[Math.min(2, Math.floor(i / 700))] as ReportFinding["severity"],
    message,
    location: { file: "spec.yaml", line: i + 1, column: 1 },
    witness: ["a", "b", "a"],
    fix: "Break the cycle.",
  };
}

function reportOf(findings: ReportFinding[]): Report {
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  return {
    reportVersion: 1,
    tool: { name: "archverify", version: "0.0.0" },
    spec: "spec.yaml",
    summary: { errors: count("error"), warnings: count("warning"), info: count("info"), durationMs: 1 },
    findings,
  };
}

const sections = (md: string) => md.split("\n").filter((l) => l.startsWith("### ")).length;
const leftOut = (md: string) => Number(/\*\*(\d+) more findings? not shown\*\*/.exec(md)?.[1] ?? 0);

describe("markdown size limit", () => {
  it("keeps a report of 2,000 findings under GitHub's comment limit, errors first, and says what it left out", () => {
    const report = reportOf(Array.from({ length: 2000 }, (_, i) => finding(i)));
    const md = markdown(report, { ...options, fullReport: ["archverify.json"], runUrl: "https://github.com/o/r/actions/runs/7" });
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md.length).toBeGreaterThan(MARKDOWN_LIMIT - 2_000);
    const shown = sections(md);
    expect(shown).toBeGreaterThan(100);
    expect(shown + leftOut(md)).toBe(2000);
    // the sections shown are the first ones (errors come first in a report)
    expect(md).toContain("finding 0:");
    expect(md).toContain(`finding ${shown - 1}:`);
    expect(md).not.toContain(`finding ${shown}:`);
    expect(md).toMatch(/\(\d+ error\(s\), 700 warning\(s\), 600 info\): this report stops before GitHub's limit of 65,536 characters per comment\. The full report: `archverify\.json` \(in the artifacts of \[this run\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/7\)\)\./);
  });

  it("is whole, with no note, when it fits", () => {
    const report = reportOf(Array.from({ length: 20 }, (_, i) => finding(i)));
    const md = markdown(report, options);
    expect(sections(md)).toBe(20);
    expect(md).not.toContain("not shown");
    expect(markdownReport(report, options, Number.MAX_SAFE_INTEGER)).toBe(md);
  });

  it("never exceeds the limit and accounts for every finding, whatever their sizes", () => {
    const sizes = fc.array(fc.integer({ min: 0, max: 9_000 }), { maxLength: 40 });
    fc.assert(
      fc.property(sizes, fc.integer({ min: 3_000, max: 60_000 }), (lengths, limit) => {
        const report = reportOf(lengths.map((n, i) => finding(i, `m${i} ${"y".repeat(n)}`)));
        const md = markdownReport(report, options, limit);
        expect(md.length).toBeLessThanOrEqual(limit);
        expect(sections(md) + leftOut(md)).toBe(lengths.length);
      }),
      { numRuns: 150 },
    );
  });

  it("clips one huge message instead of letting it crowd out the others", () => {
    const report = reportOf([finding(0, "z".repeat(200_000)), finding(1)]);
    const md = markdown(report, options);
    expect(sections(md)).toBe(2);
    expect(md).toContain("… (196,000 more characters in the full report)");
  });

  it("points to the other outputs of the command and to the GitHub Actions run", () => {
    const env = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "o/r", GITHUB_RUN_ID: "42" };
    expect(githubRunUrl(env)).toBe("https://github.com/o/r/actions/runs/42");
    expect(githubRunUrl({})).toBeUndefined();
    const outputs = [{ format: "markdown" }, { format: "json", output: "a.json" }, { format: "sarif", output: "a.sarif" }, { format: "text" }];
    expect(outputLinks("markdown", outputs, env)).toEqual({ fullReport: ["a.json", "a.sarif"], runUrl: "https://github.com/o/r/actions/runs/42" });
    expect(outputLinks("markdown", [{ format: "markdown" }], {})).toEqual({});
    const md = markdownReport(reportOf(Array.from({ length: 50 }, (_, i) => finding(i))), options, 5_000);
    expect(md).toContain("For the full report run `npx archverify check spec.yaml`");
  });
});
