import { modelFindings } from "../../explore/findings.js";
import { explorationFor } from "../../explore/run.js";
import type { Rule } from "../../types.js";

export const modelTermination: Rule = {
  id: "model-termination",
  defaultSeverity: "error",
  category: "model",
  scope: "scenario",
  description:
    "No fair reachable cycle of states: every schedule a fair broker can produce reaches quiescence (a loop is reported as a lasso, prefix then the repeating part).",
  details:
    "A broker eventually delivers every message it keeps in flight (weak fairness), so a loop counts only if it is fair: every message deliverable in every state of the loop " +
    "is delivered (or, at-most-once, dropped) somewhere in it. A handler that throws until another message arrives is therefore not a loop while that message can still be " +
    "delivered; it is one when nothing else can arrive, or when the message it waits for is stuck behind it in an ordered group. Faults are never owed: a fair broker need " +
    "not lose an ack or crash a service. Fair loops are found exactly, as strongly connected components of the explored graph in which every message deliverable throughout " +
    "is delivered inside; the lasso is the shortest prefix to the closest such component, then a loop inside it that starves nothing. Where sleep sets left edges out and " +
    "only unfair cycles remain, the scenario is searched again without them before it is called terminating. The trace records where the loop starts, so " +
    "`archverify replay` runs prefix and loop and checks that the loop closes.",
  fix: "Bound the loop: declare maxRedeliveries on the channel so a failing message is dead-lettered, stop re-emitting the event that restarts the cycle, or make the handler accept the event it rejects.",
  async check(ctx) {
    const outcome = await explorationFor(ctx);
    if (!outcome) return [];
    return modelFindings("model-termination", ["lasso"], outcome, { spec: ctx.spec, reportsDir: ctx.options.reportsDir, cwd: ctx.options.cwd });
  },
};
