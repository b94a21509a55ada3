// Time of the code-against-spec rules (drift + contract-compat) on a code base
// of several hundred files: N copies of the reference order system, each copy
// a set of services of one generated spec, in a temporary folder. Wall time
// and CPU time are both printed: on a shared machine the CPU time is the
// steadier figure.
//   npm run bench:drift [-- --copies N] [-- --keep]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";

const ROOT = resolve(import.meta.dirname, "../..");
const { values } = parseArgs({ options: { copies: { type: "string", default: "30" }, keep: { type: "boolean", default: false } } });
const copies = Number(values.copies);

interface RefSpec {
  contexts: Record<string, unknown>;
  services: Record<string, { code?: string; handler?: string; calls?: { to: string }[]; external?: boolean; [k: string]: unknown }>;
  channels: Record<string, { events: string[]; producers: string[]; consumers: string[]; [k: string]: unknown }>;
}

const ref = parse(readFileSync(join(ROOT, "specs/order-system.yaml"), "utf8")) as RefSpec;
const dir = mkdtempSync(join(tmpdir(), "archverify-bench-drift-"));
try {
  const services: RefSpec["services"] = {};
  const channels: RefSpec["channels"] = {};
  for (let k = 1; k <= copies; k++) {
    cpSync(join(ROOT, "models/order-system/src"), join(dir, `copy${k}`, "src"), { recursive: true });
    const rename = (name: string) => (ref.services[name]?.external ? name : `${name}-${k}`);
    for (const [name, s] of Object.entries(ref.services)) {
      if (s.external) {
        services[name] = { external: true };
        continue;
      }
      services[rename(name)] = {
        ...(s.code ? { code: s.code.replace("../models/order-system", `copy${k}`) } : {}),
        ...(s.handler ? { handler: s.handler.replace("../models/order-system", `copy${k}`) } : {}),
        ...(s.calls ? { calls: s.calls.map((c) => ({ to: rename(c.to) })) } : {}),
      };
    }
    for (const [name, c] of Object.entries(ref.channels)) {
      // Event types belong to one channel each: suffix them per copy, as the code does not, so
      // each copy's channels carry distinct names (the code's literals then match copy 1 only).
      channels[`${name}-${k}`] = {
        events: c.events.map((e) => (k === 1 ? e : `${e}${k}`)),
        producers: c.producers.map(rename),
        consumers: c.consumers.map(rename),
      };
    }
  }
  // Each copy has its own tsconfig-free folder: the repository's tsconfig is not above a temp dir.
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, lib: ["ES2023"], types: [] } }));
  const specFile = join(dir, "archverify.yaml");
  writeFileSync(specFile, stringify({ archverify: 1, services, channels }));

  const { loadSpecSync } = await import("../../src/spec/load.js");
  const { runRules } = await import("../../src/check/runner.js");
  const { codeRules } = await import("../../src/check/rules/code/index.js");
  const ids = new Set(["undeclared-call", "unused-call", "undeclared-emission", "unused-emission", "undeclared-subscription", "unused-subscription", "contract-compat"]);
  const rules = codeRules.filter((r) => ids.has(r.id));

  const t0 = performance.now();
  const spec = loadSpecSync(specFile);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const timings: Record<string, number> = {};
  const result = await runRules(spec, { seed: 1, allCycles: false, maxCycles: 100, reportsDir: join(dir, "reports"), cwd: dir }, rules, (id, ms) => {
    timings[id] = ms;
  });
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const project = result.stats["code.project"] as { files: number; setupMs: number };
  const drift = result.stats["code.drift"] as { services: number; durationMs: number };
  const perRule = [...ids].map((id) => `${id}=${result.findings.filter((f) => f.ruleId === id).length}`).join(" ");
  console.log(`copies=${copies} services=${drift.services} files=${project.files}`);
  console.log(`spec load ${(t1 - t0).toFixed(0)} ms; project (parse+bind) ${project.setupMs} ms; analysis ${drift.durationMs} ms`);
  console.log(`per rule (first one builds the shared project and analysis): ${[...ids].map((id) => `${id} ${(timings[id] ?? 0).toFixed(0)}`).join(", ")}`);
  console.log(`findings: ${perRule}`);
  console.log(`RESULT drift files=${project.files} total_s=${((t2 - t1) / 1000).toFixed(2)} cpu_s=${((cpu.user + cpu.system) / 1e6).toFixed(2)} peak_rss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`);
} finally {
  if (values.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
