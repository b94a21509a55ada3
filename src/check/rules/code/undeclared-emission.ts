// undeclared-emission: see src/code/drift/ for the code patterns recognised.
import { specHasCode } from "../../../code/has-code.js";
import { DRIFT_DETAILS } from "../../../code/drift/details.js";
import type { Rule } from "../../types.js";

export const undeclaredEmissionRule: Rule = {
  id: "undeclared-emission",
  defaultSeverity: "error",
  category: "code",
  description: "Every event type a service's code emits by name is carried by a channel the service is declared to produce (a union-typed emission only when none of its types is).",
  fix: "Add the service to the producers of the channel carrying the event (or the event to a channel), or stop emitting it.",
  details: DRIFT_DETAILS,
  async check(ctx) {
    if (!specHasCode(ctx.spec)) return [];
    // Loaded on demand: the TypeScript compiler costs a second or two to load.
    const { driftAnalysis } = await import("../../../code/drift/analysis.js");
    const { undeclaredEmissions } = await import("../../../code/drift/findings.js");
    const analysis = driftAnalysis(ctx);
    return analysis ? undeclaredEmissions(analysis, ctx.spec) : [];
  },
};
