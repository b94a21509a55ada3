// From simulation results to findings: one per scenario and property, each
// with its shrunk schedule in order, what went wrong, and a trace file under
// the reports folder that `archverify replay` re-runs.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { RawFinding } from "../types.js";
import type { Spec } from "../../spec/types.js";
import { displayPath } from "../../util/paths.js";
import { formatDiff } from "./diff.js";
import { describeSchedule, witnessOf } from "./render.js";
import type { Counterexample, ScenarioSimulation } from "./simulate.js";
import { scheduleCost } from "./minimize.js";
import type { Property } from "./run.js";
import type { SystemSimulation } from "./system.js";
import { isTraceOf, specPathForTrace, traceFileName, writeTrace, TRACE_FORMAT_VERSION, type Trace, type TraceViolation } from "./trace-format.js";

export interface FindingContext {
  spec: Spec;
  reportsDir: string;
  /** Folder the replay command is relative to (the user's working directory). */
  cwd: string;
  bounds: { duplicates: number; crashes: number };
}

/** The findings of one property; writes (or removes stale) trace files. */
export function simulationFindings(property: Property, sim: SystemSimulation, ctx: FindingContext): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const scenario of sim.scenarios) {
    const file = join(ctx.reportsDir, traceFileName(ctx.spec.file, property, scenario.scenario));
    const cx = scenario.counterexamples.find((c) => c.property === property);
    if (!cx) {
      // A fixed problem must not leave its old counterexample behind.
      if (scenario.runs > 0 && existsSync(file) && isTraceOf(file, ctx.spec.file)) rmSync(file, { force: true });
    } else {
      findings.push(counterexampleFinding(property, scenario, cx, file, ctx));
    }
    if (property === "termination") findings.push(...deadLetterFindings(scenario, ctx));
  }
  if (property === "convergence" && sim.interrupted) {
    const cut = sim.scenarios.map((s) => `${s.scenario} ${s.runs}`).join(", ");
    findings.push({
      severity: "info",
      message: `the time budget cut the convergence simulation: runs made per scenario: ${cut}; a clean result covers only these runs`,
      location: ctx.spec.scenarios.values().next().value?.loc ?? { file: ctx.spec.file, line: 1, column: 1 },
      subject: "time-budget",
    });
  }
  return findings;
}

function scenarioLoc(ctx: FindingContext, name: string) {
  return ctx.spec.scenarios.get(name)?.loc ?? { file: ctx.spec.file, line: 1, column: 1 };
}

function counterexampleFinding(property: Property, scenario: ScenarioSimulation, cx: Counterexample, file: string, ctx: FindingContext): RawFinding {
  const trace: Trace = {
    kind: "trace",
    formatVersion: TRACE_FORMAT_VERSION,
    rule: property,
    spec: specPathForTrace(file, ctx.spec.file),
    scenario: scenario.scenario,
    inputs: scenario.inputs.map((i) => ({ channel: i.channel, event: i.event as Trace["inputs"][number]["event"] })),
    bounds: ctx.bounds,
    transitions: cx.transitions,
    seed: cx.seed,
    ...(cx.path ? { path: cx.path } : {}),
    violation: cx.violation,
  };
  writeTrace(file, trace);
  const replay = `npx archverify replay ${displayPath(file, ctx.cwd)}`;
  const deliveries = cx.transitions.length;
  const what = describeViolation(cx.violation);
  const how = cx.violation.kind === "nontermination" ? "" : `after ${deliveries} deliver${deliveries === 1 ? "y" : "ies"} (${describeFaults(cx)}), `;
  return {
    // Only the depth bound was reached, no loop seen: say so, do not fail the build on it.
    ...(cx.unproven ? { severity: "warning" as const, fix: "Raise --max-depth above the longest flow of the scenario (the bound counts deliveries, duplicates and redeliveries included)." } : {}),
    message: `scenario ${scenario.scenario}: ${how}${what}`,
    location: scenarioLoc(ctx, scenario.of ?? scenario.scenario),
    witness: witnessOf(cx.transitions),
    subject: `scenario:${scenario.scenario}`,
    counterexample: {
      replay,
      file: displayPath(file, ctx.cwd),
      scenario: scenario.scenario,
      schedule: describeSchedule(cx.transitions),
      violation: cx.violation,
      ...(cx.violation.kind === "divergence" ? { diff: formatDiff(cx.violation.diff) } : {}),
      seed: cx.seed,
      ...(cx.path ? { path: cx.path } : {}),
    },
  };
}

function describeFaults(cx: Counterexample): string {
  const cost = scheduleCost(cx.transitions);
  if (cost.faults === 0 && cost.inversions === 0) return "in send order, no broker fault: the flow itself is wrong";
  const dups = cx.transitions.filter((t) => t.duplicate).length;
  const crashes = cx.transitions.filter((t) => t.crash).length;
  const drops = cx.transitions.filter((t) => t.action === "drop").length;
  const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
  const parts = [plural(dups, "duplicate")];
  if (crashes) parts.push(plural(crashes, "crash", "crashes"));
  if (drops) parts.push(`${drops} lost`);
  parts.push(plural(cost.inversions, "delivery pair", "delivery pairs") + " out of send order");
  return `shrunk: ${parts.join(", ")}`;
}

/** One line saying what the violation is. */
export function describeViolation(v: TraceViolation, withDiff = true): string {
  switch (v.kind) {
    case "divergence":
      if (!withDiff) return "the services end in another state than with in-order delivery:";
      return `the services end in another state than with in-order delivery: ${formatDiff(v.diff).slice(0, 3).join("; ")}${v.diff.length > 3 ? `; ${v.diff.length - 3} more` : ""}`;
    case "invariant":
      return `invariant ${v.name} is broken (${v.message})`;
    case "quiescence":
      return `quiescence predicate ${v.name} fails when nothing is in flight (${v.message})`;
    case "nontermination":
      return v.message;
    case "handler-fault":
      return `${v.service} ${v.fault}: ${v.message}`;
    case "unroutable":
      return `${v.service} emits ${v.eventType}, which no channel declares (the event is lost)`;
  }
}

function deadLetterFindings(scenario: ScenarioSimulation, ctx: FindingContext): RawFinding[] {
  return scenario.deadLetters.map((d) => ({
    severity: "warning" as const,
    message:
      `scenario ${scenario.scenario}: ${d.consumer} keeps failing on ${d.type} ${d.id} (${d.error}); ` +
      `channel ${d.channel} dead-letters it, so this flow never reaches a terminal state`,
    location: ctx.spec.channels.get(d.channel)?.loc ?? scenarioLoc(ctx, scenario.of ?? scenario.scenario),
    subject: `scenario:${scenario.scenario}:dead-letter:${d.consumer}:${d.type}`,
  }));
}
