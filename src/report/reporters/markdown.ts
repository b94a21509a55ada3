// Markdown for pull-request comments and $GITHUB_STEP_SUMMARY: a verdict line,
// a count table, what the exhaustive search explored, then one section per
// finding, errors first. GitHub rejects a comment longer than 65,536
// characters, so the findings stop before that, with a note of how many were
// left out and where the whole report is.
import { cutNote, explorationLine, explorationSummary, passVerdict, type ExplorationSummary } from "../exploration.js";
import type { Report, ReportFinding, Reporter, ReporterOptions } from "../types.js";

/** GitHub's limit for the body of an issue or pull-request comment, in characters. */
export const MARKDOWN_LIMIT = 65_536;
/** Longest message or fix shown of one finding: one finding must not crowd out the rest. */
const FIELD_LIMIT = 4_000;

export const markdown: Reporter = (report, options) => markdownReport(report, options, MARKDOWN_LIMIT);

/** The Markdown report in at most `limit` characters (UTF-16 units, which GitHub's count never exceeds). */
export function markdownReport(report: Report, options: ReporterOptions, limit: number): string {
  const { errors, warnings, info, durationMs, hidden } = report.summary;
  const search = explorationSummary(report);
  const cut = cutNote(search);
  // A search cut at a bound proved nothing about what it did not reach: never an unqualified pass.
  const verdict =
    errors > 0
      ? `❌ **archverify: ${errors} error${errors === 1 ? "" : "s"}**${cut ? ` (${cut} by a bound)` : ""}`
      : cut
        ? `⚠️ **archverify: ${passVerdict(search)}**`
        : "✅ **archverify: passed**";
  const out = [
    `## archverify — \`${report.spec}\``,
    "",
    `${verdict} (${durationMs} ms${report.seed !== undefined ? `, seed ${report.seed}` : ""})`,
    "",
    "| errors | warnings | info | hidden by baseline |",
    "| ---: | ---: | ---: | ---: |",
    `| ${errors} | ${warnings} | ${info} | ${hidden ?? 0} |`,
    "",
  ];
  const reserve = cost(leftOutNote(report.findings, report, options));
  if (search) {
    const table = searchSection(search);
    // Without room for the per-scenario table, the one-line total still says it.
    out.push(...(cost(out) + cost(table) + reserve <= limit ? table : table.slice(0, 2)));
  }
  if (report.findings.length === 0) out.push("No findings.", "");
  let used = cost(out);
  let shown = 0;
  for (const f of report.findings) {
    const lines = section(f);
    if (used + cost(lines) + reserve > limit) break;
    out.push(...lines);
    used += cost(lines);
    shown++;
  }
  if (shown < report.findings.length) out.push(...leftOutNote(report.findings.slice(shown), report, options));
  return `${out.join("\n")}\n`;
}

/** Characters the lines add to the report (each with its newline). */
const cost = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0);

function leftOutNote(left: readonly ReportFinding[], report: Report, options: ReporterOptions): string[] {
  const by = (s: ReportFinding["severity"]) => left.filter((f) => f.severity === s).length;
  const counts = `${by("error")} error(s), ${by("warning")} warning(s), ${by("info")} info`;
  const files = options.fullReport ?? [];
  const run = options.runUrl ? ` of [this run](${options.runUrl})` : "";
  const where =
    files.length > 0
      ? `The full report: ${files.map((f) => `\`${f}\``).join(", ")}${run ? ` (in the artifacts${run})` : ""}.`
      : `For the full report run \`npx archverify check ${report.spec}\`${run ? `, or see the log${run}` : ""} (\`--format html --output FILE\` keeps it in one file).`;
  return [`> **${left.length} more finding${left.length === 1 ? "" : "s"} not shown** (${counts}): this report stops before GitHub's limit of ${MARKDOWN_LIMIT.toLocaleString("en-US")} characters per comment. ${where}`, ""];
}

function searchSection(search: ExplorationSummary): string[] {
  const rows = search.scenarios.map(
    (s) => `| ${escape(s.scenario)} | ${s.cut ? `cut (${escape(s.cut)})` : "fully"} | ${n(s.states)} | ${n(s.transitions)} | ${n(s.depth)} | ${n(s.porSkipped)} |`,
  );
  return [
    escape(explorationLine(search)),
    "",
    "<details><summary>Exhaustive search per scenario</summary>",
    "",
    "| scenario | explored | states | transitions | depth | skipped by partial-order reduction |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    "</details>",
    "",
  ];
}

const n = (x: number) => x.toLocaleString("en-US");

const icon = { error: "🔴", warning: "🟡", info: "🔵" } as const;

function section(f: ReportFinding): string[] {
  const where = f.location ? ` — \`${f.location.file}:${f.location.line}:${f.location.column}\`` : "";
  const lines = [`### ${icon[f.severity]} \`${f.ruleId}\`${where}`, "", escape(clip(f.message)), ""];
  if (f.witness?.length) lines.push(`Witness: \`${clip(f.witness.join(" → "))}\``, "");
  const replay = (f.counterexample as { replay?: unknown } | undefined)?.replay;
  if (typeof replay === "string") lines.push(`Replay: \`${replay}\``, "");
  if (f.fix) lines.push(`**Fix:** ${escape(clip(f.fix))}`, "");
  return lines;
}

const clip = (s: string) => (s.length > FIELD_LIMIT ? `${s.slice(0, FIELD_LIMIT)}… (${(s.length - FIELD_LIMIT).toLocaleString("en-US")} more characters in the full report)` : s);

// Keep user text from opening HTML tags or a quote block in the comment.
const escape = (s: string) => s.replace(/</g, "&lt;").replace(/^>/gm, "\\>");
