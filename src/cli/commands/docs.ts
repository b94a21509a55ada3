import { mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { inputError, usageError } from "../../errors.js";
import { writeTrace } from "../../check/simulate/trace-format.js";
import { generateDocs, pageName, pageNames } from "../../report/mermaid/docs.js";
import type { Report } from "../../report/types.js";
import { findSpecFile } from "../../spec/discover.js";
import { loadSpec } from "../../spec/load.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { displayPath } from "../../util/paths.js";
import { durationOption, intOption, parseCommandArgs } from "../args.js";
import type { CliIO } from "../io.js";
import { createProgress } from "../progress.js";
import type { Command } from "../command.js";

const usage = `archverify docs [SPEC...] [options]
  SPEC                    topology spec(s) (default: archverify.yaml, searched upward from here)
  --out DIR               folder of the pages (default docs); one page per spec, named after it
                          (specs of the same file name: after their folders too, a-archverify.md)
  --render svg            also render every diagram to SVG with a headless Chromium (one browser
                          session), written to DIR/<page>/ and linked from the page
  --report FILE           show this JSON report (archverify check --format json) instead of running the checks
  --seed N                seed of the checks (default 1)
  --runs N                property-check runs per property
  --max-depth N           longest schedule / search depth
  --max-states N          explorer state bound
  --time-budget T         time for property and model checks (the page then depends on the machine)
  --debug                 stack traces
Writes a Markdown page per spec: the checks' verdict per rule, then the topology, the context map,
each scenario's event flow, each code root's domain model and each counterexample as Mermaid.`;

export const docsCommand: Command = {
  name: "docs",
  summary: "write a Markdown page of diagrams (Mermaid) and check results per spec",
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        out: { type: "string" },
        render: { type: "string" },
        report: { type: "string" },
        seed: { type: "string" },
        runs: { type: "string" },
        "max-depth": { type: "string" },
        "max-states": { type: "string" },
        "time-budget": { type: "string" },
        debug: { type: "boolean" },
      },
      usage,
    );
    if (values.render !== undefined && values.render !== "svg") throw usageError(`--render takes "svg", got "${values.render}"`);
    if (values.report && positionals.length > 1) throw usageError("--report goes with one spec (the one the report is about)");
    const specFiles = positionals.length > 0 ? positionals.map((p) => resolve(io.cwd, p)) : [findSpecFile(io.cwd)];
    const outDir = resolve(io.cwd, values.out ?? "docs");
    const report = values.report ? readReport(resolve(io.cwd, values.report)) : undefined;
    const progress = createProgress(io);
    // Specs with the same file name (a/archverify.yaml, b/archverify.yaml) get pages named apart;
    // such a page's name depends on the other specs, so its regenerate line names them all.
    const pages = pageNames(specFiles);
    const together = `archverify docs ${specFiles.map((f) => displayPath(f, io.cwd)).join(" ")} --out ${displayPath(outDir, io.cwd)}${values.render === "svg" ? " --render svg" : ""}`;
    try {
      for (const [i, file] of specFiles.entries()) {
        const spec = await loadSpec(file);
        const page = pages[i]!;
        progress.update(`docs: ${displayPath(file, io.cwd)}: checking`);
        const out = await generateDocs(spec, {
          cwd: io.cwd,
          env: io.env,
          outDir,
          render: values.render === "svg",
          check: {
            seed: intOption(values.seed, "--seed") ?? 1,
            ...optional("runs", intOption(values.runs, "--runs", 1)),
            ...optional("maxDepth", intOption(values["max-depth"], "--max-depth", 1)),
            ...optional("maxStates", intOption(values["max-states"], "--max-states", 1)),
            ...optional("timeBudgetMs", durationOption(values["time-budget"], "--time-budget")),
            progress: (line) => progress.update(line),
          },
          ...(report ? { report } : {}),
          page,
          ...(page !== pageName(file) ? { regenerate: together } : {}),
          warn: (m) => io.stderr(`archverify docs: ${m}\n`),
        });
        progress.done();
        mkdirSync(dirname(out.pageFile), { recursive: true });
        for (const s of out.svgs) {
          mkdirSync(dirname(s.file), { recursive: true });
          writeFileAtomic(s.file, s.svg);
        }
        writeFileAtomic(out.pageFile, out.page);
        // The page's replay commands point at reports/: put the counterexamples there.
        for (const t of out.traces) {
          mkdirSync(dirname(t.file), { recursive: true });
          writeTrace(t.file, t.trace);
        }
        const svgNote = out.svgs.length > 0 ? ` and ${out.svgs.length} SVG files` : "";
        io.stdout(`${displayPath(out.pageFile, io.cwd)}: ${out.diagrams.length} diagrams${svgNote}; checks: ${out.report.summary.errors} errors, ${out.report.summary.warnings} warnings\n`);
      }
    } finally {
      progress.done();
    }
    return 0;
  },
};

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function readReport(file: string): Report {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw inputError(`cannot read the report ${file}: ${(cause as Error).message}`, { cause, expected: "the JSON of archverify check --format json" });
  }
  const r = json as Partial<Report>;
  if (r.reportVersion !== 1 || !Array.isArray(r.findings) || typeof r.summary !== "object") {
    throw inputError(`${file} is not an archverify JSON report`, { location: { file, line: 1, column: 1 }, expected: '{ "reportVersion": 1, "summary": {...}, "findings": [...] }' });
  }
  return r as Report;
}
