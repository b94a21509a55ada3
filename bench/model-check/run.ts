// bench:model-check — the orders model of orders.pml (this folder) checked by archverify's
// explorer and by SPIN side by side: SAFE and BUG variants, 1, 2, 3 orders (SPIN and archverify)
// and 10 orders (archverify; SPIN within a 60 s limit). Per size: verdict, states, transitions,
// wall time of each, states/s of the search, and the ratio; the shortest counterexample of each,
// in deliveries. Raw speed without reductions on the reference system too: bench:model-check:raw.
// Installs spin and gcc from apt when missing. Last line:
//   RESULT nord=3 archverify_s=<t> spin_s=<t> ratio=<archverify/spin> nord10_s=<t or FAIL>
import { execSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkScenario, type Reductions } from "../../src/check/explore/index.js";
import { loadSystemRuntime } from "../../src/model/runtime/index.js";
import { valueCodec } from "../../src/model/runtime/codec.js";
import { createSystemModel, topologyFromSpec } from "../../src/model/system/index.js";
import { loadSpec } from "../../src/spec/load.js";

const here = dirname(fileURLToPath(import.meta.url));
const SIZES = [1, 2, 3];
const BIG = 10;
const SPIN_TIMEOUT_S = 60;

interface Row {
  tool: string;
  variant: string;
  n: number;
  verdict: string;
  states: string;
  transitions: string;
  seconds: number | undefined;
  /** States per second of the search itself (without loading the spec and handlers). */
  rate?: number;
  cex?: number;
  note?: string;
}

const fmt = (n: number) => n.toLocaleString("en-US");

async function archverify(variant: "safe" | "bug", n: number, reductions?: Partial<Reductions>): Promise<Row> {
  const started = performance.now();
  const spec = await loadSpec(join(here, `orders-${variant}.yaml`));
  const runtime = await loadSystemRuntime(spec);
  const model = createSystemModel({ topology: topologyFromSpec(spec), runtime, codec: valueCodec, bounds: { duplicates: 1, crashes: 0 } });
  const scenario = spec.scenarios.get(`orders-${n}`)!;
  const r = checkScenario(model, scenario.inputs.map((i) => ({ channel: i.channel.name, event: i.event })), reductions ? { reductions } : {});
  const seconds = (performance.now() - started) / 1000;
  const broken = r.violations.find((v) => v.kind === "quiescence");
  const kr = r.keyReduction;
  const row: Row = {
    tool: reductions ? "archverify (no reductions)" : "archverify",
    variant,
    n,
    verdict: r.stats.complete ? (broken ? "FAIL" : "pass") : `cut (${r.stats.cut})`,
    states: fmt(r.stats.states),
    transitions: fmt(r.stats.transitions),
    seconds,
    rate: r.stats.states / Math.max(1e-3, r.stats.elapsedMs / 1000),
    note: kr?.applied
      ? `keys: ${kr.keys} (${kr.explored} searched, ${fmt(kr.contextRuns + kr.symmetryRuns)} handler runs to verify independence), product ${fmt(kr.productStates)} states / ${fmt(kr.productTransitions)} tr`
      : `${kr ? `keys not applied: ${kr.reason}; ` : ""}por skipped ${fmt(r.stats.porSkipped)}`,
  };
  if (broken) row.cex = broken.path.length;
  return row;
}

function ensureSpin(): boolean {
  const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
  if (has("spin") && has("gcc")) return true;
  console.error("installing spin and gcc from apt ...");
  const sudo = process.getuid?.() === 0 ? "" : "sudo ";
  const r = spawnSync("sh", ["-c", `${sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq spin gcc >/dev/null`], { stdio: "inherit" });
  return r.status === 0 && has("spin") && has("gcc");
}

function spin(variant: "safe" | "bug", n: number, dir: string): Row {
  const defs = [`-DNORD=${n}`, ...(variant === "bug" ? ["-DBUG"] : [])].join(" ");
  const sh = (cmd: string, timeoutS?: number) =>
    spawnSync("sh", ["-c", cmd], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 26, ...(timeoutS ? { timeout: timeoutS * 1000 } : {}) });
  rmSync(join(dir, "orders.pml.trail"), { force: true });
  sh(`spin ${defs} -a orders.pml && gcc -w -O2 -DSAFETY -o pan pan.c`);
  // As ../shared anchors' run.sh: DFS with partial-order reduction.
  const t0 = performance.now();
  const run = sh(n === 1 ? `./pan -m10000` : `./pan -m100000 -w26`, SPIN_TIMEOUT_S);
  const seconds = (performance.now() - t0) / 1000;
  const out = run.stdout ?? "";
  if (run.error || run.signal) {
    return { tool: "SPIN", variant, n, verdict: "FAIL (timeout)", states: "-", transitions: "-", seconds: undefined, note: `> ${SPIN_TIMEOUT_S} s` };
  }
  const errors = Number(/errors: (\d+)/.exec(out)?.[1] ?? "NaN");
  const states = /([\d.e+]+) states, stored/.exec(out)?.[1] ?? "?";
  const trans = /([\d.e+]+) transitions \(= stored\+matched\)/.exec(out)?.[1] ?? "?";
  const row: Row = { tool: "SPIN", variant, n, verdict: errors === 0 ? "pass" : "FAIL", states: fmt(Number(states)), transitions: fmt(Number(trans)), seconds, rate: Number(states) / seconds, note: "DFS + POR" };
  if (errors > 0) {
    // The shortest counterexample: BFS, then count the deliveries (atomic receives) of the trail.
    // BFS runs out of time from 3 orders on; then DFS with iterative shortening (pan -i).
    const deliveries = () => {
      if (!existsSync(join(dir, "orders.pml.trail"))) return undefined;
      const replay = sh(`spin ${defs} -t -p orders.pml`, SPIN_TIMEOUT_S).stdout ?? "";
      return replay.split("\n").filter((l) => /\[net\?\?/.test(l)).length;
    };
    rmSync(join(dir, "orders.pml.trail"), { force: true });
    const bfs = sh(`gcc -w -O2 -DSAFETY -DBFS -o pan_bfs pan.c && ./pan_bfs`, SPIN_TIMEOUT_S);
    row.cex = bfs.error || bfs.signal ? undefined : deliveries();
    if (row.cex !== undefined) row.note = "DFS + POR; cex by BFS";
    else {
      rmSync(join(dir, "orders.pml.trail"), { force: true });
      const dfs = sh(`./pan -i -m100000 -w26`, SPIN_TIMEOUT_S);
      row.cex = dfs.error || dfs.signal ? undefined : deliveries();
      row.note = `DFS + POR; BFS > ${SPIN_TIMEOUT_S} s, cex by pan -i${row.cex === undefined ? ` (> ${SPIN_TIMEOUT_S} s)` : ""}`;
    }
  }
  return row;
}

