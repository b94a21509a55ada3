// The property rules, in the order they run.
import type { Rule } from "../../types.js";

import { convergence } from "./convergence.js";
import { termination } from "./termination.js";

export const propertyRules: readonly Rule[] = [
  convergence,
  termination,
];
