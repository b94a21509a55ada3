import { showEvent } from "../../handlers/findings.js";
import { handlerPropertiesFor } from "../../handlers/run.js";
import type { Event } from "../../../model/handler.js";
import type { RawFinding, Rule } from "../../types.js";

export const handlerTimeout: Rule = {
  id: "handler-timeout",
  defaultSeverity: "error",
  category: "property",
  description: "Every handler call returns within the per-call timeout (1 s): no busy loop, no unbounded recursion.",
  fix: "Bound the loop the event drives (a handler is a pure step: no waiting, no polling, no retry loops); the reported event reproduces the hang.",
  details:
    "Handlers run in a worker thread whose main thread watches a heartbeat; a call over the timeout terminates the worker, the run is repeated to name the event, " +
    "and the remaining checks go on without that event type.",
  async check(ctx) {
    const result = await handlerPropertiesFor(ctx);
    return result.timeouts.map((t): RawFinding => {
      const plan = result.plans.find((p) => p.name === t.service);
      const location = plan?.types.location ?? ctx.spec.services.get(t.service)?.handler?.loc;
      const event = t.event as Event | undefined;
      return {
        message: `${t.service}: handling ${t.eventType ?? "an event"} did not return within ${t.timeoutMs} ms; the call was stopped${event ? `\nevent: ${showEvent(event)}` : ""}`,
        subject: `${t.service} ${t.eventType ?? "?"}`,
        ...(location ? { location } : {}),
        counterexample: { property: "handler-timeout", service: t.service, event: t.event ?? null, timeoutMs: t.timeoutMs },
      };
    });
  },
};
