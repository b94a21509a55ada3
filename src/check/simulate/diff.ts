// How a state difference reads in a report (the difference itself comes from
// the shared semantics: model/system diffServices).
import type { StateDiffEntry } from "./trace-format.js";

/** One line per difference: `payment.charges: 2, expected 1`. */
export function formatDiff(entries: readonly StateDiffEntry[]): string[] {
  return entries.map((d) => `${d.service}${d.path ? `.${d.path}` : ""}: ${showSide(d, "actual")}, expected ${showSide(d, "expected")}`);
}

/** One side of a difference as JSON, or `(absent)` where the path does not exist on that side. */
export function showSide(d: StateDiffEntry, side: "actual" | "expected"): string {
  return d.absent === side || d[side] === undefined ? "(absent)" : JSON.stringify(d[side]);
}
