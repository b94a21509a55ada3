// The default, human format: one block per finding, most severe first, then
// what the exhaustive search explored and a one-line verdict. Colour only when
// the caller says the terminal wants it.
import pc from "picocolors";
import { cutNote, explorationLine, explorationSummary, passVerdict } from "../exploration.js";
import type { Reporter, ReportFinding } from "../types.js";

export const text: Reporter = (report, options) => {
  const c = pc.createColors(options.color);
  const paint = { error: c.red, warning: c.yellow, info: c.blue } as const;
  const lines: string[] = [];
  for (const f of report.findings) {
    const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : report.spec;
    lines.push(`${c.bold(where)}  ${paint[f.severity](f.severity)}  ${c.dim(f.ruleId)}`);
    lines.push(`  ${f.message.replace(/\n/g, "\n  ")}`);
    for (const extra of details(f)) lines.push(`  ${extra}`);
    if (f.fix) lines.push(`  ${c.green("fix:")} ${f.fix}`);
    lines.push("");
  }
  const { errors, warnings, info, durationMs, hidden } = report.summary;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}, ${info} info`;
  const hiddenNote = hidden ? `; ${hidden} known finding${hidden === 1 ? "" : "s"} hidden by the baseline` : "";
  const search = explorationSummary(report);
  if (search) lines.push(c.dim(explorationLine(search)));
  const cut = cutNote(search) !== undefined;
  // A search cut at a bound proved nothing about what it did not reach: no unqualified pass.
  const verdict = errors > 0 ? "" : cut ? `${passVerdict(search)}; ` : "";
  const mark = errors > 0 ? c.red("✖") : cut ? c.yellow("⚠") : c.green("✔");
  lines.push(`${mark} ${report.spec}: ${verdict}${counts}${hiddenNote} (${durationMs} ms)`);
  return `${lines.join("\n")}\n`;
};

function details(f: ReportFinding): string[] {
  const out: string[] = [];
  if (f.witness && f.witness.length > 0) out.push(`witness: ${f.witness.join(" -> ")}`);
  for (const r of f.related ?? []) out.push(`  at ${r.file}:${r.line}:${r.column}`);
  const cx = f.counterexample as { replay?: string } | undefined;
  if (cx && typeof cx === "object" && typeof cx.replay === "string") out.push(`replay: ${cx.replay}`);
  return out;
}
