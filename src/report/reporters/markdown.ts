// Markdown for pull-request comments and $GITHUB_STEP_SUMMARY: a verdict line,
// a count table, then one section per finding, errors first.
import type { Report, ReportFinding, Reporter } from "../types.js";

export const markdown: Reporter = (report) => {
  const { errors, warnings, info, durationMs, hidden } = report.summary;
  const verdict = errors > 0 ? `❌ **archverify: ${errors} error${errors === 1 ? "" : "s"}**` : "✅ **archverify: passed**";
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
  if (report.findings.length === 0) out.push("No findings.", "");
  for (const f of report.findings) out.push(...section(f));
  return `${out.join("\n")}\n`;
};

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
