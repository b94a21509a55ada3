// Runs graph rules on an in-memory spec through the real runner.
import { runRules } from "../../src/check/runner.js";
import type { CheckOptions, Finding, Rule } from "../../src/check/types.js";
import type { Spec } from "../../src/spec/types.js";

export const defaultOptions: CheckOptions = { seed: 1, allCycles: false, maxCycles: 100, reportsDir: "reports", cwd: process.cwd() };

export async function findingsOf(rule: Rule, spec: Spec, options: Partial<CheckOptions> = {}): Promise<Finding[]> {
  const { findings } = await runRules(spec, { ...defaultOptions, ...options }, [rule]);
  return findings;
}
