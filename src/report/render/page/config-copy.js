// Runs in the browser page, ahead of mermaid's dist (see ../mermaid-dist.ts).
//
// Mermaid's getConfig() returns assignWithDepth({}, currentConfig): a fresh
// copy, three levels deep, of ~900 values (every diagram type's defaults and
// ~270 theme variables), built one Object.defineProperty at a time (~0.3 ms).
// Rendering calls it for every label it sanitizes or measures, hundreds of
// times per class diagram: that copying was half of the render time.
//
// This makes the same copy faster. currentConfig is replaced, never changed in
// place, by mermaid's config module, so the copy of one currentConfig object
// is always the same: the first call makes it with mermaid's own function (the
// template), later calls copy the template with a function compiled for its
// shape (object spreads, which V8 copies wholesale). The result has the same
// keys in the same order, the same values, fresh objects where mermaid's has
// fresh ones and shared ones where mermaid's shares them. Each compiled shape
// is checked once against mermaid's own copy; on any difference, or any shape
// this does not handle, getConfig falls back to mermaid's function for good.
//
// Plain ES2020 on purpose: it is injected as text, not bundled.
var __archverifyConfigCopy = (function () {
  "use strict";
  // assignWithDepth's depth: containers at levels 0-2 are fresh, values below are shared.
  var DEPTH = 2;
  var state = { mode: "fast", reason: "", compiled: 0, fastCalls: 0, slowCalls: 0 };

  function isArray(v) {
    return Array.isArray(v);
  }
  /** An object the copy recreates: not null, not an array (arrays are sliced). */
  function isContainer(v) {
    return typeof v === "object" && v !== null && !isArray(v);
  }
  /** Shapes left to mermaid: anything spreading would not copy exactly as assignWithDepth does. */
  function unsupported(o) {
    if (Object.getPrototypeOf(o) !== Object.prototype) return "an object with a prototype other than Object.prototype";
    if (Object.getOwnPropertySymbols(o).length > 0) return "symbol keys";
    if (Object.prototype.hasOwnProperty.call(o, "__proto__")) return "an own __proto__ key";
    var names = Object.getOwnPropertyNames(o);
    for (var i = 0; i < names.length; i++) {
      var d = Object.getOwnPropertyDescriptor(o, names[i]);
      if (!d.enumerable || !("value" in d)) return "a non-enumerable or accessor property";
    }
    return "";
  }

  /** Why the template's copy cannot be compiled, or "" when it can. */
  function validate(container, level) {
    var why = unsupported(container);
    if (why) return why + " at level " + level;
    if (level >= DEPTH) return "";
    var keys = Object.keys(container);
    for (var i = 0; i < keys.length; i++) {
      var v = container[keys[i]];
      if (isArray(v) && Object.getPrototypeOf(v) !== Array.prototype) return "an array subclass at level " + (level + 1);
      if (isContainer(v)) {
        why = validate(v, level + 1);
        if (why) return why;
      }
    }
    return "";
  }

  /** What the compiled copier depends on: which keys hold arrays and objects, down to level 1. */
  function shapeKey(container, level) {
    if (level >= DEPTH) return "";
    var out = [];
    var keys = Object.keys(container);
    for (var i = 0; i < keys.length; i++) {
      var v = container[keys[i]];
      if (isArray(v)) out.push(JSON.stringify(keys[i]) + "[]");
      else if (isContainer(v)) out.push(JSON.stringify(keys[i]) + "{" + shapeKey(v, level + 1) + "}");
    }
    return out.join(",");
  }

  /**
   * A copier for the template's shape: `{...c, k: copyK(c.k), a: c.a.slice()}` per
   * container. Spreading first and then overwriting the nested keys keeps the key order.
   */
  function compile(template) {
    var fns = [];
    function build(container, level) {
      var parts = ["...c"];
      if (level < DEPTH) {
        var keys = Object.keys(container);
        for (var i = 0; i < keys.length; i++) {
          var v = container[keys[i]];
          var key = JSON.stringify(keys[i]);
          if (isArray(v)) parts.push(key + ":c[" + key + "].slice()");
          else if (isContainer(v)) {
            var fn = build(v, level + 1);
            fns.push(fn);
            parts.push(key + ":f[" + (fns.length - 1) + "](c[" + key + "])");
          }
        }
      }
      // One small function per container: small functions get optimised, one huge one would not.
      return new Function("f", "return function (c) { return {" + parts.join(",") + "}; };")(fns);
    }
    return build(template, 0);
  }

  /** Same keys in the same order, same leaves, arrays and containers equal but fresh where mermaid's are fresh. */
  function sameCopy(a, b, template, level) {
    if (a === template) return "a container is shared with the template at level " + level;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return "prototypes differ at level " + level;
    var ka = Object.keys(a);
    var kb = Object.keys(b);
    if (ka.length !== kb.length) return "key counts differ at level " + level;
    for (var i = 0; i < ka.length; i++) {
      var k = ka[i];
      if (k !== kb[i]) return "key order differs at level " + level;
      var x = a[k];
      var y = b[k];
      if (level < DEPTH && isArray(y)) {
        if (!isArray(x) || x === template[k] || x.length !== y.length) return "array " + k + " differs";
        for (var j = 0; j < y.length; j++) if (!Object.is(x[j], y[j])) return "array " + k + " differs";
      } else if (level < DEPTH && isContainer(y)) {
        if (!isContainer(x)) return k + " is not an object";
        var why = sameCopy(x, y, template[k], level + 1);
        if (why) return why;
      } else if (!Object.is(x, y)) return "value " + k + " differs";
    }
    return "";
  }

  var lastSource;
  var template;
  var copier;
  var uses = 0;
  var byShape = new Map();

  /** Template and copier for the current source; leaves copier unset when this config is left to mermaid. */
  function prepare(source, assign) {
    template = assign({}, source);
    var why = validate(template, 0);
    if (why) {
      // Only this config (a diagram's own directives, say) is unusual: the next one may be fine.
      state.reason = "one config left to mermaid: " + why;
      return;
    }
    var shape = shapeKey(template, 0);
    var fn = byShape.get(shape);
    if (!fn) {
      try {
        fn = compile(template);
      } catch (e) {
        // A page that forbids `new Function` (a content security policy).
        fallBack("cannot compile: " + (e && e.message));
        return;
      }
      // Each new shape is checked once against mermaid's own copy.
      why = sameCopy(fn(template), assign({}, source), template, 0);
      if (why) {
        fallBack("self-check failed: " + why);
        return;
      }
      byShape.set(shape, fn);
      state.compiled++;
    }
    copier = fn;
  }

  function fallBack(reason) {
    state.mode = "mermaid";
    state.reason = reason;
    copier = undefined;
    template = undefined;
  }

  /** Replaces mermaid's `() => assignWithDepth({}, currentConfig)`; `assign` is mermaid's assignWithDepth. */
  function getConfig(source, assign) {
    if (state.mode === "fast") {
      if (source !== lastSource) {
        lastSource = source;
        template = undefined;
        copier = undefined;
        uses = 0;
      }
      // Mermaid replaces its config twice per render; one used once is not worth a template.
      if (++uses === 2) prepare(source, assign);
      if (copier) {
        state.fastCalls++;
        return copier(template);
      }
    }
    state.slowCalls++;
    return assign({}, source);
  }
  getConfig.status = function () {
    return { mode: state.mode, reason: state.reason, compiled: state.compiled, fastCalls: state.fastCalls, slowCalls: state.slowCalls };
  };
  return getConfig;
})();
