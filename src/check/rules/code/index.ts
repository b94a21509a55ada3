// The code rules, in the order they run.
import type { Rule } from "../../types.js";
import { undeclaredCallRule } from "./undeclared-call.js";
import { unusedCallRule } from "./unused-call.js";
import { undeclaredEmissionRule } from "./undeclared-emission.js";
import { unusedEmissionRule } from "./unused-emission.js";
import { unresolvedEmissionRule } from "./unresolved-emission.js";
import { undeclaredSubscriptionRule } from "./undeclared-subscription.js";
import { unusedSubscriptionRule } from "./unused-subscription.js";
import { contractCompatRule } from "./contract-compat.js";
import { unacceptedEventRule } from "./unaccepted-event.js";
import { noModuleCyclesRule } from "./no-module-cycles.js";
import { noCrossServiceImportsRule } from "./no-cross-service-imports.js";

export const codeRules: readonly Rule[] = [
  undeclaredCallRule,
  unusedCallRule,
  undeclaredEmissionRule,
  unusedEmissionRule,
  unresolvedEmissionRule,
  undeclaredSubscriptionRule,
  unusedSubscriptionRule,
  contractCompatRule,
  unacceptedEventRule,
  noModuleCyclesRule,
  noCrossServiceImportsRule,
];
