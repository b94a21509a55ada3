// JUnit XML for CI systems that show test results: one suite per rule, one
// test case per rule and subject, failed when it has an error or a warning.
import type { Report, ReportFinding, Reporter } from "../types.js";

export const junit: Reporter = (report) => {
  const byRule = new Map<string, Map<string, ReportFinding[]>>();
  for (const r of report.rules ?? []) byRule.set(r.id, new Map());
  for (const f of report.findings) {
    const cases = byRule.get(f.ruleId) ?? new Map<string, ReportFinding[]>();
    byRule.set(f.ruleId, cases);
    const subject = f.subject ?? (f.location ? `${f.location.file}:${f.location.line}` : report.spec);
    cases.set(subject, [...(cases.get(subject) ?? []), f]);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const rule of [...byRule.keys()].sort()) {
    const cases = byRule.get(rule) ?? new Map<string, ReportFinding[]>();
    const entries = cases.size > 0 ? [...cases.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [[report.spec, []] as [string, ReportFinding[]]];
    const caseXml: string[] = [];
    let suiteFailures = 0;
    for (const [subject, findings] of entries) {
      const failing = findings.filter((f) => f.severity !== "info");
      const body = failing.map((f) => `      <failure type="${f.severity}" message="${attr(f.message)}">${text(describe(f))}</failure>`);
      const notes = findings.filter((f) => f.severity === "info").map((f) => text(`${f.message}\n`));
      if (failing.length > 0) suiteFailures++;
      const inner = [...body, ...(notes.length ? [`      <system-out>${notes.join("")}</system-out>`] : [])];
      caseXml.push(inner.length ? `    <testcase classname="archverify.${attr(rule)}" name="${attr(subject)}">\n${inner.join("\n")}\n    </testcase>` : `    <testcase classname="archverify.${attr(rule)}" name="${attr(subject)}"/>`);
    }
    tests += entries.length;
    failures += suiteFailures;
    suites.push(`  <testsuite name="${attr(rule)}" tests="${entries.length}" failures="${suiteFailures}" errors="0" skipped="0">\n${caseXml.join("\n")}\n  </testsuite>`);
  }
  const seconds = (report.summary.durationMs / 1000).toFixed(3);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="archverify" tests="${tests}" failures="${failures}" errors="0" time="${seconds}">\n${suites.join("\n")}\n</testsuites>\n`;
};

function describe(f: ReportFinding): string {
  const lines = [f.message];
  if (f.location) lines.push(`at ${f.location.file}:${f.location.line}:${f.location.column}`);
  if (f.witness?.length) lines.push(`witness: ${f.witness.join(" -> ")}`);
  if (f.fix) lines.push(`fix: ${f.fix}`);
  return `${lines.join("\n")}\n`;
}

// XML 1.0 forbids most control characters even when escaped.
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
const text = (s: string) => clean(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const attr = (s: string) => text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
