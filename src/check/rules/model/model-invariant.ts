import { modelFindings } from "../../explore/findings.js";
import { explorationFor } from "../../explore/run.js";
import type { Rule } from "../../types.js";

export const modelInvariant: Rule = {
  id: "model-invariant",
  defaultSeverity: "error",
  category: "model",
  scope: "scenario",
  description: "Every invariant holds in every state reachable from each scenario under the channels' delivery, ordering and fault bounds (explored exhaustively).",
  fix: "Repair the handler step the shortest trace ends with, or the invariant if it is wrong; replay the trace after the fix.",
  async check(ctx) {
    const outcome = await explorationFor(ctx);
    if (!outcome) return [];
    return modelFindings("model-invariant", ["invariant"], outcome, { spec: ctx.spec, reportsDir: ctx.options.reportsDir, cwd: ctx.options.cwd });
  },
};
