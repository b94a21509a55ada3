// Runs in the browser page, ahead of mermaid's dist (see ../mermaid-dist.ts).
//
// Mermaid's SVG-text labels (htmlLabels: false: flowchart nodes and edges, class
// members and relations) decode only &amp;, &lt; and &gt; of the entities its
// `#...;` codes turn into, so `#quot;` shows as "&quot;" where HTML labels (GitHub)
// show a quote. This replaces that decoder: the same single pass, over every named
// entity archverify writes and every numeric one. It runs before Mermaid measures
// the words, so a coded character takes its own width and does not make a word
// wrap mid-code.
//
// Plain ES2020 on purpose: it is injected as text, not bundled.
var __archverifyDecodeLabel = (function () {
  "use strict";
  var named = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return function decodeLabel(text) {
    return text.replace(/&(amp|lt|gt|quot|apos|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});/g, function (match, entity) {
      if (entity.charAt(0) !== "#") return named[entity];
      var hex = entity.charAt(1) === "x" || entity.charAt(1) === "X";
      var code = parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return match;
      return String.fromCodePoint(code);
    });
  };
})();
