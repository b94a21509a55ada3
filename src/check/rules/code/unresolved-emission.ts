// unresolved-emission: emission sites whose event type the drift analysis
// could not tell, so users know what undeclared-emission did not judge.
import { specHasCode } from "../../../code/has-code.js";
import { DRIFT_DETAILS } from "../../../code/drift/details.js";
import type { Rule } from "../../types.js";

export const unresolvedEmissionRule: Rule = {
  id: "unresolved-emission",
  defaultSeverity: "info",
  category: "code",
  description: "Every emission site names its event type in a way archverify can read, so the emission rules judge all of it.",
  fix: "Give the emitted value a type with a literal `type` (a typed event constructor, `satisfies`, `as const`), or build it as an object literal whose `type` is a literal or a constant.",
  details: DRIFT_DETAILS,
  async check(ctx) {
    if (!specHasCode(ctx.spec)) return [];
    // Loaded on demand: the TypeScript compiler costs a second or two to load.
    const { driftAnalysis } = await import("../../../code/drift/analysis.js");
    const { unresolvedEmissions } = await import("../../../code/drift/findings.js");
    const analysis = driftAnalysis(ctx);
    return analysis ? unresolvedEmissions(analysis, ctx.spec) : [];
  },
};
