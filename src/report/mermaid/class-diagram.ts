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

export function classDiagram(model: DomainModel): string {
  const ids = new IdMap("t");
  const lines = ["classDiagram", "  direction LR"];
  if (model.types.length === 0) {
    lines.push(`  class empty["no types found"]`);
    return `${lines.join("\n")}\n`;
  }
  for (const t of model.types) {
    const id = ids.id(t.key);
    lines.push(`  class ${id}["${classLabel(t)}"] {`);
    lines.push(`    <<${t.external ? `${t.kind} · ${shortFile(t.file)}` : t.kind}>>`);
    if (t.kind === "enumeration") for (const m of t.members) lines.push(`    ${member(m)}`);
    else for (const m of t.members) lines.push(`    +${member(m)}`);
    lines.push("  }");
  }
  for (const t of model.types) {
    for (const r of [...t.relations].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.to < b.to ? -1 : 1))) {
      const arrow = r.multiplicity === "*" ? "*--" : "-->";
      lines.push(`  ${ids.id(t.key)} ${arrow} "${r.multiplicity}" ${ids.id(r.to)} : ${member(r.label)}`);
    }
    for (const p of t.parents) {
      // A union's members realize it; an interface extends its parents.
      if (t.kind === "union") lines.push(`  ${ids.id(t.key)} <|.. ${ids.id(p)}`);
      else lines.push(`  ${ids.id(p)} <|-- ${ids.id(t.key)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const shortFile = (file: string) => file.split("/").slice(-2).join("/");
