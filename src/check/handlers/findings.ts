// Property results -> findings, one per service and event type (or pair):
// the message says what broke and shows the shrunk events, the state diff and
// how to replay; the counterexample carries the same as JSON.
import type { Event } from "../../model/handler.js";
import { displayPath } from "../../util/paths.js";
import type { Spec } from "../../spec/types.js";
import type { RawFinding } from "../types.js";
import type { HandlerPropertiesResult } from "./run.js";
import type { ScenarioThrow } from "./scenario-traffic.js";
import type { HandlerProperty, PropertyFailure, ServiceReport } from "./types.js";

export interface FindingContext {
  /** How to replay the whole check, e.g. `archverify check specs/x.yaml --seed 1`. */
  replay: (seed: number) => string;
}

export function propertyFindings(spec: Spec, result: HandlerPropertiesResult, property: HandlerProperty, cwd = process.cwd()): RawFinding[] {
  const ctx: FindingContext = { replay: (seed) => `npx archverify check ${displayPath(spec.file, cwd)} --seed ${seed}` };
  const out: RawFinding[] = [];
  for (const report of result.reports) {
    const plan = result.plans.find((p) => p.name === report.service);
    const handler = spec.services.get(report.service)?.handler;
    const failures = report.failures.filter((x) => x.property === property);
    for (const f of property === "handler-throws" ? judgeThrows(spec, report, failures) : failures) {
      const location = plan?.types.location ?? handler?.loc;
      out.push({
        ...formatFailure(f, ctx),
        ...(location ? { location } : {}),
        ...(handler && location !== handler.loc ? { related: [handler.loc] } : {}),
      });
    }
  }
  return out;
}

/**
 * handler-throws is an ERROR only for a throw on real traffic that nothing
 * cures: a scenario's in-order run delivers the event, a redelivery after the
 * rest of the scenario still throws, and the channel declares no dead-letter
 * bound (maxRedeliveries), so the message comes back forever. Anything else is
 * a WARNING that says which case it is: a throw on a GENERATED event may be
 * deliberate validation (what throwing does to real traffic is judged by
 * termination, convergence, model-termination and model-dead-letter); a throw
 * a redelivery cures is "retry until ready"; a throw on a channel that
 * dead-letters is a declared design.
 */
export function judgeThrows(spec: Spec, report: ServiceReport, generated: readonly PropertyFailure[]): PropertyFailure[] {
  const scenarioThrows = report.scenarioThrows;
  const bound = (t: ScenarioThrow) => spec.channels.get(t.channel)?.maxRedeliveries;
  const byType = (list: ScenarioThrow[]) => {
    const m = new Map<string, ScenarioThrow>();
    for (const t of [...list].sort((a, b) => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : 0))) if (!m.has(t.eventType)) m.set(t.eventType, t);
    return m;
  };
  const fatal = byType((scenarioThrows ?? []).filter((t) => t.permanent && bound(t) === undefined));
  const deadLettered = byType((scenarioThrows ?? []).filter((t) => t.permanent && bound(t) !== undefined));
  const cured = byType((scenarioThrows ?? []).filter((t) => !t.permanent));
  const out: PropertyFailure[] = [];
  for (const [type, t] of [...fatal.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const seed = generated[0]?.counterexample.seed ?? 0;
    out.push({
      property: "handler-throws",
      service: report.service,
      eventTypes: [type],
      message:
        `${report.service}: handling ${type} throws on the traffic of scenario ${t.scenario}: ${t.error}; ` +
        `redelivered after the rest of the scenario it still throws, and channel ${t.channel} declares no maxRedeliveries, so it comes back forever`,
      counterexample: { property: "handler-throws", service: report.service, seed, fcSeed: 0, path: "", prefix: t.prefix, events: [t.event], state: t.state, error: t.error, shrinks: 0, scenario: t.scenario },
    });
  }
  for (const f of generated) {
    const type = f.eventTypes[0] ?? "";
    if (type === "initialState") {
      out.push(f);
      continue;
    }
    if (fatal.has(type)) continue;
    const dl = deadLettered.get(type);
    const cure = cured.get(type);
    const note = dl
      ? `scenario ${dl.scenario} delivers ${type} and it throws every time (${dl.error}); channel ${dl.channel} dead-letters it after ${bound(dl)} redeliveries, as declared (see model-dead-letter)`
      : cure
        ? `scenario ${cure.scenario} delivers ${type} before ${report.service} is ready for it (${cure.error}); a redelivery succeeds once the rest of the scenario is handled (retry until ready)`
        : scenarioThrows === undefined
          ? `on a generated event; the spec has no scenario to tell real traffic from generated events (deliberate validation? what throwing does to real traffic is judged by termination, convergence and the model rules)`
          : `on a generated event: no scenario's traffic makes it throw (deliberate validation? what throwing does to real traffic is judged by termination, convergence and the model rules)`;
    out.push({ ...f, severity: "warning", message: `${f.message}\n${note}` });
  }
  return out;
}

export function formatFailure(f: PropertyFailure, ctx: FindingContext): RawFinding {
  const cx = f.counterexample;
  const lines = [f.message];
  if (cx.prefix.length) lines.push(`state reached by: ${cx.prefix.map(showEvent).join(", ")}`);
  else if (cx.events.length) lines.push("state reached by: nothing (the initial state)");
  if (cx.events.length) lines.push(`events: ${cx.events.map(showEvent).join(f.property === "commutation" ? " <-> " : ", ")}`);
  for (const d of (cx.diff ?? []).slice(0, 5)) lines.push(`diff ${d.path}: ${JSON.stringify(d.left) ?? "absent"} vs ${JSON.stringify(d.right) ?? "absent"}`);
  const replay = ctx.replay(cx.seed);
  if (cx.scenario !== undefined) lines.push(`found by running scenario ${cx.scenario} in order`);
  else lines.push(`shrunk ${cx.shrinks} times; fast-check seed ${cx.fcSeed}, path "${cx.path}"${cx.search ? ` (search: ${cx.search})` : ""}`);
  return {
    message: lines.join("\n"),
    subject: `${f.service} ${f.eventTypes.join(" / ")}`,
    counterexample: { ...cx, replay },
    ...(f.severity ? { severity: f.severity } : {}),
  };
}

/** `OrderPlaced#e1{orderId:"order-1"}`: type, id, then the other fields. */
export function showEvent(e: Event): string {
  const { type, id, ...rest } = e;
  const body = JSON.stringify(rest);
  return `${type}${id !== undefined ? `#${String(id)}` : ""}${body === "{}" ? "" : body.length > 120 ? `${body.slice(0, 117)}...` : body}`;
}
