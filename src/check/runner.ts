// Runs the enabled rules against a spec and normalises what they report.
import type { CheckContext, CheckOptions, Finding, Rule } from "./types.js";
import type { Spec } from "../spec/types.js";
import { allRules } from "./rules/index.js";

export interface RunResult {
  findings: Finding[];
  rules: Rule[];
  stats: Record<string, unknown>;
}

export function createContext(spec: Spec, options: CheckOptions): CheckContext & { stats: Record<string, unknown> } {
  const cache = new Map<string, unknown>();
  const stats: Record<string, unknown> = {};
  return {
    spec,
    options,
    stats,
    ruleOptions: (ruleId) => spec.rules.get(ruleId)?.options ?? {},
    cached<T>(key: string, compute: () => T): T {
      if (!cache.has(key)) cache.set(key, compute());
      return cache.get(key) as T;
    },
    recordStats(key, value) {
      stats[key] = value;
    },
  };
}

/** The rules that run for this spec: every registered rule not turned `off`. */
export function enabledRules(spec: Spec, rules: readonly Rule[] = allRules): Rule[] {
  return rules.filter((r) => spec.rules.get(r.id)?.severity !== "off");
}

/** The scenarios of shard `index` of `count` (1-based): every count-th by name, so
 * shards are disjoint, cover every scenario and do not depend on spec order. */
export function shardScenarios(spec: Spec, shard: { index: number; count: number }): Spec {
  const names = [...spec.scenarios.keys()].sort();
  const mine = new Set(names.filter((_, i) => i % shard.count === shard.index - 1));
  return { ...spec, scenarios: new Map([...spec.scenarios].filter(([name]) => mine.has(name))) };
}

export async function runRules(
  spec: Spec,
  options: CheckOptions,
  rules: readonly Rule[] = allRules,
  onStage?: (ruleId: string, ms: number) => void,
): Promise<RunResult> {
  const ctx = createContext(spec, options);
  const shard = options.shard;
  // A sharded run gives the scenario rules their scenarios, and everything else to shard 1 only.
  const scenarioCtx = shard ? createContext(shardScenarios(spec, shard), options) : ctx;
  const active = enabledRules(spec, rules).filter((r) => !shard || r.scope === "scenario" || shard.index === 1);
  const findings: Finding[] = [];
  for (const rule of active) {
    const started = performance.now();
    const ruleCtx = rule.scope === "scenario" ? scenarioCtx : ctx;
    const configured = spec.rules.get(rule.id)?.severity;
    for (const raw of await rule.check(ruleCtx)) {
      const severity = configured && configured !== "off" ? configured : (raw.severity ?? rule.defaultSeverity);
      findings.push({ ...raw, ruleId: rule.id, severity, fix: raw.fix ?? rule.fix });
    }
    onStage?.(rule.id, performance.now() - started);
  }
  return { findings, rules: enabledRules(spec, rules), stats: { ...ctx.stats, ...scenarioCtx.stats } };
}
