// What a person must read in a rendered diagram: every label the Mermaid source
// writes, of every kind (node, edge, subgraph, participant, message, note, loop,
// class name, annotation, member, relation label and multiplicity), decoded from
// Mermaid's entity codes; and the SVG's text as a browser shows it.

const NAMED: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">", apos: "'" };

/** Mermaid's `#name;` / `#NN;` codes as the characters they stand for (one pass). */
export function decodeMermaid(text: string): string {
  return text.replace(/#(\w+);/g, (m, e: string) => (NAMED[e] ?? (/^\d+$/.test(e) ? String.fromCodePoint(Number(e)) : m)));
}

/** The text of an SVG: tags dropped, XML entities decoded in one pass, words separated by single spaces. */
export function svgVisibleText(svg: string): string {
  return svg
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(#\d+|#x[0-9a-fA-F]+|quot|amp|lt|gt|apos|#39);/g, (m, e: string) =>
      e.startsWith("#x") ? String.fromCodePoint(Number.parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : (NAMED[e] ?? m),
    )
    .replace(/\s+/g, " ");
}

export interface SourceLabel {
  kind: "node" | "edge" | "participant" | "message" | "note" | "loop" | "class" | "annotation" | "member" | "relation" | "multiplicity";
  /** The text a person must see. */
  text: string;
}

/** Every label a diagram's source writes, decoded. */
export function sourceLabels(source: string): SourceLabel[] {
  const out: SourceLabel[] = [];
  const add = (kind: SourceLabel["kind"], raw: string | undefined, wrap = (s: string) => s) => {
    if (raw !== undefined && raw.trim() !== "") out.push({ kind, text: wrap(decodeMermaid(raw)) });
  };
  const head = source.split("\n")[0]!;
  if (head.startsWith("flowchart")) {
    for (const m of source.matchAll(/\w+(?:\[\(|\(\[|\{\{|\[)"([^"]*)"/g)) add("node", m[1]);
    for (const m of source.matchAll(/\|"([^"]*)"\|/g)) add("edge", m[1]);
  } else if (head.startsWith("sequenceDiagram")) {
    for (const m of source.matchAll(/^\s*(?:participant|actor) \w+ as (.+)$/gm)) add("participant", m[1]);
    for (const m of source.matchAll(/^\s*\w+(?:->>|-->>|-x|--x|->|-->)\w+: (.+)$/gm)) add("message", m[1]);
    for (const m of source.matchAll(/^\s*Note (?:over|left of|right of) [\w,]+: (.+)$/gm)) for (const line of m[1]!.split("<br/>")) add("note", line);
    for (const m of source.matchAll(/^\s*loop (.+)$/gm)) add("loop", m[1]);
  } else if (head.startsWith("classDiagram")) {
    for (const m of source.matchAll(/^\s*class \w+\["([^"]*)"\]/gm)) add("class", m[1]);
    for (const m of source.matchAll(/^\s*note "([^"]*)"$/gm)) add("note", m[1]);
    let inClass = false;
    for (const line of source.split("\n")) {
      if (/^\s*class \w+\[".*"\] \{$/.test(line)) inClass = true;
      else if (/^\s*\}$/.test(line)) inClass = false;
      else if (inClass) {
        const annotation = /^\s*<<(.*)>>$/.exec(line);
        if (annotation) add("annotation", annotation[1], (s) => `«${s}»`);
        else add("member", line.trim());
      } else {
        const rel = /^\s*\w+ (?:\*--|-->|<\|--|<\|\.\.) (?:"([^"]*)" )?\w+(?: : (.*))?$/.exec(line);
        if (rel) {
          add("multiplicity", rel[1]);
          add("relation", rel[2]);
        }
      }
    }
  }
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, "");

/** The labels of `source` that the SVG does not show (line breaks and wrapping aside). */
export function missingLabels(source: string, svg: string): SourceLabel[] {
  const text = squash(svgVisibleText(svg));
  return sourceLabels(source).filter((l) => !text.includes(squash(l.text)));
}
