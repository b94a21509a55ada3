// Mermaid's SVG-text labels (flowchart nodes and edges, class members, with
// htmlLabels: false) decode only &amp;, &lt; and &gt; of the entities its `#...;`
// codes become: a `#quot;` shows as "&quot;". HTML labels (GitHub, the live
// editor) decode every entity. The page fixes Mermaid's decoder when it can
// (page/label-entities.js); with a Mermaid it cannot fix, this pass decodes the
// rest in the SVG afterwards: only in the text spans of those labels (class
// `text-inner-tspan`, written by Mermaid's createText), and once, so a name
// written with `#38;quot;` (a literal "&quot;") stays "&quot;". (Mermaid then
// measured the codes, not the characters: a long word may wrap mid-code.)

const NAMED: Record<string, string> = { quot: '"', apos: "'" };

/** `&amp;#35;` (text "&#35;") -> `#`, escaped again for XML text. */
function decodeOne(entity: string): string | undefined {
  const named = NAMED[entity];
  if (named !== undefined) return named;
  const code = entity.startsWith("#x") || entity.startsWith("#X") ? Number.parseInt(entity.slice(2), 16) : entity.startsWith("#") ? Number(entity.slice(1)) : Number.NaN;
  if (!Number.isInteger(code) || code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const SPAN = /(<tspan\b[^>]*\bclass="text-inner-tspan"[^>]*>)([^<]*)(<\/tspan>)/g;
const LEFTOVER = /&amp;(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|quot|apos);/g;

export function decodeLabelEntities(svg: string): string {
  if (!svg.includes("&amp;")) return svg;
  return svg.replace(SPAN, (whole, open: string, text: string, close: string) => {
    if (!text.includes("&amp;")) return whole;
    return open + text.replace(LEFTOVER, (m, entity: string) => {
      const c = decodeOne(entity);
      return c === undefined ? m : xmlText(c);
    }) + close;
  });
}
