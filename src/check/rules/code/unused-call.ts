// unused-call: see src/code/drift/ for the code patterns recognised.
import { specHasCode } from "../../../code/has-code.js";
import { DRIFT_DETAILS } from "../../../code/drift/details.js";
import type { Rule } from "../../types.js";

export const unusedCallRule: Rule = {
  id: "unused-call",
  defaultSeverity: "warning",
  category: "code",
  description: "Every call the spec declares is made somewhere in the service's code.",
  fix: "Remove the declared call, or teach archverify the code's call pattern through the undeclared-call rule options.",
  details: DRIFT_DETAILS,
  async check(ctx) {
    if (!specHasCode(ctx.spec)) return [];
    // Loaded on demand: the TypeScript compiler costs a second or two to load.
    const { driftAnalysis } = await import("../../../code/drift/analysis.js");
    const { unusedCalls } = await import("../../../code/drift/findings.js");
    const analysis = driftAnalysis(ctx);
    return analysis ? unusedCalls(analysis, ctx.spec) : [];
  },
};
