// bench:render — Mermaid rendering speed of `archverify docs --render svg`:
// every diagram of the reference system and of the seed variant (topology,
// context map, event flows, domain class diagrams, counterexamples), rendered
// with one browser and one page, timed per diagram after start-up. Goal: at
// most 100 ms per diagram. For scale, a few diagrams also go through one
// `mmdc` process each (mermaid-cli's command line), as a user would script it.
//
//   npm run bench:render                  # 3 rounds, 2 mmdc calls
//   npm run bench:render -- --rounds 5 --mmdc 0
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { counterexamplesOf } from "../../src/report/mermaid/counterexample.js";
import { specDiagrams, type Diagram } from "../../src/report/mermaid/diagrams.js";
import { CHROMIUM_FLAGS, findBrowser } from "../../src/report/render/browser.js";
import { MermaidRenderer } from "../../src/report/render/mermaid.js";
import type { ReportFinding } from "../../src/report/types.js";
import { loadSpec } from "../../src/spec/load.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" }, mmdc: { type: "string", default: "2" } } });
const rounds = Number(values.rounds);
const mmdcCalls = Number(values.mmdc);
const root = resolve(import.meta.dirname, "../..");

/** Findings that point at the counterexample traces under reports/ (written by `archverify check`). */
function savedCounterexamples(): ReportFinding[] {
  let files: string[] = [];
  try {
    files = readdirSync(join(root, "reports")).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files.sort().map((f) => ({ ruleId: "saved", severity: "error" as const, message: f, counterexample: { file: `reports/${f}` } }));
}

const diagrams: Diagram[] = [];
for (const p of ["specs/order-system.yaml", "specs/order-system-seed.yaml"]) {
  const spec = await loadSpec(join(root, p));
  // Only the traces of this spec: the flow job replays them through its handlers.
  const findings = savedCounterexamples().filter((f) => counterexamplesOf([f], root)[0]?.trace.spec.endsWith(p.replace(/^specs\//, "")));
  diagrams.push(...(await specDiagrams(spec, { cwd: root, findings })).map((d) => ({ ...d, id: `${p.replace(/^specs\/|\.yaml$/g, "")}/${d.id}` })));
}
const kinds = [...new Set(diagrams.map((d) => d.kind))];
console.log(`bench:render: ${diagrams.length} diagrams (${kinds.map((k) => `${diagrams.filter((d) => d.kind === k).length} ${k}`).join(", ")}), ${rounds} rounds`);
console.log(`machine: ${cpus().length} cpus, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);

const t0 = performance.now();
const renderer = await MermaidRenderer.open({ env: process.env });
const startup = performance.now() - t0;
const times = new Map<string, number[]>();
try {
  for (let r = 0; r < rounds; r++) {
    for (const d of diagrams) {
      const t = performance.now();
      const result = await renderer.render(d.source);
      const ms = performance.now() - t;
      if (!result.ok) throw new Error(`${d.id}: ${result.error}`);
      // Round 1 includes each diagram type's first-use cost inside mermaid; keep it, it is what `docs` pays.
      times.set(d.kind, [...(times.get(d.kind) ?? []), ms]);
    }
  }
} finally {
  await renderer.close();
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))]!;
};
const all = [...times.values()].flat();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`start-up (launch Chromium, load mermaid): ${startup.toFixed(0)} ms`);
console.log("kind            n  mean ms  median  p90   max");
for (const [kind, xs] of [...times.entries(), ["ALL", all] as const]) {
  console.log(`${kind.padEnd(14)} ${String(xs.length).padStart(3)}  ${mean(xs).toFixed(1).padStart(7)}  ${q(xs, 0.5).toFixed(1).padStart(6)}  ${q(xs, 0.9).toFixed(0).padStart(4)}  ${Math.max(...xs).toFixed(0).padStart(4)}`);
}
console.log(`goal <= 100 ms per diagram after start-up: mean ${mean(all).toFixed(1)} ms -> ${mean(all) <= 100 ? "met" : "NOT met"}`);

if (mmdcCalls > 0) {
  const browser = await findBrowser(process.env);
  const dir = mkdtempSync(join(tmpdir(), "archverify-bench-render-"));
  try {
    const config = join(dir, "puppeteer.json");
    writeFileSync(config, JSON.stringify({ executablePath: browser, args: [...CHROMIUM_FLAGS] }));
    const picked = [diagrams.find((d) => d.kind === "topology"), diagrams.find((d) => d.kind === "counterexample") ?? diagrams.find((d) => d.kind === "event-flow")].filter((d): d is Diagram => Boolean(d)).slice(0, mmdcCalls);
    for (const d of picked) {
      const input = join(dir, "in.mmd");
      writeFileSync(input, d.source);
      const t = performance.now();
      execFileSync(join(root, "node_modules/.bin/mmdc"), ["-i", input, "-o", join(dir, "out.svg"), "-p", config, "-q"], { stdio: "pipe" });
      console.log(`one mmdc process for ${d.id}: ${(performance.now() - t).toFixed(0)} ms`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
