// Invariants and quiescence predicates judged on the product of independent keys. A predicate
// may relate keys ("one order at the dock at a time"), so its verdict on the product is not the
// conjunction of per-key verdicts: it is evaluated on combined states. Combinations are found
// lazily: the predicate runs on read-tracking views where keys not yet chosen are hidden; when it
// reaches one (an entry of its part, or the key set of a container it adds entries to), the
// evaluation stops and branches over that key's distinct parts (shallowest first). A predicate
// that reads no key's part is evaluated once; one over every order is evaluated once per
// combination of the orders' distinct parts. Branch and bound keeps the shortest witness: the
// combination whose states are fewest transitions from the start (the sum of each key's depth),
// which is what the unreduced BFS reports first.
import type { Predicates } from "../../model/handler.js";
import { rootPath, Tracker, type Access, type SystemModel } from "../../model/system/index.js";
import { combineServices, servicesPart, type Parts } from "./independence.js";
import { Refuted, type KeyRun, type Reached } from "./key-runs.js";

/** Predicate evaluations allowed on combined states, per scenario. */
export const PREDICATE_RUN_CAP = 200_000;

export interface PredicateViolation {
  kind: "invariant" | "quiescence";
  name: string;
  /** The state chosen for each key (in `runs` order). */
  states: Reached[];
}

class NeedKeys extends Error {}

export function productPredicateViolations(
  model: SystemModel,
  runs: readonly KeyRun[],
  parts: Parts,
  counter: { predicateRuns: number },
): PredicateViolation[] {
  const init = model.initialState([]).services;
  const out: PredicateViolation[] = [];
  const judge = (kind: "invariant" | "quiescence", preds: Predicates, pools: Reached[][]) => {
    if (pools.some((p) => p.length === 0)) return; // some key never quiesces: no product state to judge
    const pieces = pools.map((pool, i) => pool.map((r) => servicesPart(parts, runs[i]!.key, r.services)));
    const minDepth = pools.map((p) => p[0]!.depth);
    const index = new Map(runs.map((r, i) => [r.key, i]));
    for (const name of Object.keys(preds).sort()) {
      const pred = preds[name]!;
      let best: { cost: number; choice: Map<number, number> } | undefined;
      const floor = minDepth.reduce((a, d) => a + d, 0);
      const cost = (choice: ReadonlyMap<number, number>) => minDepth.reduce((a, d, i) => a + (choice.has(i) ? pools[i]![choice.get(i)!]!.depth : d), 0);
      const evaluate = (choice: ReadonlyMap<number, number>): { need: number[] } | { broken: boolean } => {
        if (++counter.predicateRuns > PREDICATE_RUN_CAP) {
          throw new Refuted(`${kind} ${name} relates keys: judging it on every combination of their parts needs more than ${PREDICATE_RUN_CAP.toLocaleString("en-US")} evaluations`);
        }
        const combined = combineServices(
          init,
          [...choice].map(([i, j]) => pieces[i]![j]!),
        );
        const need = new Set<number>();
        const guard = (a: Access) => {
          if (a.kind === "entry") {
            const k = parts.owner.get(a.path);
            const i = k === undefined ? undefined : index.get(k);
            if (i !== undefined && !choice.has(i)) need.add(i);
          } else {
            for (const k of parts.keyWriters.get(a.path) ?? []) {
              const i = index.get(k)!;
              if (!choice.has(i)) need.add(i);
            }
          }
          if (need.size > 0) throw new NeedKeys();
        };
        const tracker = new Tracker({ guard });
        const view: Record<string, unknown> = {};
        for (const n of model.serviceNames) view[n] = tracker.wrap(combined[n], rootPath(n));
        let verdict: unknown;
        try {
          verdict = pred(view);
        } catch {
          verdict = false;
        }
        if (need.size > 0) return { need: [...need].sort((a, b) => a - b) };
        return { broken: verdict !== true };
      };
      const search = (choice: ReadonlyMap<number, number>): void => {
        if (best && (best.cost <= floor || cost(choice) >= best.cost)) return;
        const r = evaluate(choice);
        if ("broken" in r) {
          if (r.broken) best = { cost: cost(choice), choice: new Map(choice) };
          return;
        }
        // Every combination of the needed keys' parts, shallowest first.
        const needed = r.need;
        const at = needed.map(() => 0);
        for (;;) {
          const next = new Map(choice);
          needed.forEach((i, j) => next.set(i, at[j]!));
          search(next);
          if (best && best.cost <= floor) return;
          let j = needed.length - 1;
          while (j >= 0 && ++at[j]! === pools[needed[j]!]!.length) at[j--] = 0;
          if (j < 0) return;
        }
      };
      search(new Map());
      if (best) {
        const choice = best.choice;
        out.push({ kind, name, states: pools.map((p, i) => p[choice.get(i) ?? 0]!) });
      }
    }
  };
  judge("invariant", model.invariants, runs.map((r) => r.reached));
  judge("quiescence", model.quiescence, runs.map((r) => r.quiescent));
  return out;
}
