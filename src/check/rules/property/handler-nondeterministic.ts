import { propertyFindings } from "../../handlers/findings.js";
import { handlerPropertiesFor } from "../../handlers/run.js";
import type { Rule } from "../../types.js";

export const handlerNondeterministic: Rule = {
  id: "handler-nondeterministic",
  defaultSeverity: "error",
  category: "property",
  description: "Every handler gives the same result for the same state and event (no clock, no randomness, no hidden module state).",
  fix: "Take time and identifiers from the event (a timestamp field, ids derived from the event id) instead of Date.now(), new Date(), Math.random() or crypto.randomUUID(); keep no state outside the returned state.",
  details: "The handler is called twice on copies of the same input, with the clock and Math.random (and crypto.randomUUID) replaced by two different deterministic sources; different states, emissions or errors are reported.",
  async check(ctx) {
    return propertyFindings(ctx.spec, await handlerPropertiesFor(ctx), "handler-nondeterministic", ctx.options.cwd);
  },
};
