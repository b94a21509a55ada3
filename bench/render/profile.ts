// bench:render:profile — where a render's time goes, by Chrome's CPU profiler:
// the diagrams of the reference system and its seed variant (as bench:render),
// rendered once to warm up, then again under the profiler, in mermaid's
// readable bundle (real function names) with the same speed-ups as the
// renderer (unless --unpatched). Prints the functions with the most time of
// their own and with the most time including what they call.
//
//   npm run bench:render:profile -- --kind class --reps 2
//   npm run bench:render:profile -- --kind topology --reps 6 --unpatched
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { specDiagrams, type Diagram } from "../../src/report/mermaid/diagrams.js";
import { launchBrowser } from "../../src/report/render/browser.js";
import { loadSpec } from "../../src/spec/load.js";

const { values } = parseArgs({
  options: { kind: { type: "string" }, reps: { type: "string", default: "2" }, unpatched: { type: "boolean", default: false }, top: { type: "string", default: "30" } },
});
const root = resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);

// The readable bundle's spelling of the two expressions src/report/render/mermaid-dist.ts
// replaces in the minified one (mermaid 11.17).
const READABLE_PATCHES: Array<[string, string]> = [
  ["return assignWithDepth_default({}, currentConfig);", "return __archverifyConfigCopy(currentConfig, assignWithDepth_default);"],
  ['text4 = purify.sanitize(sanitizeMore(text4, config3), {\n            FORBID_TAGS: ["style"]\n          }).toString();', "text4 = __archverifySanitizeText(purify, sanitizeMore(text4, config3));"],
];

function script(): string {
  let text = readFileSync(require.resolve("mermaid/dist/mermaid.js"), "utf8");
  if (values.unpatched) return text;
  for (const [from, to] of READABLE_PATCHES) {
    if (text.split(from).length !== 2) throw new Error(`the readable bundle no longer contains ${JSON.stringify(from.slice(0, 60))}; update READABLE_PATCHES`);
    text = text.replace(from, to);
  }
  const page = (f: string) => readFileSync(join(root, "src/report/render/page", f), "utf8");
  return `${page("config-copy.js")}\n${page("plain-text.js")}\n${text}`;
}

const diagrams: Diagram[] = [];
for (const p of ["specs/order-system.yaml", "specs/order-system-seed.yaml"]) diagrams.push(...(await specDiagrams(await loadSpec(join(root, p)), { cwd: root })));
const chosen = diagrams.filter((d) => !values.kind || d.kind === values.kind);
if (chosen.length === 0) throw new Error(`no diagram of kind ${values.kind}; kinds: ${[...new Set(diagrams.map((d) => d.kind))].join(", ")}`);
const reps = Number(values.reps);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
interface Cdp {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
}
interface ProfiledPage {
  setContent(html: string): Promise<unknown>;
  addScriptTag(o: { content: string }): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  createCDPSession(): Promise<Cdp>;
}

const browser = await launchBrowser(process.env);
try {
  const page = (await browser.newPage()) as unknown as ProfiledPage;
  await page.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
  await page.addScriptTag({ content: script() });
  // The renderer's settings (src/report/render/mermaid.ts).
  await page.evaluate(
    `mermaid.initialize(${JSON.stringify({ startOnLoad: false, securityLevel: "strict", maxTextSize: 5_000_000, maxEdges: 100_000, deterministicIds: true, htmlLabels: false, flowchart: { htmlLabels: false }, theme: "default", handDrawnSeed: 1 })})`,
  );
  let n = 0;
  const renderAll = async () => {
    for (let r = 0; r < reps; r++) for (const d of chosen) await page.evaluate(`mermaid.render("diagram${n++}", ${JSON.stringify(d.source)}).then(() => 0)`);
  };
  await renderAll();
  const cdp = await page.createCDPSession();
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const t = performance.now();
  await renderAll();
  const wall = performance.now() - t;
  const { profile } = (await cdp.send("Profiler.stop")) as { profile: Profile };

  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const name = (node: ProfileNode) => `${node.callFrame.functionName || "(anonymous)"}:${node.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampled = 0;
  profile.samples.forEach((s, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    sampled += ms;
    const leaf = byId.get(s)!;
    self.set(name(leaf), (self.get(name(leaf)) ?? 0) + ms);
    // Inclusive time counts a function once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
      const k = name(byId.get(id)!);
      if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + ms);
      seen.add(k);
    }
  });
  const top = Number(values.top);
  const table = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, top)
      .map(([k, ms]) => `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / sampled).toFixed(1).padStart(5)}%  ${k}`)
      .join("\n");
  console.log(`${chosen.length} diagram(s)${values.kind ? ` of kind ${values.kind}` : ""} x ${reps}, ${values.unpatched ? "mermaid unpatched" : "patched as the renderer"}: ${(wall / (chosen.length * reps)).toFixed(1)} ms per diagram under the profiler`);
  console.log("(native functions such as getComputedTextLength and getBBox include the style and layout they force; function:line in mermaid.js, after the helpers' lines when patched)");
  console.log(`\nself time\n${table(self)}\n\nincluding callees\n${table(total)}`);
} finally {
  await browser.close();
}
