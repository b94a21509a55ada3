// Property results -> findings, one per service and event type (or pair):
// the message says what broke and shows the shrunk events, the state diff and
// how to replay; the counterexample carries the same as JSON.
import type { Event } from "../../model/handler.js";
import { displayPath } from "../../util/paths.js";
import type { Spec } from "../../spec/types.js";
import type { RawFinding } from "../types.js";
import type { HandlerPropertiesResult } from "./run.js";
import type { HandlerProperty, PropertyFailure } from "./types.js";

export interface FindingContext {
  /** How to replay the whole check, e.g. `archverify check specs/x.yaml --seed 1`. */
  replay: (seed: number) => string;
}

export function propertyFindings(spec: Spec, result: HandlerPropertiesResult, property: HandlerProperty, cwd = process.cwd()): RawFinding[] {
  const ctx: FindingContext = { replay: (seed) => `archverify check ${displayPath(spec.file, cwd)} --seed ${seed}` };
  const out: RawFinding[] = [];
  for (const report of result.reports) {
    const plan = result.plans.find((p) => p.name === report.service);
    const handler = spec.services.get(report.service)?.handler;
    for (const f of report.failures.filter((x) => x.property === property)) {
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

export function formatFailure(f: PropertyFailure, ctx: FindingContext): RawFinding {
  const cx = f.counterexample;
  const lines = [f.message];
  if (cx.prefix.length) lines.push(`state reached by: ${cx.prefix.map(showEvent).join(", ")}`);
  else if (cx.events.length) lines.push("state reached by: nothing (the initial state)");
  if (cx.events.length) lines.push(`events: ${cx.events.map(showEvent).join(f.property === "commutation" ? " <-> " : ", ")}`);
  for (const d of (cx.diff ?? []).slice(0, 5)) lines.push(`diff ${d.path}: ${JSON.stringify(d.left) ?? "absent"} vs ${JSON.stringify(d.right) ?? "absent"}`);
  const replay = ctx.replay(cx.seed);
  lines.push(`shrunk ${cx.shrinks} times; fast-check seed ${cx.fcSeed}, path "${cx.path}"`);
  return {
    message: lines.join("\n"),
    subject: `${f.service} ${f.eventTypes.join(" / ")}`,
    counterexample: { ...cx, replay },
  };
}

/** `OrderPlaced#e1{orderId:"order-1"}`: type, id, then the other fields. */
export function showEvent(e: Event): string {
  const { type, id, ...rest } = e;
  const body = JSON.stringify(rest);
  return `${type}${id !== undefined ? `#${String(id)}` : ""}${body === "{}" ? "" : body.length > 120 ? `${body.slice(0, 117)}...` : body}`;
}
