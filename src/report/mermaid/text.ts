// Mermaid identifiers and labels. Names from a spec may contain dashes, dots or
// reserved words (`end`), so nodes get generated ids and quoted labels.

/** Stable ids: the same name always gets the same id within one diagram. */
export class IdMap {
  private readonly ids = new Map<string, string>();
  constructor(private readonly prefix: string) {}

  id(name: string): string {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = `${this.prefix}${this.ids.size}`;
      this.ids.set(name, id);
    }
    return id;
  }
}

/** A label safe inside `["..."]` and `|"..."|`: Mermaid's entity codes for quotes and the like. */
export function label(text: string): string {
  return `"${text
    .replace(/&/g, "#amp;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/[\r\n]+/g, " ")}"`;
}

export const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
