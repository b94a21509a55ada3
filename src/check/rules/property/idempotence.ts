import { propertyFindings } from "../../handlers/findings.js";
import { handlerPropertiesFor } from "../../handlers/run.js";
import type { Rule } from "../../types.js";

export const idempotence: Rule = {
  id: "idempotence",
  defaultSeverity: "error",
  category: "property",
  description:
    "Every handler, on every reachable state, gives the same state (and no new emissions) when an event of an at-least-once channel is delivered twice as when it is delivered once.",
  fix: "Deduplicate by event id in the service's durable state (a set of handled ids), or make the update idempotent (set a value instead of adding to it).",
  details:
    "States are reached by applying generated event sequences from initialState (never invented). The duplicate is delivered right after the original; " +
    "a duplicate that re-emits exactly the same events is accepted (downstream sees a duplicate, which at-least-once allows), one that emits new events or throws is not. " +
    "Event types of exactly-once and at-most-once channels are never duplicated and are skipped. Budgets: --runs, --max-depth (events applied before the duplicate), --seed.",
  async check(ctx) {
    return propertyFindings(ctx.spec, await handlerPropertiesFor(ctx), "idempotence", ctx.options.cwd);
  },
};
