// The text of a rendered SVG as a person reads it, for tests that check labels.

/** Tags dropped, entities decoded, one space between words. */
export function svgText(svg: string): string {
  return svg
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
