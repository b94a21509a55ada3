import { resolve } from "node:path";
import type { CheckOptions } from "../../check/types.js";
import { runRules } from "../../check/runner.js";
import { usageError } from "../../errors.js";
import type { Finding } from "../../check/types.js";
import { applyBaseline, readBaseline, writeBaseline } from "../../report/baseline.js";
import { buildReport } from "../../report/build.js";
import { reporterNames, reporters } from "../../report/registry.js";
import { outputLinks } from "../../report/output-links.js";
import { repositoryRoot } from "../../report/repo-root.js";
import { runFingerprint } from "../../report/run-fingerprint.js";
import { findSpecFile } from "../../spec/discover.js";
import { loadSpec } from "../../spec/load.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { durationOption, formatOutputs, intOption, parseCommandArgs, shardOption } from "../args.js";
import { colorEnabled, type CliIO } from "../io.js";
import { createProgress } from "../progress.js";
import type { Command } from "../command.js";

const usage = `archverify check [SPEC] [options]
  SPEC                    topology spec (default: archverify.yaml, searched upward from here)
  --format NAME           ${reporterNames().join("|")} (repeatable; default text)
  --output FILE           write the preceding --format to FILE (atomically) instead of stdout
  --seed N                seed of every random check (default 1)
  --runs N                property-check runs per property
  --max-depth N           longest schedule / search depth
  --max-states N          explorer state bound
  --time-budget T         time for property and model checks, e.g. 30s
  --shard I/N             run shard I of N: the scenario checks of every N-th scenario (plus,
                          in shard 1, every other rule); join the JSON reports with \`archverify merge\`
  --all-cycles            list every elementary cycle (up to --max-cycles) instead of one per component
  --max-cycles N          bound for --all-cycles (default 100)
  --baseline FILE         hide the findings recorded in FILE; only new ones count
  --update-baseline       record the current findings in the --baseline FILE (then exit 0)
  --no-color              no ANSI colours (also NO_COLOR=1)
  --debug                 stack traces and the time of each stage`;

export const checkCommand: Command = {
  name: "check",
  summary: "run every check on a topology spec and the code it names",
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals, tokens } = parseCommandArgs(
      args,
      {
        format: { type: "string", multiple: true },
        output: { type: "string", multiple: true },
        seed: { type: "string" },
        runs: { type: "string" },
        "max-depth": { type: "string" },
        "max-states": { type: "string" },
        "time-budget": { type: "string" },
        shard: { type: "string" },
        "all-cycles": { type: "boolean" },
        "max-cycles": { type: "string" },
        baseline: { type: "string" },
        "update-baseline": { type: "boolean" },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        debug: { type: "boolean" },
      },
      usage,
    );
    if (values["update-baseline"] && !values.baseline) throw usageError("--update-baseline needs --baseline FILE");
    if (positionals.length > 1) throw usageError(`check takes one spec, got ${positionals.length}: ${positionals.join(" ")}`);
    const outputs = formatOutputs(tokens);
    for (const o of outputs) {
      if (!Object.hasOwn(reporters, o.format)) throw usageError(`unknown format "${o.format}"`, { expected: `one of ${reporterNames().join(", ")}` });
    }
    const started = performance.now();
    const specFile = positionals[0] ? resolve(io.cwd, positionals[0]) : findSpecFile(io.cwd);
    const spec = await loadSpec(specFile);
    if (values.debug) io.stderr(`[debug] load spec: ${(performance.now() - started).toFixed(1)} ms\n`);
    const options: CheckOptions = {
      seed: intOption(values.seed, "--seed") ?? 1,
      allCycles: values["all-cycles"] ?? false,
      maxCycles: intOption(values["max-cycles"], "--max-cycles", 1) ?? 100,
      runs: intOption(values.runs, "--runs", 1),
      maxDepth: intOption(values["max-depth"], "--max-depth", 1),
      maxStates: intOption(values["max-states"], "--max-states", 1),
      timeBudgetMs: durationOption(values["time-budget"], "--time-budget"),
      reportsDir: resolve(io.cwd, "reports"),
      cwd: io.cwd,
    };
    if (values.shard !== undefined) options.shard = shardOption(values.shard);
    const progress = createProgress(io);
    if (progress.enabled) options.progress = (line) => progress.update(line);
    const stage = values.debug ? (id: string, ms: number) => io.stderr(`[debug] ${id}: ${ms.toFixed(1)} ms\n`) : undefined;
    const result = await runRules(spec, options, undefined, (id, ms) => {
      progress.update(`checked ${id}`);
      stage?.(id, ms);
    }).finally(() => progress.done());
    const { findings, hidden } = baselined(result.findings, values.baseline, values["update-baseline"] ?? false, io.cwd);
    const report = buildReport({
      specFile: spec.file,
      findings,
      hidden,
      rules: result.rules,
      durationMs: performance.now() - started,
      cwd: io.cwd,
      seed: options.seed,
      stats: result.stats,
      ...(options.shard ? { shard: { ...options.shard, run: runFingerprint(spec, options) } } : {}),
    });
    const color = colorEnabled(io, values["no-color"] ? false : values.color);
    const root = repositoryRoot(spec.file, io.env, io.cwd);
    for (const { format, output } of outputs) {
      const reporter = reporters[format];
      if (!reporter) continue;
      const text = reporter(report, { color: output ? false : color, cwd: io.cwd, root, ...outputLinks(format, outputs, io.env) });
      if (output) writeFileAtomic(resolve(io.cwd, output), text);
      else io.stdout(text);
    }
    return report.summary.errors > 0 ? 1 : 0;
  },
};

function baselined(findings: Finding[], file: string | undefined, update: boolean, cwd: string): { findings: Finding[]; hidden?: number } {
  if (!file) return { findings };
  const path = resolve(cwd, file);
  if (update) {
    writeBaseline(path, findings);
    return { findings: [], hidden: findings.length };
  }
  const { kept, hidden } = applyBaseline(findings, readBaseline(path));
  return { findings: kept, hidden };
}
