// Runs in the browser page, ahead of mermaid's dist (see ../mermaid-dist.ts).
//
// Mermaid's sanitizeText() passes every label through
// DOMPurify.sanitize(text, { FORBID_TAGS: ["style"] }). DOMPurify parses that
// config object anew on every call (a fresh object each time: its identity
// cache never hits), rebuilding its allow-lists: about a tenth of a class
// diagram's render time. For a string without "<" DOMPurify then returns the
// string itself (its own shortcut, taken whenever RETURN_DOM, WHOLE_DOCUMENT
// and SAFE_FOR_TEMPLATES are off, as they are in this config), so the result
// of such a call is known before it is made. Anything else still goes through
// DOMPurify.
//
// Plain ES2020 on purpose: it is injected as text, not bundled.
var __archverifySanitizeText = (function () {
  "use strict";
  var state = { shortcut: 0, purified: 0 };
  function sanitizeText(purify, text) {
    if (typeof text === "string" && text !== "" && text.indexOf("<") === -1) {
      state.shortcut++;
      return text;
    }
    state.purified++;
    return purify.sanitize(text, { FORBID_TAGS: ["style"] }).toString();
  }
  sanitizeText.status = function () {
    return { shortcut: state.shortcut, purified: state.purified };
  };
  return sanitizeText;
})();
