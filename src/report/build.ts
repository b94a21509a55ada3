// Turns the runner's findings into the JSON report contract: paths relative to
// the working directory, findings in one deterministic order.
import type { Finding, Rule } from "../check/types.js";
import type { SourceLocation } from "../spec/types.js";
import { displayPath } from "../util/paths.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import type { Report, ReportFinding, ReportLocation, ShardInfo } from "./types.js";

const severityRank = { error: 0, warning: 1, info: 2 } as const;

export interface BuildReportInput {
  specFile: string;
  findings: Finding[];
  rules: Rule[];
  durationMs: number;
  cwd: string;
  seed?: number;
  stats?: Record<string, unknown>;
  hidden?: number;
  shard?: ShardInfo;
}

export function buildReport(input: BuildReportInput): Report {
  const loc = (l: SourceLocation): ReportLocation => ({ file: displayPath(l.file, input.cwd), line: l.line, column: l.column });
  const findings: ReportFinding[] = input.findings.map((f) => {
    const { location, related, ...rest } = f;
    const out: ReportFinding = { ...rest };
    if (location) out.location = loc(location);
    if (related && related.length > 0) out.related = related.map(loc);
    return out;
  });
  findings.sort(compareFindings);
  const count = (s: keyof typeof severityRank) => findings.filter((f) => f.severity === s).length;
  const report: Report = {
    reportVersion: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    spec: displayPath(input.specFile, input.cwd),
    summary: { errors: count("error"), warnings: count("warning"), info: count("info"), durationMs: Math.round(input.durationMs) },
    findings,
    rules: input.rules
      .map((r) => ({ id: r.id, severity: r.defaultSeverity, description: r.description, fix: r.fix }))
      .sort((a, b) => cmp(a.id, b.id)),
  };
  if (input.seed !== undefined) report.seed = input.seed;
  if (input.shard) report.shard = { index: input.shard.index, count: input.shard.count, run: input.shard.run };
  if (input.hidden !== undefined) report.summary.hidden = input.hidden;
  if (input.stats && Object.keys(input.stats).length > 0) report.stats = sortKeys(input.stats);
  return report;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    severityRank[a.severity] - severityRank[b.severity] ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.location?.file ?? "", b.location?.file ?? "") ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    cmp(a.subject ?? "", b.subject ?? "") ||
    cmp(a.message, b.message)
  );
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}
