// unused-emission: see src/code/drift/ for the code patterns recognised.
import { specHasCode } from "../../../code/has-code.js";
import { DRIFT_DETAILS } from "../../../code/drift/details.js";
import type { Rule } from "../../types.js";

export const unusedEmissionRule: Rule = {
  id: "unused-emission",
  defaultSeverity: "warning",
  category: "code",
  description: "Every service declared as a producer of a channel emits at least one of its event types.",
  fix: "Remove the service from the channel's producers, or emit the events.",
  details: DRIFT_DETAILS,
  async check(ctx) {
    if (!specHasCode(ctx.spec)) return [];
    // Loaded on demand: the TypeScript compiler costs a second or two to load.
    const { driftAnalysis } = await import("../../../code/drift/analysis.js");
    const { unusedEmissions } = await import("../../../code/drift/findings.js");
    const analysis = driftAnalysis(ctx);
    return analysis ? unusedEmissions(analysis, ctx.spec) : [];
  },
};
