// contract-compat: producers' event types against consumers' accepted types.
import { specHasCode } from "../../../code/has-code.js";
import type { Rule } from "../../types.js";

export const contractCompatRule: Rule = {
  id: "contract-compat",
  defaultSeverity: "error",
  category: "code",
  description: "On every channel, each event a producer emits is assignable to the event type each consumer's handler accepts for that type.",
  fix: "Make the producer's event fit the consumer's type (or relax the consumer's), ideally by sharing one event type.",
  details: `For each channel, event type and (producer, consumer) pair: the type of every place the
producer emits that event (see undeclared-emission for the recognised emission sites) must be
assignable, by TypeScript's checker with the project's compiler options, to the member of the
consumer handler's event parameter type whose \`type\` is that event (the whole parameter type
when it does not discriminate by literal \`type\`s). Extra properties are fine (consumers ignore
them); a missing required property or a property of another type is not. The finding shows both
types and the first incompatible property (nested paths such as items[].quantity). It points at
the emission site; the consumer's event parameter is listed as related.`,
  async check(ctx) {
    if (!specHasCode(ctx.spec)) return [];
    const { driftAnalysis } = await import("../../../code/drift/analysis.js");
    const { contractFindings } = await import("../../../code/contracts/check.js");
    const analysis = driftAnalysis(ctx);
    return analysis ? contractFindings(analysis, ctx.spec) : [];
  },
};
