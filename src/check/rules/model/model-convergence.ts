import { modelFindings } from "../../explore/findings.js";
import { explorationFor } from "../../explore/run.js";
import type { Rule } from "../../types.js";

export const modelConvergence: Rule = {
  id: "model-convergence",
  defaultSeverity: "error",
  category: "model",
  scope: "scenario",
  description: "All quiescent states reachable from the same scenario inputs are equal per service: the outcome does not depend on the schedule (explored exhaustively).",
  fix: "Make the handlers that the two schedules order differently commute (merge instead of overwrite, monotone status, version guards), deduplicate by event id in durable state, or declare the ordering the code relies on.",
  async check(ctx) {
    const outcome = await explorationFor(ctx);
    if (!outcome) return [];
    return modelFindings("model-convergence", ["divergence"], outcome, { spec: ctx.spec, reportsDir: ctx.options.reportsDir, cwd: ctx.options.cwd });
  },
};
