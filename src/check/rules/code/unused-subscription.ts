// unused-subscription: see src/code/drift/ for the code patterns recognised.
import { specHasCode } from "../../../code/has-code.js";
import { DRIFT_DETAILS } from "../../../code/drift/details.js";
import type { Rule } from "../../types.js";

export const unusedSubscriptionRule: Rule = {
  id: "unused-subscription",
  defaultSeverity: "warning",
  category: "code",
  description: "Every service declared as a consumer of a channel handles at least one of its event types.",
  fix: "Remove the service from the channel's consumers, or handle its events.",
  details: DRIFT_DETAILS,
  async check(ctx) {
    if (!specHasCode(ctx.spec)) return [];
    // Loaded on demand: the TypeScript compiler costs a second or two to load.
    const { driftAnalysis } = await import("../../../code/drift/analysis.js");
    const { unusedSubscriptions } = await import("../../../code/drift/findings.js");
    const analysis = driftAnalysis(ctx);
    return analysis ? unusedSubscriptions(analysis, ctx.spec) : [];
  },
};
