// The graph rules, in the order they run.
import type { Rule } from "../../types.js";

export const graphRules: readonly Rule[] = [];
