// Every rule archverify knows, by category. Each category folder owns its list.
import type { Rule } from "../types.js";
import { graphRules } from "./graph/index.js";
import { codeRules } from "./code/index.js";
import { propertyRules } from "./property/index.js";
import { modelRules } from "./model/index.js";

export const allRules: readonly Rule[] = [...graphRules, ...codeRules, ...propertyRules, ...modelRules];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}