function table(rows: Row[]): void {
  const head = ["tool", "variant", "orders", "verdict", "states", "transitions", "wall s", "states/s", "shortest cex (deliveries)", "note"];
  const lines = rows.map((r) => [
    r.tool,
    r.variant,
    String(r.n),
    r.verdict,
    r.states,
    r.transitions,
    r.seconds === undefined ? "-" : r.seconds.toFixed(3),
    r.rate === undefined || !Number.isFinite(r.rate) ? "-" : fmt(Math.round(r.rate)),
    r.cex === undefined ? "-" : String(r.cex),
    r.note ?? "",
  ]);
  console.log(`| ${head.join(" | ")} |`);
  console.log(`|${head.map(() => "---").join("|")}|`);
  for (const l of lines) console.log(`| ${l.join(" | ")} |`);
}

async function main(): Promise<void> {
  const spinOk = ensureSpin();
  const dir = mkdtempSync(join(tmpdir(), "archverify-spin-"));
  copyFileSync(join(here, "orders.pml"), join(dir, "orders.pml"));
  if (spinOk) console.log(execSync("spin -V", { encoding: "utf8" }).trim());
  else console.log("SPIN unavailable (apt-get failed): only archverify runs");
  const rows: Row[] = [];
  // Warm-up: the first load pays for tsx compiling the handlers.
  await archverify("safe", 1);
  const ratios = new Map<string, { a: number; s: number | undefined }>();
  for (const variant of ["safe", "bug"] as const) {
    for (const n of SIZES) {
      const a = await archverify(variant, n);
      rows.push(a);
      if (n <= 2 || variant === "safe") rows.push(await archverify(variant, n, { keys: false, symmetry: false, por: false }));
      const s = spinOk ? spin(variant, n, dir) : undefined;
      if (s) rows.push(s);
      ratios.set(`${variant}${n}`, { a: a.seconds!, s: s?.seconds });
      const agree = !s
        ? "no SPIN"
        : a.verdict !== s.verdict
          ? "DISAGREE on the verdict"
          : s.cex === undefined && a.cex !== undefined
            ? "same verdict; SPIN found no shortest trail in time"
            : a.cex === s.cex
              ? "agree"
              : "DISAGREE on the shortest counterexample";
      console.error(`${variant} n=${n}: archverify ${a.verdict} ${a.seconds!.toFixed(3)} s${s ? `, SPIN ${s.verdict} ${s.seconds?.toFixed(3) ?? "-"} s` : ""} (${agree}; cex ${a.cex ?? "-"} vs ${s?.cex ?? "-"})`);
    }
    const big = await archverify(variant, BIG);
    rows.push(big);
    ratios.set(`${variant}${BIG}`, { a: big.seconds!, s: undefined });
    if (spinOk) rows.push(spin(variant, BIG, dir));
  }
  rmSync(dir, { recursive: true, force: true });
  console.log("");
  table(rows);
  console.log("");
  for (const variant of ["safe", "bug"]) {
    for (const n of SIZES) {
      const r = ratios.get(`${variant}${n}`)!;
      if (r.s !== undefined) console.log(`ratio ${variant} nord=${n}: archverify/spin = ${(r.a / r.s).toFixed(3)}`);
    }
  }
  // The explorer's raw speed: the unreduced search of 3 orders, next to the anchors measured on the
  // reference machine (a plain JS BFS over the same model: 142k-223k states/s; SPIN about 500k).
  const raw = rows.find((r) => r.tool === "archverify (no reductions)" && r.variant === "safe" && r.n === 3);
  if (raw?.rate !== undefined) console.log(`raw explorer speed (safe, 3 orders, no reductions): ${fmt(Math.round(raw.rate))} states/s (anchors: plain JS BFS 142k-223k states/s, SPIN ~500k)`);
  const three = ratios.get("safe3")!;
  const ten = ratios.get(`safe${BIG}`)!;
  const tenOk = rows.find((r) => r.tool === "archverify" && r.variant === "safe" && r.n === BIG)!.verdict === "pass" && ten.a <= 60;
  console.log(
    `RESULT nord=3 archverify_s=${three.a.toFixed(3)} spin_s=${three.s === undefined ? "NA" : three.s.toFixed(3)} ratio=${three.s === undefined ? "NA" : (three.a / three.s).toFixed(3)} nord10_s=${tenOk ? ten.a.toFixed(3) : "FAIL"}`,
  );
}

await main();
