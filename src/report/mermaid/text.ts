// Mermaid identifiers and text. Names from a spec may contain dashes, dots,
// reserved words (`end`), quotes, `#`, backticks or brackets, so nodes get
// generated ids, and every piece of text goes through the encoder of the place
// it is written to, so that what a person sees is the name itself.
//
// Mermaid's text escapes are entity codes (`#quot;`, `#35;`): it turns them into
// HTML entities, which HTML labels (GitHub, the live editor) decode. Its SVG-text
// labels (htmlLabels: false, what `--render svg` uses) decode only &amp;, &lt; and
// &gt; themselves; the renderer decodes the rest (render/label-entities.ts). So a
// `&` that starts something entity-like is written `#38;`, which neither decodes
// twice: a name that contains `&quot;` shows `&quot;`.

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

const NAMED: Record<string, string> = { '"': "#quot;", "<": "#lt;", ">": "#gt;" };

/** `#NN;` for one character (a code point, so astral characters stay whole). */
export const entityCode = (c: string) => NAMED[c] ?? `#${c.codePointAt(0)};`;

/**
 * Text with every character `special` matches as an entity code, an `&` that starts an
 * entity-like run (`&quot;`, `&#35;`) as `#38;` (elsewhere Mermaid shows `&` as is), line
 * breaks as spaces. Mermaid's own entity markers (`ﬂ°`, `¶ß`, which it swaps for `&#`, `&`
 * and `;`) are coded too.
 */
export function encodeText(text: string, special: RegExp): string {
  const all = new RegExp(`&(?=#?\\w+;)|${special.source}|[\\uFB02\\u00B6]`, "g");
  return text.replace(/[\r\n]+/g, " ").replace(all, (c) => (c === "&" ? "#38;" : entityCode(c)));
}

/**
 * What Mermaid reads as syntax in a quoted flowchart label (`["..."]`, `|"..."|`, subgraph
 * titles), found by rendering every ASCII punctuation character in each place: the quote,
 * `<`/`>` (tags: a lone `<` is dropped), backticks (markdown strings), a `#` that would start
 * an entity code, `\n` (a line break), `%%{` (a directive). Only these are coded: a coded
 * character is measured by its code's width until the renderer decodes it.
 */
const FLOW_SPECIAL = /["<>`]|#(?=\w+;)|\\(?=[nN])|%(?=%\{)/g;

/** A label safe inside `["..."]` and `|"..."|` that renders as the text itself. */
export function label(text: string): string {
  return `"${encodeText(text, FLOW_SPECIAL)}"`;
}

export const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
