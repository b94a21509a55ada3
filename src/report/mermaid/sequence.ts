// A Mermaid sequence diagram of deliveries, shared by the event flow of a
// scenario and the counterexample of a trace: one arrow per delivery in the
// order it happened, broker faults marked on the arrow, notes for what the
// handler did, runs of identical deliveries folded into a `loop` block.
import { encodeText, IdMap } from "./text.js";

/** Who sent a delivered message: a service, the scenario's inputs, or a channel when the sender is unknown. */
export interface Sender {
  kind: "service" | "input" | "channel";
  name: string;
}

export interface Delivery {
  from: Sender;
  /** The consuming service. */
  to: string;
  /** Event type and id, e.g. `OrderPlaced o1`. */
  label: string;
  channel: string;
  /** At-most-once: the broker lost the message. */
  dropped?: boolean;
  /** A redelivery of a message handled before. */
  duplicate?: boolean;
  /** Handled, but the ack is lost: the broker will deliver it again. */
  ackLost?: boolean;
  /** The consumer crashed after committing, before publishing and acking. */
  crash?: boolean;
  /** What the step did besides the delivery (threw, dead-lettered, lost emissions, a broken invariant). */
  notes?: string[];
  /** Draw this delivery and its notes in red (where the violation shows). */
  highlight?: boolean;
  /** A note across the diagram before this delivery: the start of a part (`delivered once`). */
  section?: string;
}

export interface SequenceOptions {
  /** A note at the top (what the diagram shows). */
  title?: string;
  /** Notes at the end (the outcome: quiescent, the broken invariant, the diverging state). */
  outcome?: string[];
  /** Index of the delivery from which the tail repeats forever (a lasso). */
  loopStart?: number;
  /** Most arrows drawn; the rest are summarised in a note. */
  maxDeliveries?: number;
}

const DEFAULT_MAX_DELIVERIES = 80;

/**
 * Mermaid sequence text (messages, notes, participant names): `;` and `#` end or escape
 * statements, `<`/`>` make tags, `%%` starts a comment: as entity codes, which the sequence
 * renderer decodes.
 */
export function seqText(text: string): string {
  return encodeText(text, /[#;<>]|%(?=%\{)/g).trim();
}

const participantName = seqText;

/**
 * Longest line of a note, in characters, by the number of participants it spans: Mermaid draws
 * a note across participants as wide as they stand apart, not as wide as its text, and measures
 * the text of a note over one participant narrower than the browser draws it; a longer line
 * runs out of its box. Measured with the rendered SVGs (test/report/mermaid-labels.test.ts).
 */
export function noteWidth(spanned: number): number {
  return spanned <= 1 ? 24 : spanned === 2 ? 36 : spanned === 3 ? 56 : 72;
}

export const NOTE_WIDTH = noteWidth(4);

/** Lines of at most `width` characters, broken at spaces (a longer word is cut). */
export function wrapText(text: string, width = NOTE_WIDTH): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.replace(/[\r\n]+/g, " ").split(" ").filter(Boolean)) {
    let w = word;
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = "";
    }
    while ([...w].length > width) {
      const cut = [...w].slice(0, width).join("");
      if (line) lines.push(line);
      lines.push(cut);
      line = "";
      w = w.slice(cut.length);
    }
    line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [""];
}

/** A note's text over `spanned` participants: wrapped, each line coded, joined by Mermaid's line break. */
const noteText = (spanned: number, ...paragraphs: string[]) => paragraphs.flatMap((p) => wrapText(p, noteWidth(spanned))).map(seqText).join("<br/>");

interface Folded {
  delivery: Delivery;
  times: number;
  index: number;
}

/** Consecutive equal deliveries (same arrow, marks and notes) become one with a count. */
function fold(deliveries: readonly Delivery[], loopStart: number | undefined): Folded[] {
  const out: Folded[] = [];
  // The start of a lasso's loop is never folded into the deliveries before it.
  const sig = (d: Delivery, i: number) =>
    JSON.stringify([d.from, d.to, d.label, d.channel, d.dropped, d.duplicate, d.ackLost, d.crash, d.notes, d.highlight, d.section, loopStart !== undefined && i >= loopStart]);
  let lastSig = "";
  deliveries.forEach((d, index) => {
    const s = sig(d, index);
    const last = out.at(-1);
    if (last && s === lastSig) last.times++;
    else out.push({ delivery: d, times: 1, index });
    lastSig = s;
  });
  return out;
}

