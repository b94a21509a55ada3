import { modelFindings } from "../../explore/findings.js";
import { explorationFor } from "../../explore/run.js";
import type { Rule } from "../../types.js";

export const modelTermination: Rule = {
  id: "model-termination",
  defaultSeverity: "error",
  category: "model",
  scope: "scenario",
  description: "No reachable cycle of states: every schedule reaches quiescence (a loop is reported as a lasso, prefix then the repeating part).",
  fix: "Bound the loop: declare maxRedeliveries on the channel so a failing message is dead-lettered, stop re-emitting the event that restarts the cycle, or make the handler accept the event it rejects.",
  async check(ctx) {
    const outcome = await explorationFor(ctx);
    if (!outcome) return [];
    return modelFindings("model-termination", ["lasso"], outcome, { spec: ctx.spec, reportsDir: ctx.options.reportsDir, cwd: process.cwd() });
  },
};
