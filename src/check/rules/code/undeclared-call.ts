// undeclared-call: see src/code/drift/ for the code patterns recognised.
import { specHasCode } from "../../../code/has-code.js";
import { DRIFT_DETAILS } from "../../../code/drift/details.js";
import type { Rule } from "../../types.js";

export const undeclaredCallRule: Rule = {
  id: "undeclared-call",
  defaultSeverity: "error",
  category: "code",
  description: "The code calls only the services its spec entry declares in `calls:`.",
  fix: "Declare the call in the spec (`calls: [{ to: X }]`) or remove it from the code.",
  details: DRIFT_DETAILS,
  async check(ctx) {
    if (!specHasCode(ctx.spec)) return [];
    // Loaded on demand: the TypeScript compiler costs a second or two to load.
    const { driftAnalysis } = await import("../../../code/drift/analysis.js");
    const { undeclaredCalls } = await import("../../../code/drift/findings.js");
    const analysis = driftAnalysis(ctx);
    return analysis ? undeclaredCalls(analysis, ctx.spec) : [];
  },
};
