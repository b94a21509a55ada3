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

export async function runRules(
  spec: Spec,
  options: CheckOptions,
  rules: readonly Rule[] = allRules,
  onStage?: (ruleId: string, ms: number) => void,
): Promise<RunResult> {
  const ctx = createContext(spec, options);
  const active = enabledRules(spec, rules);
  const findings: Finding[] = [];
  for (const rule of active) {
    const started = performance.now();
    const configured = spec.rules.get(rule.id)?.severity;
    for (const raw of await rule.check(ctx)) {
      const severity = configured && configured !== "off" ? configured : (raw.severity ?? rule.defaultSeverity);
      findings.push({ ...raw, ruleId: rule.id, severity, fix: raw.fix ?? rule.fix });
    }
    onStage?.(rule.id, performance.now() - started);
  }
  return { findings, rules: active, stats: ctx.stats };
}
