// `archverify docs` without the CLI: run the checks (or take a JSON report),
// build every diagram, and return the page and the SVGs to write. Nothing is
// written here, so a test can regenerate a committed page in memory.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join, relative, resolve } from "node:path";
import { nameSlug } from "../../check/simulate/trace-format.js";
import type { Trace } from "../../check/simulate/trace-format.js";
import { runRules } from "../../check/runner.js";
import type { CheckOptions } from "../../check/types.js";
import { buildReport } from "../build.js";
import type { Report } from "../types.js";
import type { Spec } from "../../spec/types.js";
import { displayPath } from "../../util/paths.js";
import { renderAll } from "../render/mermaid.js";
import { counterexamplesOf } from "./counterexample.js";
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
  /** Page name (the file stem of the page and the folder of its SVGs); default pageName(spec.file). */
  page?: string;
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
  /** Counterexample traces of the checks, to be written where the page's replay commands point (reports/). */
  traces: Array<{ file: string; trace: Trace }>;
}

/** `specs/order-system.yaml` -> `order-system`. */
export function pageName(specFile: string): string {
  return basename(specFile, extname(specFile));
}

/**
 * The page name of each spec written to one folder: its file stem when no other spec has the
 * same one, else the stem prefixed with as many parent folders as tell the colliding specs
 * apart (`a/archverify.yaml`, `b/archverify.yaml` -> `a-archverify`, `b-archverify`), with a
 * short hash of the path as the last resort. Each page's SVGs go to a folder of the same name,
 * so distinct page names keep every page and image.
 */
export function pageNames(specFiles: readonly string[]): string[] {
  // Paths relative to the specs' common folder: the names do not depend on where the checkout is.
  const paths = specFiles.map((f) => resolve(f).split(/[\\/]+/));
  let common = 0;
  while (paths.every((p) => common < p.length - 1 && p[common] === paths[0]![common])) common++;
  const rel = paths.map((p) => p.slice(common));
  const stems = specFiles.map(pageName);
  const names = rel.map((path, i) => {
    const rivals = rel.filter((other, j) => stems[j] === stems[i] && other.join("/") !== path.join("/"));
    if (rivals.length === 0) return stems[i]!;
    const mine = path.slice(0, -1);
    // Fewest parent folders, read from the spec upward, that no rival shares.
    for (let depth = 1; depth <= mine.length; depth++) {
      const tail = mine.slice(-depth).join("/");
      if (rivals.every((r) => r.slice(0, -1).slice(-depth).join("/") !== tail)) return nameSlug([...mine.slice(-depth), stems[i]!].join("-"));
    }
    return nameSlug([...mine, stems[i]!].join("-"));
  });
  // Slugs of different paths may still meet (`a b/x.yaml`, `a.b/x.yaml`): the later one gets its path's hash.
  const owner = new Map<string, string>();
  return names.map((n, i) => {
    const path = rel[i]!.join("/");
    const name = owner.has(n) && owner.get(n) !== path ? `${n}-${createHash("sha256").update(path, "utf8").digest("hex").slice(0, 8)}` : n;
    owner.set(name, path);
    return name;
  });
}

export async function generateDocs(spec: Spec, options: DocsOptions): Promise<DocsOutput> {
  // The checks save their counterexamples in a private folder: reports/ is shared with every
  // other check that runs meanwhile (a passing check deletes the trace of a scenario of the same
  // name), and the page must not depend on who else ran. Paths are shown as reports/ ones.
  const traceDir = options.report ? undefined : mkdtempSync(join(tmpdir(), "archverify-docs-"));
  try {
    const { report: raw, rules, checkOptions } = options.report ? fromReport(options.report) : await runChecks(spec, options, traceDir!);
    const diagrams = await specDiagrams(spec, { cwd: options.cwd, findings: raw.findings, ...(options.warn ? { warn: options.warn } : {}) });
    const traces = traceDir ? savedTraces(raw, traceDir, options.cwd) : [];
    const report = traceDir ? movePaths(raw, traceDir, resolve(options.cwd, "reports")) : raw;
    return { ...(await finish(spec, options, report, rules, diagrams, checkOptions)), traces };
  } finally {
    if (traceDir) rmSync(traceDir, { recursive: true, force: true });
  }
}

/** The counterexamples the checks saved, as they belong under reports/ (spec path relative to there). */
function savedTraces(report: Report, traceDir: string, cwd: string): DocsOutput["traces"] {
  const reports = resolve(cwd, "reports");
  return counterexamplesOf(report.findings, process.cwd())
    .filter((c) => resolve(process.cwd(), c.file).startsWith(traceDir))
    .map((c) => {
      const file = join(reports, basename(c.file));
      const spec = relative(reports, resolve(traceDir, c.trace.spec)).split("\\").join("/");
      return { file, trace: { ...c.trace, spec } };
    });
}

/** Every mention of the private trace folder in the findings, as the reports/ folder. */
function movePaths(report: Report, from: string, to: string): Report {
  const a = displayPath(from, process.cwd());
  const b = displayPath(to, process.cwd());
  const findings = report.findings.map((f) => (f.counterexample === undefined ? f : { ...f, counterexample: JSON.parse(JSON.stringify(f.counterexample).split(a).join(b)) as unknown }));
  return { ...report, findings };
}

async function finish(spec: Spec, options: DocsOptions, report: Report, rules: RuleRow[], diagrams: Diagram[], checkOptions: string | undefined): Promise<Omit<DocsOutput, "traces">> {
  const name = options.page ?? pageName(spec.file);
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

async function runChecks(spec: Spec, options: DocsOptions, reportsDir: string): Promise<{ report: Report; rules: RuleRow[]; checkOptions: string }> {
  const c = options.check ?? {};
  const checkOptions: CheckOptions = {
    seed: c.seed ?? 1,
    allCycles: false,
    maxCycles: 100,
    reportsDir,
    cwd: options.cwd,
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
