import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/report/build.js";
import { text } from "../../src/report/reporters/text.js";
import type { Finding } from "../../src/check/types.js";

const cwd = "/repo";
const f = (over: Partial<Finding>): Finding => ({ ruleId: "r", severity: "error", message: "m", ...over });

describe("buildReport", () => {
  it("sorts findings by severity, rule and location, with paths relative to cwd", () => {
    const report = buildReport({
      specFile: "/repo/specs/a.yaml",
      cwd,
      durationMs: 12.4,
      rules: [],
      findings: [
        f({ ruleId: "b", severity: "warning", location: { file: "/repo/specs/a.yaml", line: 3, column: 1 } }),
        f({ ruleId: "b", location: { file: "/repo/specs/a.yaml", line: 9, column: 2 } }),
        f({ ruleId: "a", location: { file: "/repo/specs/a.yaml", line: 20, column: 2 } }),
        f({ ruleId: "b", location: { file: "/repo/specs/a.yaml", line: 2, column: 5 } }),
      ],
    });
    expect(report.spec).toBe("specs/a.yaml");
    expect(report.findings.map((x) => `${x.severity}:${x.ruleId}:${x.location?.line}`)).toEqual([
      "error:a:20",
      "error:b:2",
      "error:b:9",
      "warning:b:3",
    ]);
    expect(report.summary).toMatchObject({ errors: 3, warnings: 1, info: 0, durationMs: 12 });
  });

  it("is byte-identical for the same findings in any input order", () => {
    const findings = [f({ message: "x" }), f({ message: "y", severity: "info" }), f({ message: "a", subject: "s" })];
    const one = buildReport({ specFile: "/repo/s.yaml", cwd, durationMs: 0, rules: [], findings });
    const two = buildReport({ specFile: "/repo/s.yaml", cwd, durationMs: 0, rules: [], findings: [...findings].reverse() });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });
});

describe("text reporter", () => {
  it("prints location, severity, rule, witness and fix, then a summary", () => {
    const report = buildReport({
      specFile: "/repo/s.yaml",
      cwd,
      durationMs: 5,
      rules: [],
      findings: [f({ ruleId: "no-sync-cycles", message: "cycle", witness: ["a", "b", "a"], fix: "break it", location: { file: "/repo/s.yaml", line: 4, column: 7 } })],
    });
    const out = text(report, { color: false, cwd });
    expect(out).toContain("s.yaml:4:7  error  no-sync-cycles");
    expect(out).toContain("witness: a -> b -> a");
    expect(out).toContain("fix: break it");
    expect(out).toMatch(/✖ s\.yaml: 1 error, 0 warnings, 0 info \(5 ms\)/);
    expect(out).not.toContain("\u001b[");
  });
});
