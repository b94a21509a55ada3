// Property results -> findings, one per service and event type (or pair):
// the message says what broke and shows the shrunk events, the state diff and
// how to replay; the counterexample carries the same as JSON.
import type { Event } from "../../model/handler.js";
import { displayPath } from "../../util/paths.js";
import type { Spec } from "../../spec/types.js";
import type { RawFinding } from "../types.js";
import { datePaths, shapesByEventType } from "../generate/type-shape.js";
import type { HandlerTypeInfo } from "../generate/from-ts.js";
import type { HandlerPropertiesResult } from "./run.js";
import type { ScenarioThrow } from "./scenario-traffic.js";
import { HANDLER_PROPERTIES, type ChannelInfo, type HandlerProperty, type PropertyFailure, type ServiceNote, type ServiceReport } from "./types.js";

export interface FindingContext {
  /** How to replay the whole check, e.g. `archverify check specs/x.yaml --seed 1`. */
  replay: (seed: number) => string;
}

export function propertyFindings(spec: Spec, result: HandlerPropertiesResult, property: HandlerProperty, cwd: string): RawFinding[] {
  const ctx: FindingContext = { replay: (seed) => `npx archverify check ${displayPath(spec.file, cwd)} --seed ${seed}` };
  const out: RawFinding[] = [];
  for (const report of result.reports) {
    const plan = result.plans.find((p) => p.name === report.service);
    const handler = spec.services.get(report.service)?.handler;
    const location = plan?.types.location ?? handler?.loc;
    const where = { ...(location ? { location } : {}), ...(handler && location !== handler.loc ? { related: [handler.loc] } : {}) };
    const failures = report.failures.filter((x) => x.property === property);
    const judged =
      property === "handler-throws" ? judgeThrows(spec, report, failures) : property === "commutation" ? judgeCommutation(report, failures, (t) => plan?.channels[t]) : failures;
    for (const f of judged) out.push({ ...formatFailure(property === "handler-throws" ? withWireDateNote(f, plan?.types) : f, ctx), ...where });
    for (const note of report.notes) {
      if (note.property !== property || !note.kind || note.kind === "cut") continue;
      out.push({ ...noteFinding(report.service, note), ...where });
    }
  }
  const cut = budgetCutFinding(spec, result, property);
  if (cut) out.push(cut);
  return out;
}

/**
 * One info finding for every search the time budget cut, reported by the rule
 * of the first property cut (so it appears once): which services and which
 * properties, without run counts (those vary from run to run; they are in the
 * stats).
 */
function budgetCutFinding(spec: Spec, result: HandlerPropertiesResult, property: HandlerProperty): RawFinding | undefined {
  const cut = result.reports.map((r) => ({ report: r, properties: HANDLER_PROPERTIES.filter((p) => r.notes.some((n) => n.kind === "cut" && n.property === p)) })).filter((c) => c.properties.length > 0);
  const first = HANDLER_PROPERTIES.find((p) => cut.some((c) => c.properties.includes(p)));
  if (first !== property) return undefined;
  const head = cut[0]!.report.service;
  const location = result.plans.find((p) => p.name === head)?.types.location ?? spec.services.get(head)?.handler?.loc ?? { file: spec.file, line: 1, column: 1 };
  return {
    severity: "info",
    message:
      `the time budget (--time-budget) cut the handler property searches short: ${cut.map((c) => `${c.report.service} (${c.properties.join(", ")})`).join(", ")}; ` +
      `a clean result covers only the runs made (stats.handler-properties)`,
    location,
    subject: "time-budget",
    fix: "Raise --time-budget (or lower --runs) to complete the searches.",
  };
}

/**
 * What the check did not do, as an info finding: an event type never
 * duplicated (idempotence skipped), what event generation could not honour.
 */
export function noteFinding(service: string, note: ServiceNote): RawFinding {
  const fix =
    note.kind === "skip"
      ? "Nothing to do if the channel's delivery is declared right; if the event can come twice (a producer retry, a redelivery), declare delivery: at-least-once."
      : "Export a fast-check arbitrary next to the handler (<export>EventArbitrary) that produces the events the schema accepts.";
  return { severity: "info", message: `${service}: ${note.reason}`, subject: `${service} ${note.kind}${note.eventTypes ? ` ${note.eventTypes.join(" / ")}` : ""}`, fix };
}

