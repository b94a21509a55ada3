// unaccepted-event: channel event types against the types each consumer's handler is written for.
import { specHasCode } from "../../../code/has-code.js";
import type { Rule } from "../../types.js";

export const unacceptedEventRule: Rule = {
  id: "unaccepted-event",
  defaultSeverity: "warning",
  category: "code",
  description: "Every event type a channel delivers to a consumer is one the consumer's handler is typed to accept.",
  fix: "Widen the handler's event type to what the channel delivers (and handle or ignore the rest), or stop delivering those events to it.",
  details: `A broker gives a consumer every message of the channels it consumes. When the handler's
event parameter is a union of \`type\` literals (for a Decider, its decide and evolve together) and
a channel it consumes carries a type outside that union, the handler is called with an event its
code was not written for: TypeScript cannot see it, since the spec, not the code, routes events.
Handlers whose event type is not a precise union of \`type\` literals (any, unknown, a string
\`type\`) are not judged. A warning: a handler may still ignore such events at run time, which
the property and model checks then judge.`,
  async check(ctx) {
    if (!specHasCode(ctx.spec)) return [];
    const { driftAnalysis } = await import("../../../code/drift/analysis.js");
    const { unacceptedFindings } = await import("../../../code/contracts/unaccepted.js");
    const analysis = driftAnalysis(ctx);
    return analysis ? unacceptedFindings(analysis, ctx.spec) : [];
  },
};
