// PLACEHOLDER — being replaced by the spec loader (YAML with positions -> zod -> resolved Spec).
import type { Spec } from "./types.js";
import { inputError } from "../errors.js";

export async function loadSpec(file: string): Promise<Spec> {
  throw inputError(`spec loading is not implemented yet (${file})`);
}
