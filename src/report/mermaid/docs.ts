// `archverify docs` without the CLI: run the checks (or take a JSON report),
// build every diagram, and return the page and the SVGs to write. Nothing is
// written here, so a test can regenerate a committed page in memory.
import { basename, extname, join, relative, resolve } from "node:path";
import { runRules } from "../../check/runner.js";
import type { CheckOptions } from "../../check/types.js";
import { buildReport } from "../build.js";
import type { Report } from "../types.js";
import type { Spec } from "../../spec/types.js";
import { displayPath } from "../../util/paths.js";
import { renderAll } from "../render/mermaid.js";
import { specDiagrams, type Diagram } from "./diagrams.js";
import { docsPage, type RuleRow } from "./docs-page.js";

export interface DocsOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Folder the page goes to (absolute). */
  outDir: string;
  /** Render every diagram to SVG with a browser. */
  render?: boolean;
  /** Check options (seed and budgets); ignored when `report` is given. */
  check?: Partial<Pick<CheckOptions, "seed" | "runs" | "maxDepth" | "maxStates" | "timeBudgetMs" | "progress">>;
  /** A report of `archverify check --format json` to show instead of running the checks. */
  report?: Report;
  regenerate?: string;
  warn?: (message: string) => void;
}

export interface DocsOutput {
  /** Absolute path of the page. */
  pageFile: string;
  page: string;
  /** Absolute paths and contents of the SVGs (with `render`). */
  svgs: Array<{ file: string; svg: string }>;
  report: Report;
  diagrams: Diagram[];
}

/** `specs/order-system.yaml` -> `order-system`. */
export function pageName(specFile: string): string {
  return basename(specFile, extname(specFile));
}

export async function generateDocs(spec: Spec, options: DocsOptions): Promise<DocsOutput> {
  const { report, rules, checkOptions } = options.report ? fromReport(options.report) : await runChecks(spec, options);
  const diagrams = await specDiagrams(spec, { cwd: options.cwd, findings: report.findings, ...(options.warn ? { warn: options.warn } : {}) });
  const name = pageName(spec.file);
  const pageFile = join(options.outDir, `${name}.md`);
  const svgs: DocsOutput["svgs"] = [];
  const links = new Map<string, string>();
  if (options.render) {
    const rendered = await renderAll(diagrams.map((d) => ({ name: `${name}/${d.id}`, source: d.source })), options.env);
    diagrams.forEach((d, i) => {
      const file = join(options.outDir, name, `${d.id}.svg`);
      svgs.push({ file, svg: rendered[i]! });
      links.set(d.id, relative(options.outDir, file).split("\\").join("/"));
    });
  }
  const page = docsPage({
    specPath: displayPath(spec.file, options.cwd),
    report,
    rules,
    diagrams,
    svg: links,
    ...(checkOptions ? { checkOptions } : {}),
    regenerate: options.regenerate ?? `archverify docs ${displayPath(spec.file, options.cwd)} --out ${displayPath(options.outDir, options.cwd)}${options.render ? " --render svg" : ""}`,
  });
  return { pageFile, page, svgs, report, diagrams };
}

function fromReport(report: Report): { report: Report; rules: RuleRow[]; checkOptions?: string } {
  const rules = (report.rules ?? []).map((r) => ({ id: r.id, description: r.description }));
  return { report, rules, ...(report.seed !== undefined ? { checkOptions: `seed ${report.seed} (from a saved report)` } : {}) };
}

async function runChecks(spec: Spec, options: DocsOptions): Promise<{ report: Report; rules: RuleRow[]; checkOptions: string }> {
  const c = options.check ?? {};
  const checkOptions: CheckOptions = {
    seed: c.seed ?? 1,
    allCycles: false,
    maxCycles: 100,
    reportsDir: resolve(options.cwd, "reports"),
    ...(c.runs !== undefined ? { runs: c.runs } : {}),
    ...(c.maxDepth !== undefined ? { maxDepth: c.maxDepth } : {}),
    ...(c.maxStates !== undefined ? { maxStates: c.maxStates } : {}),
    ...(c.timeBudgetMs !== undefined ? { timeBudgetMs: c.timeBudgetMs } : {}),
    ...(c.progress ? { progress: c.progress } : {}),
  };
  const result = await runRules(spec, checkOptions);
  const report = buildReport({ specFile: spec.file, findings: result.findings, rules: result.rules, durationMs: 0, cwd: options.cwd, seed: checkOptions.seed, stats: result.stats });
  const rules = result.rules.map((r) => ({ id: r.id, category: r.category, description: r.description }));
  const budgets = [
    `seed ${checkOptions.seed}`,
    c.runs !== undefined ? `--runs ${c.runs}` : "",
    c.maxDepth !== undefined ? `--max-depth ${c.maxDepth}` : "",
    c.maxStates !== undefined ? `--max-states ${c.maxStates}` : "",
    c.timeBudgetMs !== undefined ? `--time-budget ${c.timeBudgetMs}ms` : "",
  ].filter(Boolean);
  return { report, rules, checkOptions: `\`archverify check\`'s rules, ${budgets.join(", ")}${budgets.length === 1 ? " and default budgets" : ""}` };
}
