import { modelFindings } from "../../explore/findings.js";
import { explorationFor } from "../../explore/run.js";
import type { Rule } from "../../types.js";

export const modelQuiescence: Rule = {
  id: "model-quiescence",
  defaultSeverity: "error",
  category: "model",
  scope: "scenario",
  description: "Every quiescence predicate holds in every reachable state where nothing is in flight (explored exhaustively).",
  fix: "Make the flow the trace shows reach its terminal state: publish the missing event (an outbox), compensate on failure, or handle the event that is ignored.",
  async check(ctx) {
    const outcome = await explorationFor(ctx);
    if (!outcome) return [];
    return modelFindings("model-quiescence", ["quiescence"], outcome, { spec: ctx.spec, reportsDir: ctx.options.reportsDir, cwd: ctx.options.cwd });
  },
};
