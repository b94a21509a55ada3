// How a state difference reads in a report (the difference itself comes from
// the shared semantics: model/system diffServices).
import type { StateDiffEntry } from "./trace-format.js";

/** One line per difference: `payment.charges: 2, expected 1`. */
export function formatDiff(entries: readonly StateDiffEntry[]): string[] {
  return entries.map((d) => `${d.service}${d.path ? `.${d.path}` : ""}: ${show(d.actual)}, expected ${show(d.expected)}`);
}

function show(v: unknown): string {
  return v === undefined ? "(absent)" : JSON.stringify(v);
}
