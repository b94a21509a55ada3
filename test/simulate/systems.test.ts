// Small systems with one deliberate defect each must be caught, and their
// fixed versions (or the same code on a channel that declares the ordering it
// relies on) must pass: no false alarms. End to end: YAML spec, handlers
// loaded from TypeScript in the sandbox, counterexample files, replay.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkSystem } from "../../src/api/check-system.js";
import type { Finding } from "../../src/check/types.js";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

const here = new URL("../fixtures/systems/", import.meta.url);
const spec = (path: string) => new URL(path, here).pathname;
const reportsDir = mkdtempSync(join(tmpdir(), "archverify-systems-"));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const check = (path: string) => checkSystem(spec(path), { runs: 300, seed: 1, reportsDir: join(reportsDir, path.replace(/\W+/g, "-")) });
const errors = (findings: Finding[]) => findings.filter((f) => f.severity === "error");
const schedule = (f: Finding) => (f.counterexample as { schedule: string[] }).schedule.join("\n");
const violation = (f: Finding) => (f.counterexample as { violation: { kind: string; name?: string } }).violation;

describe("broken systems are caught", () => {
  it("non-idempotent counter: a duplicate deposit breaks the ledger invariant", async () => {
    const r = await check("counter/broken.yaml");
    const [f, ...rest] = errors(r.findings);
    expect(rest).toEqual([]);
    expect(f!.ruleId).toBe("convergence");
    expect(violation(f!)).toMatchObject({ kind: "invariant", name: "balanceMatchesDeposits" });
    expect(schedule(f!)).toContain("(duplicate)");
  });

  it("overwrite on create: a payment delivered before the creation is wiped", async () => {
    const r = await check("overwrite-on-create/broken.yaml");
    const f = errors(r.findings)[0]!;
    expect(violation(f).kind).toBe("divergence");
    expect(f.witness).toEqual(["OrderPaid@order", "OrderCreated@order"]);
    expect((f.counterexample as { diff: string[] }).diff).toEqual(["order.o1.paid: false, expected true"]);
  });

  it("lost compensation: stock stays reserved for a cancelled order when the payment failure comes first", async () => {
    const r = await check("lost-compensation/broken.yaml");
    const f = errors(r.findings)[0]!;
    expect(violation(f)).toMatchObject({ kind: "quiescence", name: "noReservationForCancelledOrder" });
    const order = f.witness!.filter((w) => w.endsWith("@order"));
    expect(order).toEqual(["PaymentFailed@order", "StockReserved@order"]);
  });

  it("order-sensitive status update: a late OrderPaid moves the status backwards", async () => {
    const r = await check("status-order/broken.yaml");
    const f = errors(r.findings)[0]!;
    expect(violation(f).kind).toBe("divergence");
    expect(f.witness).toHaveLength(3);
  });

  it("dedup that forgets across restarts: a crash before the ack sends the mail twice", async () => {
    const r = await check("restart-dedup/broken.yaml");
    const f = errors(r.findings)[0]!;
    expect(f.ruleId).toBe("convergence");
    expect(schedule(f)).toContain("crashes before ack");
    expect((f.counterexample as { diff: string[] }).diff).toContain("mailer.sent: 2, expected 1");
  });

  it("redelivery loop: an unknown event type fails forever without a dead-letter bound", async () => {
    const r = await check("redelivery-loop/broken.yaml");
    const f = errors(r.findings)[0]!;
    expect(f.ruleId).toBe("termination");
    expect(f.message).toContain("fails on UserExported");
    expect(f.message).toContain("has no maxRedeliveries");
  });

  it("emission cycle: two services answering each other forever", async () => {
    const r = await check("ping-pong/broken.yaml");
    const f = errors(r.findings)[0]!;
    expect(f.ruleId).toBe("termination");
    expect(f.message).toContain("Ping, Pong keep being published");
  });
});

