// undeclared-subscription: see src/code/drift/ for the code patterns recognised.
import { specHasCode } from "../../../code/has-code.js";
import { DRIFT_DETAILS } from "../../../code/drift/details.js";
import type { Rule } from "../../types.js";

export const undeclaredSubscriptionRule: Rule = {
  id: "undeclared-subscription",
  defaultSeverity: "error",
  category: "code",
  description: "Every event type a handler explicitly branches on (case, ===, includes, dispatch map) is carried by a channel the service is declared to consume.",
  fix: "Add the service to the consumers of the channel carrying the event (or the event to a channel), or stop handling it.",
  details: DRIFT_DETAILS,
  async check(ctx) {
    if (!specHasCode(ctx.spec)) return [];
    // Loaded on demand: the TypeScript compiler costs a second or two to load.
    const { driftAnalysis } = await import("../../../code/drift/analysis.js");
    const { undeclaredSubscriptions } = await import("../../../code/drift/findings.js");
    const analysis = driftAnalysis(ctx);
    return analysis ? undeclaredSubscriptions(analysis, ctx.spec) : [];
  },
};
