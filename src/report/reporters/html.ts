// One self-contained HTML file for a reviewer: the verdict, every finding with
// its fix and, for a counterexample, the sequence diagram of its schedule, the
// topology with what the findings are about in red, and the rules that ran.
// CSS is inline and nothing is fetched. Diagrams are inlined as SVG, drawn by
// a headless Chromium when one is found (one child process, one browser);
// otherwise (or with ARCHVERIFY_HTML_DIAGRAMS=source) each diagram is shown
// as its Mermaid source, with a note saying how to draw it.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { isUserError } from "../../errors.js";
import { loadSpecSync } from "../../spec/load.js";
import type { Spec } from "../../spec/types.js";
import { cutNote, explorationLine, explorationSummary } from "../exploration.js";
import { counterexampleDiagram, counterexamplesOf, loopStartOf } from "../mermaid/counterexample.js";
import { handlerCounterexample, handlerCounterexampleDiagram } from "../mermaid/handler-counterexample.js";
import { topologyDiagram } from "../mermaid/topology.js";
import { renderSync } from "../render/sync.js";
import type { Report, ReportFinding, Reporter } from "../types.js";

export interface HtmlDiagram {
  title: string;
  source: string;
  /** Inline SVG; absent: the Mermaid source is shown instead. */
  svg?: string;
}

export interface HtmlPageInput {
  report: Report;
  topology?: HtmlDiagram;
  /** Counterexample diagrams by the index of their finding in `report.findings`. */
  counterexamples: Map<number, HtmlDiagram>;
  /** Why diagrams are shown as source (no browser). */
  sourceNote?: string;
}

export const html: Reporter = (report, options) => {
  const env = process.env;
  const spec = specOf(report, options.cwd);
  const topology: HtmlDiagram | undefined = spec ? { title: "Topology", source: topologyDiagram(spec, { findings: report.findings, cwd: options.cwd }) } : undefined;
  const counterexamples = new Map<number, HtmlDiagram>();
  for (const c of counterexamplesOf(report.findings, options.cwd)) {
    const loopStart = loopStartOf(c.trace, c.finding);
    const source = counterexampleDiagram(c.trace, { ...(spec ? { spec } : {}), ...(loopStart !== undefined ? { loopStart } : {}) });
    counterexamples.set(report.findings.indexOf(c.finding), { title: `Counterexample: ${c.file}`, source });
  }
  // Handler property counterexamples carry their events in the finding, not in a trace file.
  report.findings.forEach((f, i) => {
    const cx = handlerCounterexample(f);
    if (!cx || counterexamples.has(i)) return;
    counterexamples.set(i, { title: `Counterexample: ${cx.property} · ${f.subject ?? cx.service}`, source: handlerCounterexampleDiagram(cx, spec ? { spec } : {}) });
  });
  const all = [...(topology ? [topology] : []), ...counterexamples.values()];
  let sourceNote: string | undefined;
  if (env.ARCHVERIFY_HTML_DIAGRAMS === "source") sourceNote = "ARCHVERIFY_HTML_DIAGRAMS=source is set";
  else {
    const rendered = renderSync(all.map((d) => d.source), env);
    if ("unavailable" in rendered) sourceNote = rendered.unavailable;
    else all.forEach((d, i) => rendered.svgs[i] !== undefined && (d.svg = rendered.svgs[i]));
  }
  return htmlPage({ report, ...(topology ? { topology } : {}), counterexamples, ...(sourceNote ? { sourceNote } : {}) });
};

