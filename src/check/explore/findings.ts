// From explorations to findings: one per scenario, kind and name, each with its schedule in
// order (a shortest one under BFS), what went wrong, and a trace file under the reports folder that
// `archverify replay` re-runs.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { RawFinding } from "../types.js";
import type { Spec } from "../../spec/types.js";
import { displayPath } from "../../util/paths.js";
import { showSide } from "../simulate/diff.js";
import { isTraceOf, readTrace, specPathForTrace, traceFileName, writeTrace, TRACE_FORMAT_VERSION, type Trace, type TraceViolation } from "../simulate/trace-format.js";
import type { TransitionRef } from "../../model/system/index.js";
import type { ExplorationOutcome } from "./run.js";
import type { Violation, ViolationKind } from "./types.js";

export interface ModelFindingContext {
  spec: Spec;
  reportsDir: string;
  cwd: string;
}

function describeStep(t: TransitionRef): string {
  const marks = [t.ackLost ? "ack lost" : "", t.crash ? "crash" : "", t.duplicate ? "duplicate" : ""].filter(Boolean);
  const verb = t.action === "drop" ? "drop" : "deliver";
  return `${verb} ${t.type} ${t.id} to ${t.consumer}${marks.length ? ` [${marks.join(", ")}]` : ""}`;
}

export function schedule(path: readonly TransitionRef[], loopStart?: number): string[] {
  return path.map((t, i) => `${i + 1}. ${loopStart !== undefined && i === loopStart ? "(loop) " : ""}${describeStep(t)}`);
}

function traceViolation(v: Violation): TraceViolation {
  switch (v.kind) {
    case "invariant":
      return { kind: "invariant", name: v.name, message: v.message, step: v.path.length };
    case "quiescence":
      return { kind: "quiescence", name: v.name, message: v.message };
    case "divergence":
      return { kind: "divergence", reference: v.reference ?? [], diff: (v.diff ?? []).map((d) => ({ ...d })) };
    case "lasso":
      return {
        kind: "nontermination",
        bound: v.path.length,
        message: `${v.message}: transitions ${(v.loopStart ?? 0) + 1}..${v.path.length} repeat forever`,
        ...(v.loopStart !== undefined ? { loopStart: v.loopStart } : {}),
      };
    case "dead-letter":
      return { kind: "handler-fault", service: v.service ?? "", fault: "throws", message: v.message, step: v.path.length };
    case "unroutable":
      return { kind: "unroutable", service: v.service ?? "", eventType: v.eventType ?? "", step: v.path.length };
    case "lost-event":
      return { kind: "handler-fault", service: v.service ?? "", fault: "lost-event", message: v.message, step: v.path.length };
  }
}

/** `shortest`: the search was breadth-first, so the path is a shortest one (DFS finds some path). */
function headline(v: Violation, shortest: boolean): string {
  const n = v.path.length;
  const after = `after ${n} transition${n === 1 ? "" : "s"}${shortest ? " (shortest)" : " (depth-first search: not necessarily the shortest)"}`;
  switch (v.kind) {
    case "invariant":
      return `invariant ${v.name} is broken ${after}: ${v.message}`;
    case "quiescence":
      return `quiescence predicate ${v.name} fails when nothing is in flight ${after}: ${v.message}`;
    case "divergence": {
      const d = (v.diff ?? []).slice(0, 3).map((x) => `${x.service}.${x.path || "(state)"} = ${showSide(x, "actual")} instead of ${showSide(x, "expected")}`);
      return `two schedules end in different states ${after} (reference: ${v.reference?.length ?? 0}): ${d.join("; ")}${(v.diff?.length ?? 0) > 3 ? "; ..." : ""}`;
    }
    case "lasso":
      return `${v.message}: the loop starts after ${v.loopStart ?? 0} transition${v.loopStart === 1 ? "" : "s"}`;
    case "dead-letter":
      return `${v.service} fails on ${v.eventType} until the broker dead-letters it (${v.message}), ${after}`;
    case "unroutable":
      return `${v.message} (the event is dropped), ${after}`;
    case "lost-event":
      return `${v.message}, and no redelivery publishes it again (${n} transitions to quiescence)`;
  }
}

/** Findings of one violation kind over every scenario; writes (or removes stale) trace files. */
export function modelFindings(ruleId: string, kinds: readonly ViolationKind[], outcome: ExplorationOutcome, ctx: ModelFindingContext): RawFinding[] {
  if (!outcome.ok) return [];
  const findings: RawFinding[] = [];
  for (const { scenario, check } of outcome.scenarios) {
    const loc = ctx.spec.scenarios.get(scenario)?.loc ?? { file: ctx.spec.file, line: 1, column: 1 };
    const found = check.violations.filter((v) => kinds.includes(v.kind));
    const written = new Set<string>();
    for (const v of found) {
      const file = join(ctx.reportsDir, traceFileName(ctx.spec.file, ruleId, scenario, found.length > 1 || v.kind !== "divergence" ? v.name : undefined));
      written.add(file);
      const trace: Trace = {
        kind: "trace",
        formatVersion: TRACE_FORMAT_VERSION,
        rule: ruleId,
        spec: specPathForTrace(file, ctx.spec.file),
        scenario,
        inputs: check.inputs.map((i) => ({ channel: i.channel, event: i.event as Trace["inputs"][number]["event"] })),
        bounds: outcome.settings.bounds,
        transitions: v.path,
        violation: traceViolation(v),
      };
      writeTrace(file, trace);
      findings.push({
        message: `scenario ${scenario}: ${headline(v, outcome.settings.order === "bfs")}`,
        location: loc,
        witness: schedule(v.path, v.loopStart),
        subject: `scenario:${scenario}:${v.name}`,
        counterexample: {
          replay: `npx archverify replay ${displayPath(file, ctx.cwd)}`,
          file: displayPath(file, ctx.cwd),
          scenario,
          schedule: schedule(v.path, v.loopStart),
          ...(v.loopStart !== undefined ? { loopStart: v.loopStart } : {}),
          ...(v.reference ? { reference: schedule(v.reference) } : {}),
          ...(v.diff ? { diff: v.diff } : {}),
          ...(v.finalState ? { finalState: v.finalState } : {}),
        },
      });
    }
    // A fixed problem must not leave its old counterexample behind (only a complete search knows
    // it is fixed; only this spec's traces of this rule and scenario are its to remove).
    if (check.stats.complete) removeStale(ctx, ruleId, scenario, written);
  }
  return findings;
}

function removeStale(ctx: ModelFindingContext, ruleId: string, scenario: string, written: ReadonlySet<string>): void {
  const base = traceFileName(ctx.spec.file, ruleId, scenario).slice(0, -".json".length);
  let names: string[];
  try {
    names = readdirSync(ctx.reportsDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name !== `${base}.json` && !(name.startsWith(`${base}--`) && name.endsWith(".json"))) continue;
    const file = join(ctx.reportsDir, name);
    if (written.has(file) || !isTraceOf(file, ctx.spec.file)) continue;
    const trace = readTrace(file);
    if (trace.rule === ruleId && trace.scenario === scenario) rmSync(file, { force: true });
  }
}
