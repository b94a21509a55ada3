// The JSON report is a public, versioned contract (PRODUCT.md): add fields,
// never rename them. Paths in it are relative to the working directory.
import type { Finding } from "../check/types.js";
import type { SourceLocation } from "../spec/types.js";

export interface ReportLocation extends Omit<SourceLocation, "file"> {
  file: string;
}

export interface ReportFinding extends Omit<Finding, "location" | "related"> {
  location?: ReportLocation;
  related?: ReportLocation[];
}

export interface ShardInfo {
  /** 1-based. */
  index: number;
  count: number;
  run: string;
}

export interface RuleMeta {
  id: string;
  severity: string;
  description: string;
  fix: string;
}

export interface Report {
  reportVersion: 1;
  tool: { name: string; version: string };
  spec: string;
  seed?: number;
  /** Set by `check --shard i/n`: which shard this report is, and the fingerprint of the run
   * (spec files, seed, bounds, version) that `merge` requires all shards to share. */
  shard?: ShardInfo;
  summary: {
    errors: number;
    warnings: number;
    info: number;
    durationMs: number;
    /** Findings matched by the baseline and left out of `findings`. */
    hidden?: number;
  };
  findings: ReportFinding[];
  /** Metadata of every rule that ran (SARIF and JUnit need it). */
  rules?: RuleMeta[];
  /** Figures a check recorded (explorer states, runs per second, ...). */
  stats?: Record<string, unknown>;
}

export interface ReporterOptions {
  /** ANSI colours (text only). */
  color: boolean;
  /** Working directory, for reporters that print paths. */
  cwd: string;
  /** Repository root (absolute): SARIF and GitHub annotations give paths from it,
   * as code scanning and pull-request diffs expect. Default: `cwd`. */
  root?: string;
  /** Files the same run writes the whole report to (the other --output files): where a
   * report cut to a size limit (markdown) sends the reader. */
  fullReport?: string[];
  /** The CI run's page (GitHub Actions), for the same purpose. */
  runUrl?: string;
}

/** A reporter turns a report into the text of one output format. */
export type Reporter = (report: Report, options: ReporterOptions) => string;
