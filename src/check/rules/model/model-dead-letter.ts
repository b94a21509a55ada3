import { modelFindings } from "../../explore/findings.js";
import { explorationFor } from "../../explore/run.js";
import type { Rule } from "../../types.js";

export const modelDeadLetter: Rule = {
  id: "model-dead-letter",
  defaultSeverity: "warning",
  category: "model",
  scope: "scenario",
  description: "No reachable schedule makes a handler fail until the broker dead-letters the message.",
  fix: "Handle the event the handler throws on (or ignore it explicitly), or route it elsewhere; a dead-lettered message is work that never happens.",
  async check(ctx) {
    const outcome = await explorationFor(ctx);
    if (!outcome) return [];
    return modelFindings("model-dead-letter", ["dead-letter"], outcome, { spec: ctx.spec, reportsDir: ctx.options.reportsDir, cwd: ctx.options.cwd });
  },
};
