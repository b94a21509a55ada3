// bench:model-check:raw — the explorer's raw speed (states/s) next to the anchors: a plain JS BFS
// over the orders model of orders.pml does 142k-223k states/s on the machine the anchors were
// measured on, SPIN about 500k. Measured here:
// - the reference system (specs/order-system.yaml, every scenario, its bounds) in process, with
//   the default reductions and with none; every handler call pays the sandbox's heartbeat, as
//   inside the worker;
// - the same exploration as `archverify check` runs it: the sandbox job, in a worker thread;
// - the orders model (this folder) unreduced, 1-3 orders.
// States/s count the search only (not loading the spec and the handlers).
// Last line: RESULT reference_states_per_s=<s> sandbox_states_per_s=<s> orders3_raw_states_per_s=<s>
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkScenario, type Reductions } from "../../src/check/explore/index.js";
import type { ExploreJobInput, ScenarioExploration } from "../../src/check/explore/job.js";
import { installHeartbeat, HEARTBEAT_SLOTS } from "../../src/model/runtime/guard.js";
import { loadSystemRuntime } from "../../src/model/runtime/index.js";
import { valueCodec } from "../../src/model/runtime/codec.js";
import { closeSandbox, runInSandbox } from "../../src/model/runtime/sandbox.js";
import { createSystemModel, topologyFromSpec } from "../../src/model/system/index.js";
import { loadSpec } from "../../src/spec/load.js";
import type { Spec } from "../../src/spec/types.js";

const here = dirname(fileURLToPath(import.meta.url));
const NONE: Reductions = { keys: false, symmetry: false, por: false };
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const JOB = new URL("../../src/check/explore/job.ts", import.meta.url).href;

// A heartbeat nobody watches: the same per-call cost as inside a sandbox worker.
installHeartbeat(new SharedArrayBuffer(HEARTBEAT_SLOTS * Int32Array.BYTES_PER_ELEMENT));

/** The bounds `archverify check` explores a spec with (the model-exhaustive rule's options). */
function boundsOf(spec: Spec) {
  const options = spec.rules.get("model-exhaustive")?.options ?? {};
  return { duplicates: Number(options.duplicates ?? 1), crashes: Number(options.crashes ?? 1) };
}

interface Total {
  states: number;
  ms: number;
}

function line(label: string, scenario: string, verdict: string, states: number, transitions: number, ms: number): void {
  console.log(
    `${label.padEnd(24)} ${scenario.padEnd(28)} ${verdict.padEnd(9)} ${fmt(states).padStart(9)} states ${fmt(transitions).padStart(9)} tr ${(ms / 1000).toFixed(2).padStart(6)} s ${fmt((states / Math.max(ms, 1e-3)) * 1000).padStart(8)} states/s`,
  );
}

async function inProcess(specFile: string, only: string[] | undefined, reductions: Reductions | undefined, label: string): Promise<Total> {
  const spec = await loadSpec(specFile);
  const runtime = await loadSystemRuntime(spec);
  const model = createSystemModel({ topology: topologyFromSpec(spec), runtime, codec: valueCodec, bounds: boundsOf(spec) });
  const total: Total = { states: 0, ms: 0 };
  for (const s of spec.scenarios.values()) {
    if (only && !only.includes(s.name)) continue;
    const r = checkScenario(model, s.inputs.map((i) => ({ channel: i.channel.name, event: i.event })), reductions ? { reductions } : {});
    total.states += r.stats.states;
    total.ms += r.stats.elapsedMs;
    const verdict = r.stats.complete ? (r.violations.length ? "FAIL" : "pass") : `cut (${r.stats.cut})`;
    line(label, s.name, verdict, r.stats.states, r.stats.transitions, r.stats.elapsedMs);
  }
  return total;
}

async function inSandbox(specFile: string, label: string): Promise<Total> {
  const spec = await loadSpec(specFile);
  const input: ExploreJobInput = { spec, bounds: boundsOf(spec), order: "bfs", reductions: { keys: true, por: true, symmetry: true }, maxStates: 2_000_000 };
  const result = await runInSandbox<ExploreJobInput, ScenarioExploration[]>(JOB, input);
  if (!result.ok) throw new Error(`a handler timed out in ${result.timeout.service}`);
  const total: Total = { states: 0, ms: 0 };
  for (const { scenario, check } of result.value) {
    total.states += check.stats.states;
    total.ms += check.stats.elapsedMs;
    line(label, scenario, check.violations.length ? "FAIL" : "pass", check.stats.states, check.stats.transitions, check.stats.elapsedMs);
  }
  return total;
}

const rate = (t: Total) => (t.states / Math.max(t.ms, 1e-3)) * 1000;
const summary = (what: string, t: Total) => console.log(`${what}: ${fmt(t.states)} states in ${(t.ms / 1000).toFixed(2)} s = ${fmt(rate(t))} states/s\n`);

const reference = join(here, "../../specs/order-system.yaml");
const reduced = await inProcess(reference, undefined, undefined, "reference");
summary("reference, default reductions, in process", reduced);
const plain = await inProcess(reference, undefined, NONE, "reference (no reductions)");
summary("reference, no reductions, in process", plain);
const sandboxed = await inSandbox(reference, "reference (sandbox job)");
summary("reference, default reductions, sandbox worker", sandboxed);
await closeSandbox();
let orders3: Total = { states: 0, ms: 0 };
for (const n of [1, 2, 3]) {
  const t = await inProcess(join(here, "orders-safe.yaml"), [`orders-${n}`], NONE, "orders safe (no red.)");
  if (n === 3) orders3 = t;
}
console.log(`\nanchors: plain JS BFS over the orders model 142k-223k states/s, SPIN ~500k states/s`);
console.log(`RESULT reference_states_per_s=${Math.round(rate(reduced))} sandbox_states_per_s=${Math.round(rate(sandboxed))} orders3_raw_states_per_s=${Math.round(rate(orders3))}`);
