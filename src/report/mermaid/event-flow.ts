// The event flow of one scenario as a sequence diagram: who sends what to
// whom, in the order an in-order, fault-free run delivered it.
import type { ScenarioFlow } from "./flow.js";
import { sequenceDiagram, type Delivery } from "./sequence.js";

export function eventFlowDiagram(flow: ScenarioFlow): string {
  const deliveries: Delivery[] = flow.steps.map((s) => ({
    from: s.sender === undefined ? { kind: "input", name: "scenario inputs" } : { kind: "service", name: s.sender },
    to: s.consumer,
    label: `${s.type} ${s.id}`,
    channel: s.channel,
    ...(s.notes.length > 0 ? { notes: s.notes } : {}),
  }));
  const title =
    flow.source === "run"
      ? `scenario ${flow.scenario}: in-order run through the handlers`
      : `scenario ${flow.scenario}: STATIC, from the spec only (${flow.reason ?? "handlers not run"})`;
  return sequenceDiagram(deliveries, { title, outcome: flow.outcome });
}
