// The property rules, in the order they run.
import type { Rule } from "../../types.js";

import { convergence } from "./convergence.js";
import { idempotence } from "./idempotence.js";
import { commutation } from "./commutation.js";
import { handlerThrows } from "./handler-throws.js";
import { handlerTimeout } from "./handler-timeout.js";
import { handlerMutatesInput } from "./handler-mutates-input.js";
import { handlerNondeterministic } from "./handler-nondeterministic.js";
import { termination } from "./termination.js";

export const propertyRules: readonly Rule[] = [
  idempotence,
  commutation,
  handlerThrows,
  handlerTimeout,
  handlerMutatesInput,
  handlerNondeterministic,
  convergence,
  termination,
];
