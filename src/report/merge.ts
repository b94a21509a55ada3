// Merges the JSON reports of sharded runs (`check --shard i/n`) into the report
// one unsharded run would have written: every shard's findings, re-sorted and
// re-counted; rules united; each shard's stats kept under `stats.shards`.
// Durations are the slowest shard's.
import { inputError } from "../errors.js";
import { compareFindings } from "./build.js";
import type { Report, RuleMeta } from "./types.js";

export function mergeReports(reports: ReadonlyArray<{ file: string; report: Report }>): Report {
  const first = reports[0];
  if (!first) throw inputError("merge needs at least one report");
  for (const { file, report } of reports) {
    if (report.spec !== first.report.spec) {
      throw inputError(`${file} checked ${report.spec}, but ${first.file} checked ${first.report.spec}`, { expected: "reports of the same spec" });
    }
    if (report.seed !== first.report.seed) {
      throw inputError(`${file} ran with seed ${report.seed}, but ${first.file} with seed ${first.report.seed}`, { expected: "shards of one run (same --seed)" });
    }
  }
  const findings = reports.flatMap(({ report }) => report.findings).sort(compareFindings);
  const rules = new Map<string, RuleMeta>();
  for (const { report } of reports) for (const r of report.rules ?? []) rules.set(r.id, r);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const hidden = reports.reduce((n, { report }) => n + (report.summary.hidden ?? 0), 0);
  const merged: Report = {
    reportVersion: 1,
    tool: first.report.tool,
    spec: first.report.spec,
    summary: {
      errors: count("error"),
      warnings: count("warning"),
      info: count("info"),
      durationMs: Math.max(...reports.map(({ report }) => report.summary.durationMs)),
    },
    findings,
    rules: [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  if (first.report.seed !== undefined) merged.seed = first.report.seed;
  if (reports.some(({ report }) => report.summary.hidden !== undefined)) merged.summary.hidden = hidden;
  // Stats are per shard: whether a figure adds up (runs) or not (bounds, times) is the check's business.
  const stats = reports.map(({ report }) => report.stats ?? {});
  if (stats.some((st) => Object.keys(st).length > 0)) merged.stats = { shards: stats };
  return merged;
}
