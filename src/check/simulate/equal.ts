// Structural equality on the hot path of the simulation: comparing a run's
// final state with the reference one without building canonical strings.
// Plain objects, arrays and primitives are compared here; anything else
// (Map, Set, Date, class instances) is left to the codec, so the verdict is
// always the codec's.
import type { ValueCodec } from "../../model/runtime-types.js";

export function sameValue(a: unknown, b: unknown, codec: ValueCodec): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return typeof a === "number" && typeof b === "number" ? Number.isNaN(a) && Number.isNaN(b) : false;
  }
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i], codec)) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return codec.equal(a, b);
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // An absent key and a key holding undefined are the same state (as in the codec).
  let defined = 0;
  for (const k in x) {
    const v = x[k];
    if (v === undefined) continue;
    defined++;
    if (!sameValue(v, y[k], codec)) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}
