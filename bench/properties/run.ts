// bench:properties -- convergence runs per second of archverify on the 1-order
// orders model (bench/orders-model, the model of orders.pml) side by side with
// the raw fast-check sampler it is measured against, in one process.
//
// The raw sampler is part (a) of orders-fc.mjs (../shared/anchors/spin/ in the
// project's workspace; copied here, not imported, so the bench is
// self-contained): a schedule is 3 duplicate flags plus 6 Lehmer-style picks,
// the handler is a plain (state, event) -> state function, and the check is
// the final state. archverify runs the same model from its spec: handlers
// loaded from TypeScript in the sandbox worker, the shared system semantics,
// invariant/quiescence predicates, convergence against the in-order run.
//
// Last line: RESULT runs_per_s=<archverify> raw_runs_per_s=<raw> overhead=<raw/archverify>
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import type { SimulationJobInput } from "../../src/check/simulate/job.js";
import type { SystemSimulation } from "../../src/check/simulate/system.js";
import { closeSandbox, runInSandbox } from "../../src/model/runtime/sandbox.js";
import { loadSpec } from "../../src/spec/load.js";

// Several short alternating rounds and medians: on a shared machine the load changes between
// measurements, and alternating keeps both sides under the same conditions.
const RUNS = Number(process.env.RUNS ?? 50_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const SEED = 42;

// ---- (a) of orders-fc.mjs, the raw fast-check sampler ----------------------
type Ev = "OrderCreated" | "PaymentCompleted" | "InventoryReserved";
interface S { created: boolean; paid: boolean; reserved: number; seen: Set<Ev> }
const EVENTS: Ev[] = ["OrderCreated", "PaymentCompleted", "InventoryReserved"];
const INIT = { created: false, paid: false, reserved: 0 };
const apply = {
  safe: (s: S, e: Ev): S => (e === "OrderCreated" ? { ...s, created: true } : e === "PaymentCompleted" ? { ...s, paid: true } : { ...s, reserved: 1 }),
  bug: (s: S, e: Ev): S =>
    e === "OrderCreated" ? { created: true, paid: false, reserved: 0, seen: s.seen } : e === "PaymentCompleted" ? { ...s, paid: true } : { ...s, reserved: 1 },
  counter: (s: S, e: Ev): S =>
    e === "OrderCreated" ? { ...s, created: true } : e === "PaymentCompleted" ? { ...s, paid: true } : { ...s, reserved: s.reserved + 1 },
};
const withDedup = (f: (s: S, e: Ev) => S) => (st: S, e: Ev): S => (st.seen.has(e) ? st : { ...f(st, e), seen: new Set([...st.seen, e]) });
const RAW_VARIANTS: Record<string, (s: S, e: Ev) => S> = {
  safe: apply.safe,
  bug: apply.bug,
  "bug+dedup": withDedup(apply.bug),
  counter: apply.counter,
  "counter+dedup": withDedup(apply.counter),
};
const runRaw = (h: (s: S, e: Ev) => S, seq: Ev[]) => {
  let s: S = { ...INIT, seen: new Set() };
  for (const e of seq) s = h(s, e);
  return s;
};
const converged = (s: S) => s.created && s.paid && s.reserved === 1;
const scheduleArb = fc
  .record({ dups: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()), picks: fc.array(fc.nat({ max: 5 }), { minLength: 6, maxLength: 6 }) })
  .map(({ dups, picks }) => {
    const pending = [...EVENTS, ...EVENTS.filter((_, i) => dups[i])];
    const seq: Ev[] = [];
    for (let i = 0; pending.length > 0; i++) seq.push(pending.splice(picks[i]! % pending.length, 1)[0]!);
    return seq;
  });

function raw(variant: string, runs: number) {
  const h = RAW_VARIANTS[variant]!;
  const t0 = performance.now();
  const res = fc.check(fc.property(scheduleArb, (seq) => converged(runRaw(h, seq))), { numRuns: runs, seed: SEED });
  const ms = performance.now() - t0;
  return { failed: res.failed, runs: res.numRuns, ms, counterexample: res.counterexample?.[0] as Ev[] | undefined };
}

// ---- archverify: the same model from its spec, in the sandbox worker ---------
const JOB = new URL("../../src/check/simulate/job.ts", import.meta.url).href;
const specFile = (name: string) => fileURLToPath(new URL(`../orders-model/${name}.yaml`, import.meta.url));

async function archverify(variant: string, runs: number) {
  const spec = await loadSpec(specFile(variant));
  const t0 = performance.now();
  const result = await runInSandbox<SimulationJobInput, SystemSimulation>(JOB, {
    spec,
    seed: SEED,
    runs,
    maxDepth: 100,
    // orders.pml: each message may be redelivered once; no crashes.
    bounds: { duplicates: 1, crashes: 0 },
  });
  const wallMs = performance.now() - t0;
  if (!result.ok) throw new Error(`handler timeout in ${variant}`);
  const sc = result.value.scenarios[0]!;
  return { runs: sc.runs, ms: sc.sampleMs, wallMs, counterexample: sc.counterexamples[0] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`bench:properties -- 1-order orders model, ${RUNS} runs per measurement, ${ROUNDS} rounds, seed ${SEED}`);
console.log("variants (archverify | raw fast-check):");
const files: Record<string, string> = { safe: "safe", bug: "bug", "bug+dedup": "bug-dedup", counter: "counter", "counter+dedup": "counter-dedup" };
for (const [variant, file] of Object.entries(files)) {
  const a = await archverify(file, 2000);
  const r = raw(variant, 2000);
  const mine = a.counterexample
    ? `FAIL ${a.counterexample.transitions.map((t) => `${abbrev(t.type)}${t.duplicate ? "(dup)" : ""}`).join(", ")} (${a.counterexample.violation.kind})`
    : `pass (${a.runs} runs)`;
  const theirs = r.failed ? `FAIL ${(r.counterexample ?? []).map(abbrev).join(", ")}` : `pass (${r.runs} runs)`;
  console.log(`  ${variant.padEnd(14)} ${mine.padEnd(48)} | ${theirs}`);
}

const ours: number[] = [];
const theirs: number[] = [];
const walls: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const a = await archverify("safe", RUNS);
  const r = raw("safe", RUNS);
  ours.push((a.runs / a.ms) * 1000);
  walls.push((a.runs / a.wallMs) * 1000);
  theirs.push((r.runs / r.ms) * 1000);
  console.log(
    `round ${round}: archverify ${Math.round(ours.at(-1)!)} runs/s (${Math.round(walls.at(-1)!)} runs/s end to end through the sandbox), ` +
      `raw fast-check ${Math.round(theirs.at(-1)!)} runs/s`,
  );
}
await closeSandbox();
const mine = Math.round(median(ours));
const rawRate = Math.round(median(theirs));
const ratios = theirs.map((r, i) => r / ours[i]!);
console.log(`per-round overhead (raw/archverify): ${ratios.map((r) => r.toFixed(2)).join(" ")}; median ${median(ratios).toFixed(2)}`);
console.log(`RESULT runs_per_s=${mine} raw_runs_per_s=${rawRate} overhead=${(rawRate / mine).toFixed(2)}`);

function abbrev(type: string): string {
  return type.replace(/[a-z]/g, "");
}
