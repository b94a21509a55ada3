// Markdown for pull-request comments and $GITHUB_STEP_SUMMARY: a verdict line,
// a count table, what the exhaustive search explored, then one section per
// finding, errors first.
import { cutNote, explorationLine, explorationSummary, passVerdict, type ExplorationSummary } from "../exploration.js";
import type { Report, ReportFinding, Reporter } from "../types.js";

export const markdown: Reporter = (report) => {
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
  if (search) out.push(...searchSection(search));
  if (report.findings.length === 0) out.push("No findings.", "");
  for (const f of report.findings) out.push(...section(f));
  return `${out.join("\n")}\n`;
};

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
  const lines = [`### ${icon[f.severity]} \`${f.ruleId}\`${where}`, "", escape(f.message), ""];
  if (f.witness?.length) lines.push(`Witness: \`${f.witness.join(" → ")}\``, "");
  const replay = (f.counterexample as { replay?: unknown } | undefined)?.replay;
  if (typeof replay === "string") lines.push(`Replay: \`${replay}\``, "");
  if (f.fix) lines.push(`**Fix:** ${escape(f.fix)}`, "");
  return lines;
}

// Keep user text from opening HTML tags or a quote block in the comment.
const escape = (s: string) => s.replace(/</g, "&lt;").replace(/^>/gm, "\\>");
