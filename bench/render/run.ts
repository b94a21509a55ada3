// bench:render — Mermaid rendering speed of `archverify docs --render svg`:
// every diagram of the reference system and of the seed variant (topology,
// context map, event flows, domain class diagrams, counterexamples), rendered
// with one browser and one page, timed per diagram after start-up. Goal: at
// most 100 ms per diagram. The renderer patches mermaid's config copying
// (src/report/render/mermaid-dist.ts); the same diagrams also go through
// mermaid's bundle unchanged, for the before/after figures and to check that
// both draw byte-identical SVGs. Then the whole set goes through the page
// pool `docs --render svg` uses (POOL_PAGES pages side by side, from
// POOL_FROM diagrams on), timed per round. For scale, a few diagrams also go through
// one `mmdc` process each (mermaid-cli's command line), as a user would
// script it.
//
//   npm run bench:render                  # 3 rounds, both renderers, 2 mmdc calls
//   npm run bench:render -- --rounds 5 --mmdc 0 --unpatched false
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { counterexamplesOf } from "../../src/report/mermaid/counterexample.js";
import { specDiagrams, type Diagram } from "../../src/report/mermaid/diagrams.js";
import { CHROMIUM_FLAGS, findBrowser } from "../../src/report/render/browser.js";
import { MermaidPool, MermaidRenderer, POOL_FROM, POOL_PAGES } from "../../src/report/render/mermaid.js";
import type { ReportFinding } from "../../src/report/types.js";
import { loadSpec } from "../../src/spec/load.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" }, mmdc: { type: "string", default: "2" }, unpatched: { type: "string", default: "true" } } });
const rounds = Number(values.rounds);
const compareUnpatched = values.unpatched !== "false";
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

interface Run {
  startup: number;
  times: Map<string, number[]>;
  /** The last round's SVG of each diagram. */
  svgs: string[];
  label: string;
}

async function measure(fast: boolean): Promise<Run> {
  const t0 = performance.now();
  const renderer = await MermaidRenderer.open({ env: process.env, fast });
  const startup = performance.now() - t0;
  const times = new Map<string, number[]>();
  const svgs: string[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [i, d] of diagrams.entries()) {
        const t = performance.now();
        const result = await renderer.render(d.source);
        const ms = performance.now() - t;
        if (!result.ok) throw new Error(`${d.id}: ${result.error}`);
        // Round 1 includes each diagram type's first-use cost inside mermaid; keep it, it is what `docs` pays.
        times.set(d.kind, [...(times.get(d.kind) ?? []), ms]);
        svgs[i] = result.svg;
      }
    }
    const status = await renderer.patchStatus();
    const { version, applied, skipped } = renderer.script;
    const parts = [applied.length ? `patched: ${applied.join(", ")}` : "unpatched", ...skipped.map((s) => `${s.name} not applied: ${s.reason}`)];
    const copy = status.configCopy;
    if (copy) parts.push(`getConfig ${copy.mode === "fast" ? "fast copy" : `mermaid's own (${copy.reason})`}: ${copy.fastCalls} fast / ${copy.slowCalls} mermaid calls, ${copy.compiled} shapes`);
    if (status.plainText) parts.push(`labels: ${status.plainText.shortcut} plain / ${status.plainText.purified} through DOMPurify`);
    const how = parts.join("; ");
    return { startup, times, svgs, label: `mermaid ${version}, ${how}` };
  } finally {
    await renderer.close();
  }
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))]!;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const GOAL_MS = 100;

function table(run: Run): number {
  const all = [...run.times.values()].flat();
  console.log(`start-up (launch Chromium, load mermaid): ${run.startup.toFixed(0)} ms`);
  console.log("kind            n  mean ms  median  p90   max");
  for (const [kind, xs] of [...run.times.entries(), ["ALL", all] as const]) {
    const flag = kind !== "ALL" && mean(xs) > GOAL_MS ? `  over ${GOAL_MS} ms` : "";
    console.log(`${kind.padEnd(14)} ${String(xs.length).padStart(3)}  ${mean(xs).toFixed(1).padStart(7)}  ${q(xs, 0.5).toFixed(1).padStart(6)}  ${q(xs, 0.9).toFixed(0).padStart(4)}  ${Math.max(...xs).toFixed(0).padStart(4)}${flag}`);
  }
  return mean(all);
}

const runs: Run[] = [];
if (compareUnpatched) {
  const before = await measure(false);
  console.log(`\n== ${before.label}`);
  table(before);
  runs.push(before);
}
const after = await measure(true);
console.log(`\n== ${after.label}`);
const overall = table(after);
if (runs[0]) {
  const differ = diagrams.filter((_, i) => runs[0]!.svgs[i] !== after.svgs[i]).map((d) => d.id);
  console.log(`SVGs byte-identical to unpatched mermaid: ${diagrams.length - differ.length}/${diagrams.length}${differ.length ? ` (differ: ${differ.join(", ")})` : ""}`);
}

// What `docs --render svg` does with this many diagrams: the pool, timed per round after start-up.
const poolPages = diagrams.length >= POOL_FROM ? POOL_PAGES : 1;
const tp = performance.now();
const pool = await MermaidPool.open(process.env, poolPages);
const poolStartup = performance.now() - tp;
const perRound: number[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const results = await pool.render(diagrams.map((d) => d.source));
    perRound.push((performance.now() - t) / diagrams.length);
    const bad = results.findIndex((x) => !x.ok);
    if (bad >= 0) throw new Error(`${diagrams[bad]!.id} failed in the pool`);
  }
} finally {
  await pool.close();
}
const poolMean = mean(perRound);
console.log(`\n== the same ${diagrams.length} diagrams through the pool (${poolPages} pages, diagram i on page i mod ${poolPages}), as docs --render svg does`);
console.log(`start-up: ${poolStartup.toFixed(0)} ms; per round: ${perRound.map((x) => `${x.toFixed(1)}`).join(", ")} ms per diagram (wall time / diagrams)`);
console.log(`goal <= ${GOAL_MS} ms per diagram after start-up: one page ${overall.toFixed(1)} ms, pool ${poolMean.toFixed(1)} ms -> ${Math.max(overall, poolMean) <= GOAL_MS ? "met" : "NOT met"}`);
const over = [...after.times.entries()].filter(([, xs]) => mean(xs) > GOAL_MS).map(([k, xs]) => `${k} ${mean(xs).toFixed(0)} ms`);
if (over.length) console.log(`kinds over ${GOAL_MS} ms per diagram on one page: ${over.join(", ")}`);

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
