import { modelFindings } from "../../explore/findings.js";
import { explorationFor } from "../../explore/run.js";
import type { Rule } from "../../types.js";

export const modelLostEvent: Rule = {
  id: "model-lost-event",
  defaultSeverity: "error",
  category: "model",
  scope: "scenario",
  description: "No crash between a state commit and the publication of its events loses an event for good (services without an outbox).",
  fix: "Publish through a transactional outbox (outbox: true, with the code to match), or make the redelivered command publish the event again when the state already exists.",
  async check(ctx) {
    const outcome = await explorationFor(ctx);
    if (!outcome) return [];
    return modelFindings("model-lost-event", ["lost-event"], outcome, { spec: ctx.spec, reportsDir: ctx.options.reportsDir, cwd: ctx.options.cwd });
  },
};
