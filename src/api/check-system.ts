// The library API for users' own tests: run the system-level checks of a spec
// (convergence and termination by default) and get the findings back.
//
//   import { checkSystem } from "archverify";
//   test("orders converge", async () => {
//     const result = await checkSystem("archverify.yaml", { runs: 500, seed: 1 });
//     expect(result.ok, result.text).toBe(true);
//   });
import { resolve } from "node:path";
import { runRules } from "../check/runner.js";
import { allRules } from "../check/rules/index.js";
import type { CheckOptions, Finding } from "../check/types.js";
import { usageError } from "../errors.js";
import { buildReport } from "../report/build.js";
import { text } from "../report/reporters/text.js";
import type { Report } from "../report/types.js";
import { loadSpec } from "../spec/load.js";
import type { Spec } from "../spec/types.js";

export interface CheckSystemOptions {
  /** Seed of the sampled schedules (default 1): the same seed gives the same result. */
  seed?: number;
  /** Sampled schedules per scenario (default 1000). */
  runs?: number;
  /** Deliveries after which a run counts as non-terminating (default 1000). */
  maxDepth?: number;
  /** Time for the checks together, in ms; a cut is reported as an info finding. */
  timeBudgetMs?: number;
  /** Where counterexample traces go (default `reports/` under `cwd`). */
  reportsDir?: string;
  /** Working directory for relative paths (default process.cwd()). */
  cwd?: string;
  /** Rule ids to run (default: convergence and termination). */
  rules?: string[];
  /** Progress lines of long checks ("convergence: scenario 2/7 happy-path: 500/1000 runs"). */
  progress?: (line: string) => void;
}

export interface CheckSystemResult {
  /** No finding at error severity. */
  ok: boolean;
  findings: Finding[];
  /** The JSON report (the same contract as `archverify check --format json`). */
  report: Report;
  /** The findings as `archverify check` prints them: use it as the assertion message. */
  text: string;
}

export const DEFAULT_SYSTEM_RULES = ["convergence", "termination"] as const;

export async function checkSystem(specOrPath: Spec | string, options: CheckSystemOptions = {}): Promise<CheckSystemResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const spec = typeof specOrPath === "string" ? await loadSpec(resolve(cwd, specOrPath)) : specOrPath;
  const ids = options.rules ?? [...DEFAULT_SYSTEM_RULES];
  const rules = ids.map((id) => {
    const rule = allRules.find((r) => r.id === id);
    if (!rule) throw usageError(`unknown rule "${id}"`, { expected: `one of ${allRules.map((r) => r.id).join(", ")}` });
    return rule;
  });
  const checkOptions: CheckOptions = {
    seed: options.seed ?? 1,
    allCycles: false,
    maxCycles: 100,
    reportsDir: resolve(cwd, options.reportsDir ?? "reports"),
    cwd,
    ...(options.runs !== undefined ? { runs: options.runs } : {}),
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  };
  const result = await runRules(spec, checkOptions, rules);
  const report = buildReport({
    specFile: spec.file,
    findings: result.findings,
    rules: result.rules,
    durationMs: performance.now() - started,
    cwd,
    seed: checkOptions.seed,
    stats: result.stats,
  });
  return {
    ok: report.summary.errors === 0,
    findings: result.findings,
    report,
    text: text(report, { color: false, cwd }),
  };
}