function specOf(report: Report, cwd: string): Spec | undefined {
  const file = resolve(cwd, report.spec);
  if (!existsSync(file)) return undefined;
  try {
    return loadSpecSync(file);
  } catch (error) {
    if (isUserError(error)) return undefined;
    throw error;
  }
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

export function htmlPage(input: HtmlPageInput): string {
  const { report } = input;
  const { errors, warnings, info, hidden } = report.summary;
  const passed = errors === 0;
  const search = explorationSummary(report);
  const cut = cutNote(search);
  // A search cut at a bound is no unqualified pass (see exploration.ts).
  const verdict = passed ? (cut ? `Passed within bounds: ${cut}` : "Passed") : `Failed: ${plural(errors, "error")}`;
  const body: string[] = [];
  body.push(`<header class="${passed ? (cut ? "bounded" : "pass") : "fail"}"><h1>archverify: ${esc(verdict)}</h1>`);
  body.push(`<p>Spec <code>${esc(report.spec)}</code> · ${plural(errors, "error")}, ${plural(warnings, "warning")}, ${info} info${hidden ? ` · ${hidden} known finding(s) hidden by the baseline` : ""}${report.seed !== undefined ? ` · seed ${report.seed}` : ""} · ${esc(report.tool.name)} ${esc(report.tool.version)}</p></header>`);
  body.push("<main>");
  if (search) body.push(`<p class="search">${esc(explorationLine(search))}</p>`);
  if (input.sourceNote) body.push(`<p class="note">Diagrams are shown as Mermaid source: ${esc(input.sourceNote)}. Paste a source into a Mermaid viewer, or install Chromium (or set CHROMIUM_PATH) to get them drawn in this file.</p>`);
  body.push(`<section><h2>Findings (${report.findings.length})</h2>`);
  if (report.findings.length === 0) body.push("<p>No findings.</p>");
  report.findings.forEach((f, i) => body.push(findingHtml(f, input.counterexamples.get(i))));
  body.push("</section>");
  if (input.topology) body.push(`<section><h2>Topology</h2><p>What a finding is about is red.</p>${diagramHtml(input.topology)}</section>`);
  if (report.rules && report.rules.length > 0) body.push(rulesHtml(report));
  body.push("</main>");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>archverify: ${esc(verdict)} · ${esc(report.spec)}</title>
<style>${CSS}</style>
</head>
<body>
${body.join("\n")}
</body>
</html>
`;
}

function findingHtml(f: ReportFinding, diagram: HtmlDiagram | undefined): string {
  const where = f.location ? `<code class="loc">${esc(`${f.location.file}:${f.location.line}:${f.location.column}`)}</code>` : "";
  const out = [`<article class="finding ${f.severity}">`, `<h3><span class="sev">${f.severity}</span> <code class="rule">${esc(f.ruleId)}</code> ${where}</h3>`, `<p class="message">${esc(f.message)}</p>`];
  if (f.witness?.length) out.push(`<p><b>Witness:</b> <code>${esc(f.witness.join(" → "))}</code></p>`);
  for (const r of f.related ?? []) out.push(`<p class="related">also at <code>${esc(`${r.file}:${r.line}:${r.column}`)}</code></p>`);
  const replay = (f.counterexample as { replay?: unknown } | undefined)?.replay;
  if (typeof replay === "string") out.push(`<p><b>Replay:</b> <code>${esc(replay)}</code></p>`);
  if (f.fix) out.push(`<p class="fix"><b>Fix:</b> ${esc(f.fix)}</p>`);
  if (diagram) out.push(`<details open><summary>${esc(diagram.title)}</summary>${diagramHtml(diagram)}</details>`);
  out.push("</article>");
  return out.join("\n");
}

function diagramHtml(d: HtmlDiagram): string {
  if (d.svg) return `<figure class="diagram">${d.svg}</figure>`;
  return `<figure class="diagram source"><figcaption>Mermaid source (not drawn: no browser)</figcaption><pre>${esc(d.source)}</pre></figure>`;
}

function rulesHtml(report: Report): string {
  const rows = (report.rules ?? []).map((r) => {
    const mine = report.findings.filter((f) => f.ruleId === r.id);
    const worst = mine.some((f) => f.severity === "error") ? "error" : mine.some((f) => f.severity === "warning") ? "warning" : mine.length ? "info" : "pass";
    const result = mine.length === 0 ? "passed" : plural(mine.length, "finding");
    return `<tr class="${worst}"><td><code>${esc(r.id)}</code></td><td>${esc(result)}</td><td>${esc(r.description)}</td></tr>`;
  });
  return `<section><h2>Rules (${rows.length})</h2><table><thead><tr><th>rule</th><th>result</th><th>what it guarantees</th></tr></thead><tbody>${rows.join("")}</tbody></table></section>`;
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1f2328;background:#fff}
header{padding:1.2em 2em;border-bottom:1px solid #d0d7de}
header.pass{background:#dafbe1}header.fail{background:#ffebe9}header.bounded{background:#fff8c5}
h1{margin:0 0 .3em;font-size:1.6em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em}
main{padding:0 2em 2em;max-width:1200px}
code{font:13px ui-monospace,SFMono-Regular,Menlo,"DejaVu Sans Mono",monospace;background:#f6f8fa;padding:.1em .3em;border-radius:4px}
.finding{border:1px solid #d0d7de;border-left:6px solid #8c959f;border-radius:6px;padding:.2em 1em;margin:1em 0}
.finding.error{border-left-color:#cf222e}.finding.warning{border-left-color:#bf8700}.finding.info{border-left-color:#0969da}
.finding h3{font-size:1em;margin:.6em 0}
.sev{text-transform:uppercase;font-size:.75em;font-weight:700;padding:.15em .5em;border-radius:1em;color:#fff;background:#8c959f}
.error .sev{background:#cf222e}.warning .sev{background:#bf8700}.info .sev{background:#0969da}
.message{white-space:pre-wrap}.fix{color:#1a7f37}
.note{background:#fff8c5;border:1px solid #d4a72c;padding:.6em 1em;border-radius:6px}
figure.diagram{margin:1em 0;overflow-x:auto}figure.diagram svg{max-width:100%;height:auto}
figure.source pre{background:#f6f8fa;padding:1em;overflow-x:auto;font-size:12px}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}
tr.error td:nth-child(2){color:#cf222e;font-weight:600}tr.warning td:nth-child(2){color:#9a6700}tr.pass td:nth-child(2){color:#1a7f37}
summary{cursor:pointer;font-weight:600}
`;
