// The code rules, in the order they run.
import type { Rule } from "../../types.js";

export const codeRules: readonly Rule[] = [];
