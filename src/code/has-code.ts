// Whether a spec names any code to read, answered without loading the
// TypeScript compiler (a spec without code never pays for it).
import type { Spec } from "../spec/types.js";

export function specHasCode(spec: Spec): boolean {
  for (const s of spec.services.values()) if (!s.external && (s.code || s.handler)) return true;
  return false;
}
