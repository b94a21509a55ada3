import { simulationFindings } from "../../simulate/findings.js";
import { simulationFor } from "../../simulate/index.js";
import type { Rule } from "../../types.js";

export const convergence: Rule = {
  id: "convergence",
  defaultSeverity: "error",
  category: "property",
  scope: "scenario",
  description:
    "Under every schedule the broker may produce within each channel's declared delivery and ordering (reordering, duplicates, redelivery after a lost ack, crashes), every scenario ends in the same state per service, every invariant holds in every visited state and every quiescence predicate when nothing is in flight.",
  fix:
    "Make the handlers that the counterexample names commute on the states they meet (merge instead of overwrite, monotone status), deduplicate by event id in durable state, or declare the ordering the code relies on (ordering: per-key with a key). Replay the trace after the fix.",
  details:
    "Idempotence alone does not give convergence: a duplicate is also a reordering, and dedup by event id fixes duplicates, not order. " +
    "The simulation samples schedules with fast-check (seed --seed, runs --runs per scenario), compares each quiescent end with in-order, fault-free delivery, " +
    "and shrinks a failure to the fewest deliveries, then faults, then inversions of send order. The trace is saved under reports/ for `archverify replay`. " +
    "Options (rules: [ { name: convergence, options: { duplicates: 1, crashes: 1, copies: 1 } } ]): duplicates, lost acks per message; crashes, crash-restarts per run; " +
    "copies, also run each scenario as that many concurrent copies with renamed ids and keys (sound only when flows of different keys share no state, so off by default).",
  async check(ctx) {
    const outcome = await simulationFor(ctx);
    if (!outcome?.ok) return [];
    return simulationFindings("convergence", outcome.sim, {
      spec: ctx.spec,
      reportsDir: ctx.options.reportsDir,
      cwd: ctx.options.cwd,
      bounds: outcome.bounds,
    });
  },
};
