import { propertyFindings } from "../../handlers/findings.js";
import { handlerPropertiesFor } from "../../handlers/run.js";
import type { Rule } from "../../types.js";

export const handlerThrows: Rule = {
  id: "handler-throws",
  defaultSeverity: "error",
  category: "property",
  description:
    "No handler throws on an event it may receive, in any reachable state (a throwing handler is redelivered until the broker dead-letters the message); an error on a scenario's traffic, a warning on generated events.",
  fix: "Return the state unchanged (and, if the producer must know, emit a rejection event) instead of throwing; ignore event types the service does not handle; declare maxRedeliveries on the channel for poison messages.",
  details:
    "Generated event sequences are applied from initialState; the first call that throws is shrunk to the shortest sequence and reported for its event type. " +
    "A handler that returns a Promise or a result without `state` is reported here too.\n\n" +
    "Severity. The spec's scenarios also run once in order over all services (inputs first-in first-out, emissions routed to their consumers, a delivery " +
    "that throws retried after everything else). An ERROR is a throw on that real traffic that nothing cures: redelivered after the rest of the scenario " +
    "it still throws, and its channel declares no maxRedeliveries, so the message comes back forever (reported with the scenario's events). Everything " +
    "else is a WARNING that says which case it is: a throw on a GENERATED event no scenario sends may be deliberate validation (what throwing does to real " +
    "traffic is judged as errors by termination, convergence, model-termination and model-dead-letter); a throw a redelivery cures is 'retry until " +
    "ready'; a throw on a channel that dead-letters is a declared design (model-dead-letter warns). A throwing initialState() is always an error. " +
    "Timeouts are handler-timeout's, and stay errors.",
  async check(ctx) {
    return propertyFindings(ctx.spec, await handlerPropertiesFor(ctx), "handler-throws", ctx.options.cwd);
  },
};