export function sequenceDiagram(deliveries: readonly Delivery[], options: SequenceOptions = {}): string {
  const ids = new IdMap("p");
  const lines = ["sequenceDiagram"];
  // Participants in order of first appearance: senders left of receivers reads like the flow.
  const participants: Array<{ key: string; kind: Sender["kind"]; name: string }> = [];
  const seen = new Set<string>();
  const add = (kind: Sender["kind"], name: string) => {
    const key = `${kind}:${name}`;
    if (seen.has(key)) return key;
    seen.add(key);
    participants.push({ key, kind, name });
    return key;
  };
  const keyOf = (s: Sender) => `${s.kind}:${s.name}`;
  for (const d of deliveries) {
    add(d.from.kind, d.from.name);
    add("service", d.to);
  }
  for (const p of participants) {
    const id = ids.id(p.key);
    if (p.kind === "input") lines.push(`  actor ${id} as ${participantName(p.name)}`);
    else if (p.kind === "channel") lines.push(`  participant ${id} as ${participantName(`${p.name} (channel)`)}`);
    else lines.push(`  participant ${id} as ${participantName(p.name)}`);
  }
  if (participants.length === 0) {
    participants.push({ key: "none", kind: "channel", name: "(no deliveries)" });
    lines.push(`  participant ${ids.id("none")} as ${participantName("no deliveries")}`);
  }
  const first = ids.id(participants[0]!.key);
  const last = ids.id(participants.at(-1)!.key);
  const span = first !== last ? `${first},${last}` : first;
  const spanned = Math.max(1, participants.length);
  if (options.title) lines.push(`  Note over ${span}: ${noteText(spanned, options.title)}`);

  const max = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
  const folded = fold(deliveries, options.loopStart);
  let drawn = 0;
  let inLoop = false;
  for (const f of folded) {
    if (drawn >= max) break;
    if (options.loopStart !== undefined && !inLoop && f.index >= options.loopStart) {
      lines.push(`  loop ${seqText("repeats forever")}`);
      inLoop = true;
    }
    drawn++;
    const d = f.delivery;
    const from = ids.id(keyOf(d.from));
    const to = ids.id(`service:${d.to}`);
    const marks: string[] = [];
    if (d.duplicate) marks.push("duplicate");
    if (d.ackLost) marks.push("ack lost");
    if (d.crash) marks.push("crash");
    const via = d.from.kind === "channel" ? "" : ` via ${d.channel}`;
    const text = seqText(`${f.index + 1}. ${d.label}${via}${marks.length ? ` [${marks.join(", ")}]` : ""}`);
    const arrow = d.dropped ? "-x" : d.duplicate ? "-->>" : "->>";
    const body: string[] = [];
    body.push(`${from}${arrow}${to}: ${d.dropped ? `${text} [lost by the broker]` : text}`);
    if (d.crash) body.push(`Note over ${to}: ${noteText(1, `${d.to} crashes after committing, before publishing and acking`)}`);
    if (d.ackLost && !d.crash) body.push(`Note over ${to}: ${noteText(1, "ack lost: the broker will redeliver")}`);
    for (const n of d.notes ?? []) body.push(`Note over ${to}: ${noteText(1, n)}`);
    const indent = inLoop ? "    " : "  ";
    const wrap = f.times > 1;
    const inner = wrap ? `${indent}  ` : indent;
    if (d.section !== undefined) lines.push(`${indent}Note over ${span}: ${noteText(spanned, d.section)}`);
    if (wrap) lines.push(`${indent}loop ${seqText(`${f.times} times`)}`);
    if (d.highlight) lines.push(`${inner}rect rgb(255, 221, 221)`);
    for (const b of body) lines.push(`${inner}${d.highlight ? "  " : ""}${b}`);
    if (d.highlight) lines.push(`${inner}end`);
    if (wrap) lines.push(`${indent}end`);
  }
  if (inLoop) lines.push("  end");
  const rest = deliveries.length - folded.slice(0, drawn).reduce((n, f) => n + f.times, 0);
  if (rest > 0) lines.push(`  Note over ${span}: ${noteText(spanned, `... ${rest} more deliveries not drawn`)}`);
  // One note for the outcome, a line each (wrapped): Mermaid draws one box per note.
  const outcome = options.outcome ?? [];
  if (outcome.length > 0) lines.push(`  Note over ${span}: ${noteText(spanned, ...outcome)}`);
  return `${lines.join("\n")}\n`;
}
