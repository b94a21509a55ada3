// Runs the code rules on a fixture (loaded by the real spec loader) through
// the rule runner, so the shared project, the cache and the rule files are
// exercised, and returns the findings as short comparable lines.
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { runRules } from "../../../src/check/runner.js";
import type { CheckOptions, Finding, Rule } from "../../../src/check/types.js";
import { contractCompatRule } from "../../../src/check/rules/code/contract-compat.js";
import { undeclaredCallRule } from "../../../src/check/rules/code/undeclared-call.js";
import { undeclaredEmissionRule } from "../../../src/check/rules/code/undeclared-emission.js";
import { undeclaredSubscriptionRule } from "../../../src/check/rules/code/undeclared-subscription.js";
import { unusedCallRule } from "../../../src/check/rules/code/unused-call.js";
import { unusedEmissionRule } from "../../../src/check/rules/code/unused-emission.js";
import { unresolvedEmissionRule } from "../../../src/check/rules/code/unresolved-emission.js";
import { unusedSubscriptionRule } from "../../../src/check/rules/code/unused-subscription.js";
import { loadSpecSync } from "../../../src/spec/load.js";
import type { Spec } from "../../../src/spec/types.js";

export const FIXTURES = resolve(import.meta.dirname, "../../fixtures");

export const codeSpecRules: Rule[] = [
  undeclaredCallRule,
  unusedCallRule,
  undeclaredEmissionRule,
  unusedEmissionRule,
  unresolvedEmissionRule,
  undeclaredSubscriptionRule,
  unusedSubscriptionRule,
  contractCompatRule,
];

export const checkOptions: CheckOptions = { seed: 1, allCycles: false, maxCycles: 100, reportsDir: join(tmpdir(), "archverify-test-reports"), cwd: process.cwd() };

export async function runFixture(name: string, rules: Rule[] = codeSpecRules): Promise<{ spec: Spec; findings: Finding[]; lines: string[] }> {
  const spec = loadSpecSync(join(FIXTURES, name, "spec.yaml"));
  const { findings } = await runRules(spec, checkOptions, rules);
  const lines = findings.map((f) => `${f.ruleId} ${f.severity} ${f.location ? `${relative(spec.dir, f.location.file)}:${f.location.line}` : "-"}`).sort();
  return { spec, findings, lines };
}
