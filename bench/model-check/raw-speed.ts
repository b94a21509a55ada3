// bench:model-check:raw — the explorer's raw speed (states/s) next to the anchors: the reference
// system's scenarios (specs/order-system.yaml, default reductions and none) and the orders model
// of orders.pml unreduced (1-3 orders), in process. A plain JS BFS over the orders model does
// 142k-223k states/s on the machine the anchors were measured on, SPIN about 500k.
// With HEARTBEAT=1 every handler call pays the sandbox's heartbeat, as inside a worker.
// Last line: RESULT reference_states_per_s=<s> orders3_raw_states_per_s=<s>
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkScenario, type Reductions } from "../../src/check/explore/index.js";
import { installHeartbeat, HEARTBEAT_SLOTS } from "../../src/model/runtime/guard.js";
import { loadSystemRuntime } from "../../src/model/runtime/index.js";
import { valueCodec } from "../../src/model/runtime/codec.js";
import { createSystemModel, topologyFromSpec } from "../../src/model/system/index.js";
import { loadSpec } from "../../src/spec/load.js";

const here = dirname(fileURLToPath(import.meta.url));
const OFF: Reductions = { keys: false, symmetry: false, por: false };
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

if (process.env.HEARTBEAT === "1") installHeartbeat(new SharedArrayBuffer(HEARTBEAT_SLOTS * 4));

async function run(specFile: string, only: string[] | undefined, reductions: Reductions | undefined, label: string) {
  const spec = await loadSpec(specFile);
  const runtime = await loadSystemRuntime(spec);
  const rules = spec.rules.get("model-exhaustive")?.options ?? {};
  const bounds = { duplicates: Number(rules.duplicates ?? 1), crashes: Number(rules.crashes ?? 1) };
  const model = createSystemModel({ topology: topologyFromSpec(spec), runtime, codec: valueCodec, bounds });
  let states = 0;
  let ms = 0;
  for (const s of spec.scenarios.values()) {
    if (only && !only.includes(s.name)) continue;
    const t0 = performance.now();
    const r = checkScenario(model, s.inputs.map((i) => ({ channel: i.channel.name, event: i.event })), reductions ? { reductions } : {});
    const dt = performance.now() - t0;
    states += r.stats.states;
    ms += dt;
    const verdict = r.stats.complete ? (r.violations.length ? `FAIL (${r.violations.map((v) => v.kind).join(",")})` : "pass") : `cut (${r.stats.cut})`;
    console.log(`${label.padEnd(22)} ${s.name.padEnd(30)} ${verdict.padEnd(10)} ${fmt(r.stats.states).padStart(9)} states ${fmt(r.stats.transitions).padStart(10)} tr ${(dt / 1000).toFixed(2).padStart(7)} s ${fmt((r.stats.states / dt) * 1000).padStart(8)} states/s`);
  }
  return { states, ms, rate: (states / ms) * 1000 };
}

const reference = join(here, "../../specs/order-system.yaml");
const bench = (v: string) => join(here, `orders-${v}.yaml`);
const scenarioFilter = process.env.SCENARIOS?.split(",");
const ref = await run(reference, scenarioFilter, undefined, "reference (default)");
console.log(`reference total: ${fmt(ref.states)} states in ${(ref.ms / 1000).toFixed(2)} s = ${fmt(ref.rate)} states/s`);
let orders3 = { rate: 0 };
if (process.env.REFERENCE_ONLY !== "1") {
  for (const n of [1, 2, 3]) {
    const r = await run(bench("safe"), [`orders-${n}`], OFF, "orders safe (no red.)");
    if (n === 3) orders3 = r;
  }
}
console.log(`RESULT reference_states_per_s=${Math.round(ref.rate)} orders3_raw_states_per_s=${Math.round(orders3.rate)}`);
