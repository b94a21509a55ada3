// Rules are data plus a function (after dependency-cruiser): the runner owns
// severity, configuration and the fix text, so a rule only says what it found.
import type { Severity, SourceLocation, Spec } from "../spec/types.js";

export type RuleCategory = "graph" | "code" | "property" | "model";

/** A finding as the rest of the pipeline sees it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Where the user should look first (spec or code). */
  location?: SourceLocation;
  /** Further places involved (e.g. every call of a cycle). */
  related?: SourceLocation[];
  /** A path that shows the violation, e.g. ["a", "b", "c", "a"]. */
  witness?: string[];
  /** A replayable counterexample (property and model checks). JSON-serialisable. */
  counterexample?: unknown;
  /** How to repair it (from the rule unless the finding says more precisely). */
  fix?: string;
  /** What the finding is about (a service, a channel, a handler and event type):
   * used to group findings (JUnit test cases, baselines). */
  subject?: string;
}

/** What a rule returns: the runner fills in `ruleId`, `severity` and `fix`. */
export type RawFinding = Omit<Finding, "ruleId" | "severity"> & { severity?: Severity };

/** Budgets and switches from the command line that checks may read. */
export interface CheckOptions {
  seed: number;
  /** List every elementary cycle (up to a bound) instead of one witness per component. */
  allCycles: boolean;
  maxCycles: number;
  /** Property checks: runs per property. */
  runs?: number;
  maxDepth?: number;
  maxStates?: number;
  /** Milliseconds for the property and model checks together. */
  timeBudgetMs?: number;
  /** `i/n`: only this shard of the sharded checks. */
  shard?: { index: number; count: number };
  /** Where counterexamples are saved (reports/ by default). */
  reportsDir: string;
  /** The folder the printed paths (replay commands) are relative to. */
  cwd: string;
  /** Progress lines (TTY only). */
  progress?: (line: string) => void;
}

export interface CheckContext {
  spec: Spec;
  options: CheckOptions;
  /** The options the spec's `rules:` entry gives this rule ({} when none). */
  ruleOptions(ruleId: string): Record<string, unknown>;
  /** Memoised shared work (a ts-morph project, loaded handlers), keyed by name. */
  cached<T>(key: string, compute: () => T): T;
  /** Statistics a check wants in the report (explorer states, runs/s, ...). */
  recordStats(key: string, value: unknown): void;
}

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  category: RuleCategory;
  /** One sentence: what the rule guarantees when it passes. */
  description: string;
  /** How to repair a violation. */
  fix: string;
  /** Longer explanation for `archverify explain`. */
  details?: string;
  /** `scenario`: the rule's verdicts depend on each scenario alone, so `--shard i/n`
   * splits its work by scenario; other rules run whole in shard 1. */
  scope?: "scenario";
  check(ctx: CheckContext): RawFinding[] | Promise<RawFinding[]>;
}
