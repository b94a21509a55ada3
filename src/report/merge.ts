// Merges the JSON reports of sharded runs (`check --shard i/n`) into the report
// one unsharded run would have written: every shard's findings, re-sorted and
// re-counted; rules united; each shard's stats kept under `stats.shards`.
// Durations are the slowest shard's.
//
// Only the complete set of shards of one run merges into that report: a shard
// given twice would double its findings, a missing one would drop its findings
// silently (a gate passing on two thirds of the checks), and a report of another
// spec, seed or bound, or an unsharded one, would mix two runs. Each shard report
// records `shard: {index, count, run}` for these checks.
import { inputError } from "../errors.js";
import { compareFindings } from "./build.js";
import type { Report, RuleMeta, ShardInfo } from "./types.js";

const SHARDS_OF_ONE_RUN = "the JSON reports of every shard of one run, each once: check --shard i/n --format json --output FILE for i = 1..n, with the same spec, seed and bounds";

export function mergeReports(reports: ReadonlyArray<{ file: string; report: Report }>): Report {
  const first = reports[0];
  if (!first) throw inputError("merge needs at least one report");
  checkShardsOfOneRun(reports);
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

function checkShardsOfOneRun(reports: ReadonlyArray<{ file: string; report: Report }>): void {
  const first = reports[0] as { file: string; report: Report };
  for (const { file, report } of reports) {
    if (!isShard(report.shard)) {
      throw inputError(`${file} is not the report of a shard: it has no "shard" field, so it was written by check without --shard (or by an archverify before shard reports recorded it)`, { expected: SHARDS_OF_ONE_RUN });
    }
    if (report.spec !== first.report.spec) {
      throw inputError(`${file} checked ${report.spec}, but ${first.file} checked ${first.report.spec}`, { expected: SHARDS_OF_ONE_RUN });
    }
    if (report.seed !== first.report.seed) {
      throw inputError(`${file} ran with seed ${report.seed}, but ${first.file} with seed ${first.report.seed}`, { expected: SHARDS_OF_ONE_RUN });
    }
  }
  const shards = reports.map(({ file, report }) => ({ file, shard: report.shard as ShardInfo }));
  const head = shards[0] as { file: string; shard: ShardInfo };
  for (const { file, shard } of shards) {
    if (shard.count !== head.shard.count) {
      throw inputError(`${file} is shard ${shard.index}/${shard.count}, but ${head.file} is shard ${head.shard.index}/${head.shard.count}: they split the checks differently`, { expected: SHARDS_OF_ONE_RUN });
    }
    if (shard.run !== head.shard.run) {
      throw inputError(
        `${file} and ${head.file} come from different runs: the spec files, the seed, a bound (--runs, --max-depth, --max-states, --time-budget, --all-cycles, --max-cycles) or the archverify version differ`,
        { expected: SHARDS_OF_ONE_RUN },
      );
    }
  }
  const byIndex = new Map<number, string>();
  for (const { file, shard } of shards) {
    const other = byIndex.get(shard.index);
    if (other !== undefined) throw inputError(`${other} and ${file} are both shard ${shard.index}/${shard.count}: merging them would count its findings twice`, { expected: SHARDS_OF_ONE_RUN });
    byIndex.set(shard.index, file);
  }
  const count = head.shard.count;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const given = [...byIndex].sort(([a], [b]) => a - b).map(([i, f]) => `${i}/${count} ${f}`).join(", ");
    throw inputError(`shard${missing.length === 1 ? "" : "s"} ${missing.map((i) => `${i}/${count}`).join(", ")} missing (given: ${given}): the merged report would leave out ${missing.length === 1 ? "its" : "their"} findings`, { expected: SHARDS_OF_ONE_RUN });
  }
}

function isShard(s: unknown): s is ShardInfo {
  const x = s as Partial<ShardInfo> | null | undefined;
  return Number.isInteger(x?.index) && Number.isInteger(x?.count) && typeof x?.run === "string" && (x.index as number) >= 1 && (x.index as number) <= (x.count as number);
}
