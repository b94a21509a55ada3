// The model rules, in the order they run.
import type { Rule } from "../../types.js";

export const modelRules: readonly Rule[] = [];
