import { modelFindings } from "../../explore/findings.js";
import { explorationFor } from "../../explore/run.js";
import type { Rule } from "../../types.js";

export const modelUnroutable: Rule = {
  id: "model-unroutable",
  defaultSeverity: "error",
  category: "model",
  scope: "scenario",
  description: "Every event a handler emits in a reachable state has a channel that declares its type.",
  fix: "Declare the event type on the channel that should carry it (channels.<name>.events), or stop emitting it.",
  async check(ctx) {
    const outcome = await explorationFor(ctx);
    if (!outcome) return [];
    return modelFindings("model-unroutable", ["unroutable"], outcome, { spec: ctx.spec, reportsDir: ctx.options.reportsDir, cwd: ctx.options.cwd });
  },
};
