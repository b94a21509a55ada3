// One bench measurement in a fresh process (so peak RSS is this size's own):
// load a generated spec and run every rule through the real runner, then print
// one JSON line. Invoked by bench/graph/run.ts.
//   measure.ts FILE            load FILE with the spec loader, then check
//   measure.ts --model N VARIANT  build the spec in memory (no loader): rules only
import { runRules } from "../../src/check/runner.js";
import type { CheckOptions } from "../../src/check/types.js";
import { loadSpec } from "../../src/spec/load.js";
import type { Spec } from "../../src/spec/types.js";
import { buildSpec } from "../../test/graph/spec-builder.js";
import { generateTopology, type Variant } from "./generate.js";

const args = process.argv.slice(2);
const allCycles = args.includes("--all-cycles");
const positional = args.filter((a) => !a.startsWith("--"));

// CPU time (user + system) next to wall time: on a busy machine wall time measures the neighbours too.
const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

let spec: Spec;
let loadMs: number | null = null;
let loadCpuMs: number | null = null;
if (args.includes("--model")) {
  spec = buildSpec(generateTopology(Number(positional[0]), positional[1] as Variant).model);
} else {
  const started = performance.now();
  const cpu = process.cpuUsage();
  spec = await loadSpec(positional[0] as string);
  loadMs = performance.now() - started;
  loadCpuMs = cpuMs(cpu);
}
const options: CheckOptions = { seed: 1, allCycles, maxCycles: 100, reportsDir: "reports", cwd: process.cwd() };
const perRule: Record<string, number> = {};
const started = performance.now();
const cpu = process.cpuUsage();
const result = await runRules(spec, options, undefined, (id, ms) => (perRule[id] = Math.round(ms)));
const checkMs = performance.now() - started;
const checkCpuMs = cpuMs(cpu);
const findings: Record<string, number> = {};
for (const f of result.findings) findings[f.ruleId] = (findings[f.ruleId] ?? 0) + 1;
process.stdout.write(
  `${JSON.stringify({ loadMs, loadCpuMs, checkMs, checkCpuMs, rssMB: process.resourceUsage().maxRSS / 1024, services: spec.services.size, perRule, findings })}\n`,
);
