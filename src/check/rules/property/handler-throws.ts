import { propertyFindings } from "../../handlers/findings.js";
import { handlerPropertiesFor } from "../../handlers/run.js";
import type { Rule } from "../../types.js";

export const handlerThrows: Rule = {
  id: "handler-throws",
  defaultSeverity: "error",
  category: "property",
  description: "No handler throws on an event it may receive, in any reachable state (a throwing handler is redelivered until the broker dead-letters the message).",
  fix: "Return the state unchanged (and, if the producer must know, emit a rejection event) instead of throwing; ignore event types the service does not handle; declare maxRedeliveries on the channel for poison messages.",
  details: "Generated event sequences are applied from initialState; the first call that throws is shrunk to the shortest sequence and reported for its event type. A handler that returns a Promise or a result without `state` is reported here too.",
  async check(ctx) {
    return propertyFindings(ctx.spec, await handlerPropertiesFor(ctx), "handler-throws");
  },
};
