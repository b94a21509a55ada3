import { simulationFindings } from "../../simulate/findings.js";
import { simulationFor } from "../../simulate/index.js";
import type { Rule } from "../../types.js";

export const termination: Rule = {
  id: "termination",
  defaultSeverity: "error",
  category: "property",
  scope: "scenario",
  description:
    "Every scenario reaches quiescence within --max-depth deliveries under every sampled schedule (no redelivery loop, no endless emission cycle, no handler that hangs), and no flow ends in a dead-letter queue.",
  fix:
    "Give the channel a dead-letter bound (maxRedeliveries) and make the handler accept or explicitly ignore the event it fails on; break emission cycles with a terminal state.",
  details:
    "A handler that throws is not acknowledged and the broker redelivers the message; without maxRedeliveries that loops forever. " +
    "A dead-lettered message is reported as a warning: its flow never reaches a terminal state. A handler call that runs past the per-call timeout stops the simulation and is reported here.",
  async check(ctx) {
    const outcome = await simulationFor(ctx);
    if (!outcome) return [];
    if (!outcome.ok) {
      const t = outcome.timeout;
      const event = t.event && typeof t.event === "object" ? ` on ${JSON.stringify(t.event)}` : "";
      const svc = ctx.spec.services.get(t.service);
      return [
        {
          message: `handler of ${t.service} did not return within ${t.timeoutMs} ms${event} (call ${t.call} of the simulation); the simulation was stopped`,
          location: svc?.handler?.loc ?? svc?.loc ?? { file: ctx.spec.file, line: 1, column: 1 },
          subject: `service:${t.service}`,
        },
      ];
    }
    return simulationFindings("termination", outcome.sim, {
      spec: ctx.spec,
      reportsDir: ctx.options.reportsDir,
      cwd: ctx.options.cwd,
      bounds: outcome.bounds,
    });
  },
};
