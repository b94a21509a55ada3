// A domain model as a Mermaid class diagram: one class per type (annotated
// entity / value / event / enumeration / union), composition for collections,
// association for single references, realization from a union's members.
import type { DomainModel, DomainType } from "./domain.js";
import { encodeText, entityCode, IdMap } from "./text.js";

// What Mermaid reads as syntax in each place of a class diagram, found by rendering every ASCII
// punctuation character there; only these are coded (a coded character is measured by its
// code's width until the renderer decodes it). Everywhere: `<`/`>` (also so that nested
// generics such as `Map<string, Map<string, number[]>>` show as written, which Mermaid's one
// level of `~T~` cannot), `~` (generics), backticks, `*` and a `_` at a word's edge (markdown),
// `\\`, a `#` that would start an entity code, `%%{` (a directive).
const COMMON = String.raw`[<>~\`*\\]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|#(?=\w+;)|%(?=%)`;
/** Members: also `{`/`}` (a block), `(`/`)` (a method), `$` (a classifier). */
const MEMBER = new RegExp(`${COMMON}|[{}()$]`, "g");
/** A relation's label after ` : `: also `;` and `:`. */
const RELATION = new RegExp(`${COMMON}|[;:]`, "g");
/** Inside `"..."` (a class's display name, a note). */
const QUOTED = new RegExp(`${COMMON}|"`, "g");
/** Inside `<<...>>`: also `{`/`}`. */
const ANNOTATION = new RegExp(`${COMMON}|[{}]`, "g");

/** A member after its visibility mark (or an enumeration value): a leading `+`/`-` would be read as a visibility. */
export function member(text: string): string {
  return encodeText(text, MEMBER).replace(/^[+-]/, entityCode);
}

const classLabel = (t: DomainType) => encodeText(t.typeParameters ? `${t.name}<${t.typeParameters.join(", ")}>` : t.name, QUOTED);

/** Kinds whose members are values or alternatives, not named properties (no `+`). */
const UNNAMED = new Set<DomainType["kind"]>(["enumeration", "union", "alias"]);

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
  if (shown.length < model.types.length) lines.push(`  note "${encodeText(`${model.types.length - shown.length} more types not shown (${model.root})`, QUOTED)}"`);
  for (const t of shown) {
    const id = ids.id(t.key);
    lines.push(`  class ${id}["${classLabel(t)}"] {`);
    lines.push(`    <<${encodeText(t.external ? `${t.kind} · ${shortFile(t.file)}` : t.kind, ANNOTATION)}>>`);
    if (UNNAMED.has(t.kind)) for (const m of t.members) lines.push(`    ${member(m)}`);
    else for (const m of t.members) lines.push(`    +${member(m)}`);
    lines.push("  }");
  }
  for (const t of shown) {
    const relations = [...t.relations].filter((r) => kept.has(r.to)).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.to < b.to ? -1 : 1));
    const selfRelations = relations.filter((r) => r.to === t.key);
    for (const r of relations) {
      if (r.to === t.key && selfRelations.length > 1) continue;
      const arrow = r.multiplicity === "*" ? "*--" : "-->";
      lines.push(`  ${ids.id(t.key)} ${arrow} "${r.multiplicity}" ${ids.id(r.to)} : ${encodeText(r.label, RELATION)}`);
    }
    // Mermaid draws one label per self-loop of a class: several (a tree's `children` and `parent`) become one.
    if (selfRelations.length > 1) {
      const arrow = selfRelations.some((r) => r.multiplicity === "*") ? "*--" : "-->";
      const text = selfRelations.map((r) => `${r.label} [${r.multiplicity}]`).join(", ");
      lines.push(`  ${ids.id(t.key)} ${arrow} ${ids.id(t.key)} : ${encodeText(text, RELATION)}`);
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
