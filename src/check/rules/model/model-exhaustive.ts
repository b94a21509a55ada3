import { DEFAULT_MAX_DEPTH, explorationFor } from "../../explore/run.js";
import type { RawFinding, Rule } from "../../types.js";

export const modelExhaustive: Rule = {
  id: "model-exhaustive",
  defaultSeverity: "warning",
  category: "model",
  scope: "scenario",
  description:
    "The exhaustive search of every scenario covered the whole reachable state space within the fault bounds, so the model-* verdicts are proofs, not samples.",
  fix: "Raise --max-states / --max-depth / --time-budget, or make the scenario smaller; a handler that hangs must be fixed first (the trace names its event).",
  details:
    "Explicit-state search over system states (service states, messages in flight, lost-ack and crash counters) with canonical, order-independent hashing; " +
    "BFS by default so each counterexample is a shortest one. Reductions, each verified and reported in the stats: key independence (per-key searches " +
    "combined as a product when every handler call, re-run under read tracking and in every combination of the other keys' parts it reaches, " +
    "is shown not to depend on them nor change them; predicates judged on combined states), symmetry (a key with another's inputs up to renaming " +
    "takes a renamed copy of its run when every call re-run renamed gives the renamed result), " +
    "sleep sets (deliveries to different consumers commute). Options: duplicates (lost acks per message, default 1), crashes (crash-restarts per run, " +
    "default 1), search (bfs|dfs), reductions: { keys, por, symmetry } (all true by default). " +
    "Bounds: --max-states (default 2,000,000 states per check) and --max-depth (default 1000 transitions, the simulation's bound: a scenario whose schedules " +
    "still reach new states that deep is an endless exchange, such as a counter that grows forever, or far beyond an exhaustive search; the search stops there " +
    "at once instead of filling the state bound, and says so). The reference system's deepest scenario is 18 transitions deep.",
  async check(ctx) {
    const outcome = await explorationFor(ctx);
    if (!outcome) return [];
    const findings: RawFinding[] = [];
    const firstLoc = ctx.spec.scenarios.values().next().value?.loc ?? { file: ctx.spec.file, line: 1, column: 1 };
    if (!outcome.ok) {
      const t = outcome.timeout;
      findings.push({
        severity: "error",
        message: `a ${t.service} handler call ran longer than ${t.timeoutMs} ms${t.event ? ` on ${JSON.stringify(t.event)}` : ""}; the exhaustive check was stopped`,
        location: ctx.spec.services.get(t.service)?.loc ?? firstLoc,
        subject: `service:${t.service}:hang`,
      });
      return findings;
    }
    for (const { scenario, check } of outcome.scenarios) {
      const s = check.stats;
      if (s.complete) continue;
      const size = `${s.states.toLocaleString("en-US")} states and ${s.transitions.toLocaleString("en-US")} transitions`;
      const bound = ctx.options.maxDepth ?? DEFAULT_MAX_DEPTH;
      findings.push({
        message:
          s.cut === "max-depth"
            ? `scenario ${scenario}: schedules longer than ${bound} transitions (--max-depth) still reach new states, so the search stopped there after ${size}; ` +
              "its verdicts hold only for shorter schedules (an exchange that never ends, such as a counter that grows forever, is what the termination rule reports)"
            : `scenario ${scenario}: the search was cut by ${s.cut} after ${size} (depth ${s.depth}); its verdicts hold only for the part explored`,
        location: ctx.spec.scenarios.get(scenario)?.loc ?? firstLoc,
        subject: `scenario:${scenario}:coverage`,
      });
    }
    return findings;
  },
};
