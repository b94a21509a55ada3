// JUnit XML for CI systems that show test results: one suite per rule that ran,
// with one test case for the rule as a whole (named after the spec, always
// there) and one per subject with findings. A case fails when it has an error
// or a warning. The rule's own case is what makes a fix visible: CI systems show
// a test case that went from failing to passing, but a subject's case that
// simply disappears (its finding was fixed) is shown as nothing at all.
import type { Report, ReportFinding, Reporter } from "../types.js";

export const junit: Reporter = (report) => {
  const byRule = new Map<string, Map<string, ReportFinding[]>>();
  for (const r of report.rules ?? []) byRule.set(r.id, new Map());
  for (const f of report.findings) {
    const cases = byRule.get(f.ruleId) ?? new Map<string, ReportFinding[]>();
    byRule.set(f.ruleId, cases);
    const subject = subjectOf(f, report.spec);
    cases.set(subject, [...(cases.get(subject) ?? []), f]);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const rule of [...byRule.keys()].sort()) {
    const cases = byRule.get(rule) ?? new Map<string, ReportFinding[]>();
    const entries = [...cases.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const caseXml = [ruleCase(rule, report.spec, entries)];
    let suiteFailures = entries.some(([, fs]) => fs.some(failing)) ? 1 : 0;
    for (const [subject, findings] of entries) {
      const body = findings.filter(failing).map((f) => `      <failure type="${f.severity}" message="${attr(f.message)}">${text(describe(f))}</failure>`);
      const notes = findings.filter((f) => !failing(f)).map((f) => text(`${f.message}\n`));
      if (body.length > 0) suiteFailures++;
      caseXml.push(testcase(rule, subject, [...body, ...(notes.length ? [`      <system-out>${notes.join("")}</system-out>`] : [])]));
    }
    tests += caseXml.length;
    failures += suiteFailures;
    suites.push(`  <testsuite name="${attr(rule)}" tests="${caseXml.length}" failures="${suiteFailures}" errors="0" skipped="0">\n${caseXml.join("\n")}\n  </testsuite>`);
  }
  const seconds = (report.summary.durationMs / 1000).toFixed(3);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="archverify" tests="${tests}" failures="${failures}" errors="0" time="${seconds}">\n${suites.join("\n")}\n</testsuites>\n`;
};

const failing = (f: ReportFinding) => f.severity !== "info";

/** A finding's test case: its subject, else its place; never the spec's bare path, which names the rule's own case. */
function subjectOf(f: ReportFinding, spec: string): string {
  if (f.subject) return f.subject;
  return `${f.location?.file ?? spec}:${f.location?.line ?? 1}`;
}

/** The rule on the whole spec: fails while any subject fails, and passes once every one is fixed. */
function ruleCase(rule: string, spec: string, entries: Array<[string, ReportFinding[]]>): string {
  const failingSubjects = entries.filter(([, fs]) => fs.some(failing));
  if (failingSubjects.length === 0) return testcase(rule, spec, []);
  const severity = failingSubjects.some(([, fs]) => fs.some((f) => f.severity === "error")) ? "error" : "warning";
  const names = failingSubjects.map(([s]) => s);
  const message = `${names.length} subject${names.length === 1 ? "" : "s"} fail${names.length === 1 ? "s" : ""}: ${names.join(", ")}`;
  return testcase(rule, spec, [`      <failure type="${severity}" message="${attr(message)}">${text(`${message}\n(see their test cases)\n`)}</failure>`]);
}

function testcase(rule: string, name: string, inner: string[]): string {
  const open = `    <testcase classname="archverify.${attr(rule)}" name="${attr(name)}"`;
  return inner.length ? `${open}>\n${inner.join("\n")}\n    </testcase>` : `${open}/>`;
}

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
