// The model rules, in the order they run. They share one exhaustive exploration per check
// (src/check/explore/run.ts); model-exhaustive reports whether it covered everything.
import type { Rule } from "../../types.js";
import { modelConvergence } from "./model-convergence.js";
import { modelDeadLetter } from "./model-dead-letter.js";
import { modelExhaustive } from "./model-exhaustive.js";
import { modelInvariant } from "./model-invariant.js";
import { modelLostEvent } from "./model-lost-event.js";
import { modelQuiescence } from "./model-quiescence.js";
import { modelTermination } from "./model-termination.js";
import { modelUnroutable } from "./model-unroutable.js";

export const modelRules: readonly Rule[] = [
  modelExhaustive,
  modelInvariant,
  modelQuiescence,
  modelConvergence,
  modelTermination,
  modelLostEvent,
  modelDeadLetter,
  modelUnroutable,
];
