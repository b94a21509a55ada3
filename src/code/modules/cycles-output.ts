// What `archverify cycles` prints: the analysis with paths relative to the
// analysed folder, sorted, in JSON (a stable contract) or text.
import { displayPath } from "../../util/paths.js";
import { compareCycles, edgeKey, rotateToSmallest, type CycleAnalysis, type TypeOnlyMode } from "./cycles.js";

export interface CyclesJson {
  files: number;
  edges: number;
  sccs: string[][];
  cycles: string[][];
  durationMs: number;
}

export function cyclesJson(analysis: CycleAnalysis, root: string, durationMs: number): CyclesJson {
  const rel = (f: string) => displayPath(f, root);
  const sccs = analysis.sccs.map((c) => c.map(rel).sort()).sort(compareCycles);
  const cycles = analysis.cycles.map((c) => rotateToSmallest(c.map(rel))).sort(compareCycles);
  return { files: analysis.files, edges: analysis.edges, sccs, cycles, durationMs: Math.round(durationMs) };
}

/** Components with their cycles underneath; each step shows the line of the import it follows. */
export function cyclesText(analysis: CycleAnalysis, root: string, mode: TypeOnlyMode, durationMs: number): string {
  const rel = (f: string) => displayPath(f, root);
  const lines: string[] = [];
  const json = cyclesJson(analysis, root, durationMs);
  const byRel = new Map<string, string>();
  for (const comp of analysis.sccs) for (const f of comp) byRel.set(rel(f), f);
  json.sccs.forEach((comp, k) => {
    const members = new Set(comp);
    const cycles = json.cycles.filter((c) => members.has(c[0] as string));
    lines.push(`SCC ${k + 1}: ${comp.length} file${comp.length === 1 ? "" : "s"}, ${cycles.length} cycle${cycles.length === 1 ? "" : "s"}`);
    for (const f of comp) lines.push(`  ${f}`);
    lines.push("  cycles:");
    for (const c of cycles) {
      const steps = c.map((f, i) => {
        const next = c[i + 1];
        if (next === undefined) return f;
        const e = analysis.edgeOf.get(edgeKey(byRel.get(f) as string, byRel.get(next) as string));
        return e ? `${f}:${e.line}` : f;
      });
      lines.push(`    ${steps.join(" → ")}`);
    }
    lines.push("");
  });
  const scope = mode === "exclude" ? "runtime imports; type-only imports left out" : "runtime and type-only imports";
  const memberCount = json.sccs.reduce((n, c) => n + c.length, 0);
  lines.push(
    `${json.files} files, ${json.edges} imports (${scope}): ` +
      (json.sccs.length === 0
        ? "no cycles"
        : `${json.sccs.length} strongly connected component${json.sccs.length === 1 ? "" : "s"} (${memberCount} files), ${json.cycles.length} cycle${json.cycles.length === 1 ? "" : "s"}`) +
      ` [${(durationMs / 1000).toFixed(2)} s]`,
  );
  return `${lines.join("\n")}\n`;
}
