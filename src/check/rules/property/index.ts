// The property rules, in the order they run.
import type { Rule } from "../../types.js";

export const propertyRules: readonly Rule[] = [];
