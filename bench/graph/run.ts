// npm run bench:graph [-- --sizes 1000,10000,100000 --variants acyclic,cycles,giant --model --all-cycles --keep]
// Generates topologies of each size, loads and checks each in its own process,
// and prints load time, check time and peak RSS per size, with the growth
// exponent between sizes (1.0 = linear; log(t2/t1) / log(n2/n1)).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateTopology, type Variant } from "./generate.js";

interface Measurement {
  loadMs: number | null;
  loadCpuMs: number | null;
  checkMs: number;
  checkCpuMs: number;
  rssMB: number;
  services: number;
  perRule: Record<string, number>;
  findings: Record<string, number>;
}

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? (argv[i + 1] as string) : fallback;
};
const sizes = option("--sizes", "1000,10000,100000").split(",").map(Number);
const variants = option("--variants", "acyclic,cycles,giant").split(",") as Variant[];
const inMemory = argv.includes("--model");
const allCycles = argv.includes("--all-cycles");
const keep = argv.includes("--keep");

const measureScript = fileURLToPath(new URL("./measure.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "archverify-bench-graph-"));
const fmt = (ms: number | null) => (ms === null ? "-" : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const exponent = (t1: number, t2: number, n1: number, n2: number) => Math.log(t2 / t1) / Math.log(n2 / n1);

console.log(`graph bench (${inMemory ? "rules only, spec built in memory" : "spec loader + every rule"}${allCycles ? ", --all-cycles" : ""}), node ${process.version}`);
console.log("| variant | services | calls | YAML (files) | load wall / CPU | check wall / CPU | peak RSS | findings | slowest rules (wall) |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
const rows: { variant: Variant; n: number; m: Measurement }[] = [];
try {
  for (const variant of variants) {
    for (const n of sizes) {
      const topology = generateTopology(n, variant);
      // Split into files of 10k services: one 100k-service file (17 MB) is above the loader's default size limit.
      const folder = join(dir, `${n}-${variant}`);
      mkdirSync(folder);
      const files = topology.files(10_000);
      for (const f of files) writeFileSync(join(folder, f.name), f.text);
      const file = join(folder, (files[0] as { name: string }).name);
      const childArgs = ["--import", "tsx", measureScript, ...(inMemory ? ["--model", String(n), variant] : [file]), ...(allCycles ? ["--all-cycles"] : [])];
      const out = execFileSync(process.execPath, childArgs, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] });
      const m = JSON.parse(out.trim().split("\n").pop() as string) as Measurement;
      rows.push({ variant, n, m });
      const findings = Object.entries(m.findings).map(([id, k]) => `${id} ${k}`).join(", ") || "none";
      const slowest = Object.entries(m.perRule).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id, ms]) => `${id} ${fmt(ms)}`).join(", ");
      console.log(
        `| ${variant} | ${n.toLocaleString("en")} | ${topology.calls.toLocaleString("en")} | ${(topology.yaml.length / 1e6).toFixed(1)} MB (${inMemory ? 0 : topology.files(10_000).length}) | ${fmt(m.loadMs)} / ${fmt(m.loadCpuMs)} | ${fmt(m.checkMs)} / ${fmt(m.checkCpuMs)} | ${Math.round(m.rssMB)} MB | ${findings} | ${slowest} |`,
      );
    }
  }
  console.log("\ngrowth exponent of CPU time between consecutive sizes (1.0 = linear, 2.0 = quadratic):");
  for (const variant of variants) {
    const rs = rows.filter((r) => r.variant === variant);
    for (let i = 1; i < rs.length; i++) {
      const a = rs[i - 1]!;
      const b = rs[i]!;
      const load = a.m.loadCpuMs !== null && b.m.loadCpuMs !== null ? exponent(a.m.loadCpuMs, b.m.loadCpuMs, a.n, b.n).toFixed(2) : "-";
      const check = exponent(a.m.checkCpuMs, b.m.checkCpuMs, a.n, b.n);
      console.log(`  ${variant} ${a.n} -> ${b.n}: load ${load}, check ${check.toFixed(2)}${check <= 1.25 ? " (close to linear)" : " (superlinear)"}`);
    }
  }
} finally {
  if (keep) console.log(`\nspecs kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
