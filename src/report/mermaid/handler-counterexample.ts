// The sequence diagram of a handler property's counterexample (idempotence,
// commutation, handler-throws, ...): these findings carry no trace file, but
// their counterexample holds the events that reach the state and the events
// under test. Drawn as deliveries to the one service: the prefix, then the
// single and the double delivery (idempotence), the two orders from the same
// state (commutation), or the call that throws, with the differing state last.
import type { Spec } from "../../spec/types.js";
import type { ReportFinding } from "../types.js";
import { sequenceDiagram, type Delivery } from "./sequence.js";

/** The JSON counterexample of a handler property finding (check/handlers/types.ts, as the report carries it). */
interface HandlerCounterexample {
  property: string;
  service: string;
  prefix: Array<Record<string, unknown>>;
  events: Array<Record<string, unknown>>;
  diff?: Array<{ path: string; left: unknown; right: unknown }>;
  outcomes?: Record<string, unknown>;
  error?: string;
  scenario?: string;
}

const MAX_DIFF_LINES = 6;

/** The finding's handler counterexample, when it carries one with events to draw. */
export function handlerCounterexample(finding: ReportFinding): HandlerCounterexample | undefined {
  const cx = finding.counterexample as Partial<HandlerCounterexample> | undefined;
  if (!cx || typeof cx.property !== "string" || typeof cx.service !== "string" || !Array.isArray(cx.events) || cx.events.length === 0) return undefined;
  return { ...cx, property: cx.property, service: cx.service, events: cx.events, prefix: Array.isArray(cx.prefix) ? cx.prefix : [] } as HandlerCounterexample;
}

export function handlerCounterexampleDiagram(cx: HandlerCounterexample, options: { spec?: Spec } = {}): string {
  const source = cx.scenario !== undefined ? `scenario ${cx.scenario} inputs` : "generated events";
  const delivery = (e: Record<string, unknown>, extra: Partial<Delivery> = {}): Delivery => {
    const type = String(e.type);
    return { from: { kind: "input", name: source }, to: cx.service, label: `${type}${e.id === undefined ? "" : ` ${String(e.id)}`}`, channel: options.spec?.eventChannel.get(type) ?? "its channel", ...extra };
  };
  const deliveries: Delivery[] = cx.prefix.map((e, i) => delivery(e, i === 0 ? { section: "reaching the state" } : {}));
  const [a, b] = cx.events as [Record<string, unknown>, Record<string, unknown> | undefined];
  const outcomes = Object.keys(cx.outcomes ?? {});
  switch (cx.property) {
    case "idempotence":
      deliveries.push(delivery(a, { section: "delivered once" }));
      deliveries.push(delivery(a, { section: "from the same state, delivered twice" }));
      deliveries.push(delivery(a, { duplicate: true, highlight: true, notes: ["the duplicate changes the outcome"] }));
      break;
    case "commutation":
      if (b) {
        deliveries.push(delivery(a, { section: outcomes[0] ?? "one order" }), delivery(b));
        deliveries.push(delivery(b, { section: `from the same state, ${outcomes[1] ?? "the other order"}` }), delivery(a, { highlight: true, notes: ["the other order gives another outcome"] }));
      } else deliveries.push(delivery(a, { highlight: true }));
      break;
    default:
      // handler-throws, handler-mutates-input, handler-nondeterministic: the one call under test.
      deliveries.push(delivery(a, { highlight: true, notes: cx.error ? [`throws: ${cx.error}`] : [] }));
  }
  const n = cx.prefix.length;
  return sequenceDiagram(deliveries, {
    title: `${cx.property} counterexample, ${cx.service}: ${n === 0 ? "from the initial state" : `after ${n} event${n === 1 ? "" : "s"}`}`,
    outcome: outcomeNotes(cx, outcomes),
  });
}

function outcomeNotes(cx: HandlerCounterexample, outcomes: string[]): string[] {
  const diff = cx.diff ?? [];
  if (diff.length === 0) return cx.error ? [`${cx.service} throws: ${cx.error}`] : [`${cx.property} fails`];
  const [left = "first", right = "second"] = outcomes;
  const lines = diff.slice(0, MAX_DIFF_LINES).map((d) => `${d.path || "(state)"}: ${show(d.left)} (${left}) vs ${show(d.right)} (${right})`);
  if (diff.length > MAX_DIFF_LINES) lines.push(`... ${diff.length - MAX_DIFF_LINES} more differences`);
  return ["the outcomes differ:", ...lines];
}

const show = (v: unknown) => (v === undefined ? "absent" : JSON.stringify(v));