describe("correct systems pass (no false alarms)", () => {
  for (const path of [
    "counter/fixed.yaml",
    "overwrite-on-create/fixed.yaml",
    "overwrite-on-create/fixed-by-ordering.yaml",
    "lost-compensation/fixed.yaml",
    "status-order/fixed.yaml",
    "status-order/fixed-by-ordering.yaml",
    "restart-dedup/fixed.yaml",
    "retry-until-ready/fixed.yaml",
    "ping-pong/fixed.yaml",
  ]) {
    it(path, async () => {
      const r = await check(path);
      expect(r.findings, r.text).toEqual([]);
      expect(r.ok).toBe(true);
    });
  }

  it("redelivery-loop/fixed.yaml: dead-lettering ends the loop; the abandoned flow is a warning", async () => {
    const r = await check("redelivery-loop/fixed.yaml");
    expect(r.ok, r.text).toBe(true);
    expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual([["termination", "warning"]]);
    expect(r.findings[0]!.message).toContain("dead-letters it");
  });
});

describe("archverify replay", () => {
  it("reproduces a saved counterexample in one run (exit 1) and passes once the spec is fixed (exit 0)", async () => {
    const dir = join(reportsDir, "replay");
    const r = await checkSystem(spec("overwrite-on-create/broken.yaml"), { runs: 300, seed: 1, reportsDir: dir });
    const file = (errors(r.findings)[0]!.counterexample as { file: string }).file;
    const io = memoryIO(process.cwd());
    expect(await main(["replay", file], io)).toBe(1);
    expect(io.out).toContain("still fails");
    expect(io.out).toContain("order.o1.paid: true -> false");

    // The same trace against the fixed handlers (the trace names its spec relative to itself).
    const trace = JSON.parse(readFileSync(file, "utf8")) as { spec: string };
    trace.spec = relative(dir, spec("overwrite-on-create/fixed.yaml"));
    const fixedFile = join(dir, "against-fixed.json");
    writeFileSync(fixedFile, JSON.stringify(trace));
    const io2 = memoryIO(process.cwd());
    expect(await main(["replay", fixedFile], io2)).toBe(0);
    expect(io2.out).toContain("fixed:");
  });

  it("a file that is not a trace is a usage problem (exit 2) with the file named", async () => {
    const io = memoryIO(process.cwd());
    expect(await main(["replay", spec("counter/broken.yaml")], io)).toBe(2);
    expect(io.err).toContain("is not JSON");
  });
});

describe("budgets, progress and determinism", () => {
  it("the same seed gives the same report", async () => {
    const run = async () => {
      const r = await checkSystem(spec("status-order/broken.yaml"), { runs: 200, seed: 5, reportsDir: join(reportsDir, "determinism") });
      const { durationMs: _d, ...summary } = r.report.summary;
      const stats = { ...(r.report.stats?.convergence as Record<string, unknown>), sampleMs: 0 };
      return JSON.stringify({ ...r.report, summary, stats });
    };
    expect(await run()).toBe(await run());
  });

  it("--max-depth bounds a run; the finding names the bound", async () => {
    const r = await checkSystem(spec("ping-pong/broken.yaml"), { runs: 20, seed: 1, maxDepth: 40, reportsDir: join(reportsDir, "depth") });
    expect(errors(r.findings)[0]!.message).toContain("still not quiescent after 40 transitions");
  });

  it("a time budget that cuts the runs is reported as such", async () => {
    const r = await checkSystem(spec("status-order/fixed.yaml"), { runs: 1_000_000, seed: 1, timeBudgetMs: 1, reportsDir: join(reportsDir, "budget") });
    expect(r.ok).toBe(true);
    expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual([["convergence", "info"]]);
    expect(r.findings[0]!.message).toContain("the time budget cut the convergence simulation");
    expect(r.report.stats?.convergence).toMatchObject({ interrupted: true });
  });

  it("reports progress lines while it samples", async () => {
    const lines: string[] = [];
    await checkSystem(spec("status-order/fixed.yaml"), { runs: 600, seed: 1, reportsDir: join(reportsDir, "progress"), progress: (l) => lines.push(l) });
    expect(lines).toContain("convergence: scenario 1/1 ship-it: 500/600 runs");
  });
});
