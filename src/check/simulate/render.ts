// How a schedule reads in a report: one delivery per line, in order, with
// duplicates, lost acks, crashes and drops marked.
import type { TraceTransition } from "./trace-format.js";

/** `PaymentCompleted pc1 -> order` plus its marks, e.g. `(duplicate)`. */
export function describeTransition(t: TraceTransition): string {
  const base = `${t.type} ${t.id} -> ${t.consumer}`;
  const marks: string[] = [];
  if (t.action === "drop") return `${t.type} ${t.id} -/-> ${t.consumer} (lost by the broker)`;
  if (t.duplicate) marks.push("duplicate");
  if (t.ackLost) marks.push("ack lost, redelivered later");
  if (t.crash) marks.push(`${t.consumer} crashes before ack`);
  return marks.length > 0 ? `${base} (${marks.join("; ")})` : base;
}

/** Numbered lines; a long schedule keeps its head and tail. */
export function describeSchedule(transitions: readonly TraceTransition[], keep = 40): string[] {
  const lines = transitions.map((t, i) => `${String(i + 1).padStart(3)}. ${describeTransition(t)}`);
  if (lines.length <= keep) return lines;
  const head = lines.slice(0, keep / 2);
  const tail = lines.slice(-keep / 2);
  return [...head, `     ... ${lines.length - keep} more ...`, ...tail];
}

/**
 * The compact witness of a finding: each delivery as one short item
 * (`Type@consumer`, marked `(dup)`, `(crash)`, `(lost)`), only identical
 * consecutive deliveries folded (`X x998`: one message redelivered). Where one
 * type reaches one consumer as different messages, their ids are shown
 * (`StatusChanged#s2@tracking`), so the witness keeps their order.
 */
export function witnessOf(transitions: readonly TraceTransition[], keep = 24): string[] {
  const mark = (t: TraceTransition) => (t.action === "drop" ? " (lost)" : t.duplicate ? " (dup)" : t.crash ? " (crash)" : "");
  const slot = (t: TraceTransition) => `${t.type}\u0000${t.consumer}`;
  const ids = new Map<string, Set<string>>();
  for (const t of transitions) {
    const set = ids.get(slot(t)) ?? new Set<string>();
    set.add(t.id);
    ids.set(slot(t), set);
  }
  const items: string[] = [];
  let last = "";
  let count = 0;
  const flush = () => {
    if (count > 0) items.push(count === 1 ? last : `${last} x${count}`);
  };
  for (const t of transitions) {
    const id = (ids.get(slot(t))?.size ?? 0) > 1 ? `#${t.id}` : "";
    const item = `${t.type}${id}${mark(t)}@${t.consumer}`;
    if (item === last) {
      count++;
      continue;
    }
    flush();
    last = item;
    count = 1;
  }
  flush();
  if (items.length <= keep) return items;
  return [...items.slice(0, keep / 2), `... ${items.length - keep} more`, ...items.slice(-keep / 2)];
}
