// A domain model as a Mermaid class diagram: one class per type (annotated
// entity / value / event / enumeration / union), composition for collections,
// association for single references, realization from a union's members.
import type { DomainModel, DomainType } from "./domain.js";
import { IdMap } from "./text.js";

/** Class member text: Mermaid reads `<`/`>` as generics (`~`), and `{}`/`()` as syntax. */
function member(text: string): string {
  return text.replace(/[<>]/g, "~").replace(/[{}()[\]]/g, (c) => (c === "[" || c === "]" ? c : "")).replace(/[;#]/g, " ").replace(/"/g, "'");
}

/** Class labels are quoted: no quotes inside. */
const classLabel = (t: DomainType) => `${t.name}`.replace(/["`]/g, "'");

/** More classes than this make an unreadable diagram (and a slow one to lay out). */
export const MAX_CLASSES = 60;

export function classDiagram(model: DomainModel, maxClasses = MAX_CLASSES): string {
  const ids = new IdMap("t");
  const lines = ["classDiagram", "  direction LR"];
  if (model.types.length === 0) {
    lines.push(`  class empty["no types found"]`);
    return `${lines.join("\n")}\n`;
  }
  // The root's own types come first in `types`; what does not fit is counted in a note.
  const shown = model.types.slice(0, maxClasses);
  const kept = new Set(shown.map((t) => t.key));
  if (shown.length < model.types.length) lines.push(`  note "${model.types.length - shown.length} more types not shown (${model.root})"`);
  for (const t of shown) {
    const id = ids.id(t.key);
    lines.push(`  class ${id}["${classLabel(t)}"] {`);
    lines.push(`    <<${t.external ? `${t.kind} · ${shortFile(t.file)}` : t.kind}>>`);
    if (t.kind === "enumeration") for (const m of t.members) lines.push(`    ${member(m)}`);
    else for (const m of t.members) lines.push(`    +${member(m)}`);
    lines.push("  }");
  }
  for (const t of shown) {
    for (const r of [...t.relations].filter((r) => kept.has(r.to)).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.to < b.to ? -1 : 1))) {
      const arrow = r.multiplicity === "*" ? "*--" : "-->";
      lines.push(`  ${ids.id(t.key)} ${arrow} "${r.multiplicity}" ${ids.id(r.to)} : ${member(r.label)}`);
    }
    for (const p of t.parents.filter((p) => kept.has(p))) {
      // A union's members realize it; an interface extends its parents.
      if (t.kind === "union") lines.push(`  ${ids.id(t.key)} <|.. ${ids.id(p)}`);
      else lines.push(`  ${ids.id(p)} <|-- ${ids.id(t.key)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const shortFile = (file: string) => file.split("/").slice(-2).join("/");