/**
 * A commutation failure that needs one entity to get two events of one type
 * with different data (the engine's warning) matters only if an entity gets
 * several such events. The spec's scenarios say so when they deliver the type:
 * two different events for one key make it an ERROR (the channel may reorder
 * them); one per entity keeps the WARNING (convergence on the scenarios is
 * the proof). When no scenario delivers the type, the type's name decides: an
 * update (`StatusChanged`, `PriceUpdated`, ...) is something an entity gets
 * again and again, so a last-writer-wins handler of it on a reordering channel
 * is an ERROR; anything else (typically a creation, which an entity gets once)
 * stays a warning that says how to tell.
 */
export function judgeCommutation(report: ServiceReport, failures: readonly PropertyFailure[], channelOf: (type: string) => ChannelInfo | undefined): PropertyFailure[] {
  return failures.map((f) => {
    const type = f.sameEntityType;
    if (f.severity !== "warning" || type === undefined) return f;
    const receipt = report.scenarioReceipts?.find((r) => r.eventType === type);
    if (receipt && !receipt.repeated) return f;
    const ch = channelOf(type);
    const channel = ch?.name ? `channel ${ch.name}` : "the channel";
    const entity = ch?.key ? `one ${ch.key}` : "one entity";
    const orderIt = ch?.key ? `declare ordering: per-key on ${channel}` : `give ${channel} a key and ordering: per-key`;
    const first = f.message.split("\n")[0] ?? f.message;
    if (receipt?.repeated) {
      const where = receipt.repeated.key !== undefined ? ` for ${ch?.key} ${receipt.repeated.key}` : "";
      return error(f, `${first}\nscenario ${receipt.repeated.scenario} delivers two ${type} events with different data${where} to ${report.service}, and ${channel} may deliver them in either order`);
    }
    if (UPDATE_NAME.test(type)) {
      return error(
        f,
        `${first}\n${type} reads as an update, which ${entity} gets again and again, and ${channel} may deliver two of them in either order: the later update can be overwritten by the earlier one ` +
          `(no scenario delivers ${type} to ${report.service}; if ${entity} really gets only one, add a scenario with that traffic and this becomes a warning). Or ${orderIt}`,
      );
    }
    return { ...f, message: `${f.message}\nno scenario delivers ${type} to ${report.service}: if ${entity} can get several ${type} (updates), this is a bug; a scenario with the real traffic settles it` };
  });
}

/** Event type names that say "an update of an existing entity". */
const UPDATE_NAME = /(Changed|Updated|Modified|Adjusted|Corrected|Revised|Replaced|Renamed|Moved|Set)$/;

function error(f: PropertyFailure, message: string): PropertyFailure {
  const { severity: _warning, ...rest } = f;
  return { ...rest, message };
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

/**
 * A TypeError in a handler whose event type declares Date fields: the usual cause is that the
 * message came as JSON, where a Date is an ISO string with none of Date's methods. Say so.
 */
function withWireDateNote(f: PropertyFailure, types: HandlerTypeInfo | undefined): PropertyFailure {
  const type = f.eventTypes[0];
  if (!type || !types || !/\bTypeError\b/.test(f.counterexample.error ?? "")) return f;
  const shapes = [types.events, types.commands].flatMap((s) => (s ? [shapesByEventType(s).get(type)] : [])).filter((s) => s !== undefined);
  const paths = [...new Set(shapes.flatMap((s) => datePaths(s)))].sort();
  if (paths.length === 0) return f;
  const [head, ...rest] = f.message.split("\n");
  const note =
    `${type} declares ${paths.join(", ")} as Date, but messages travel as JSON, where a Date arrives as an ISO string without Date's methods: ` +
    `revive it where the message is read (new Date(...), or the consumer's deserializer) or declare it a string`;
  return { ...f, message: [head, note, ...rest].join("\n") };
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
