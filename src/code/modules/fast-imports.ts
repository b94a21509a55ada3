// A token-level import scanner: the fast path of `extractImports`.
//
// Why it exists: a cold `ts.createSourceFile` spends most of its time in V8
// warming up TypeScript's parser (2.2 s for typeorm's 496 files, where a second
// pass over the same files takes 0.6 s), which alone is over half of
// dependency-cruiser's whole run. Imports are visible at the token level, so
// this scanner skips comments, strings, templates and regular expressions and
// reads the import forms from the tokens, allocating nothing per token.
//
// It answers only what it can answer exactly. It returns `undefined` (the
// caller then parses the file with TypeScript) for an `import("x")` whose
// context does not tell at the token level whether it is a value
// (`await import(...)`) or a type (`let m: typeof import(...)`, where
// `typeof` could as well be the operator), and whenever its own
// bookkeeping goes wrong (unbalanced braces, an unterminated literal). JSX is
// never given to it. Tests compare both paths on real code and on generated files.
import type { ImportKind, ImportRef } from "./types.js";

// Token types.
const EOF = 0;
const IDENT = 1;
const STRING = 2;
const TEMPLATE = 3; // a template literal without substitutions (usable as a specifier)
const PUNCT = 4;
const OTHER = 5; // numbers, regexes, template parts: never part of an import form

// Punctuator codes beyond single characters.
const P_OPTIONAL_CHAIN = 1000;
const P_ARROW = 1001;
const P_SPREAD = 1002;
const P_INCREMENT = 1003;

const C_DOT = 46;
const C_OPEN_PAREN = 40;
const C_CLOSE_PAREN = 41;
const C_COMMA = 44;
const C_EQUALS = 61;
const C_STAR = 42;
const C_OPEN_BRACE = 123;
const C_CLOSE_BRACE = 125;

class Bail extends Error {}
const BAIL = new Bail();

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c === 35 /* # */ || c === 92 /* \ */ || (c > 127 && !isUnicodeSpace(c));
}
/** Non-ASCII white space and line breaks, as TypeScript's scanner knows them. */
function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0x85 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

interface LexerState {
  i: number;
  line: number;
  lineStart: number;
  regexOk: boolean;
  braces: boolean[];
}

/** A pull lexer: `next()` moves to the next significant token and describes it in its fields. */
class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  // Whether a `/` here starts a regex (decided by the previous significant token).
  private regexOk = true;
  // true for a `${` of a template (its `}` resumes the template), false for `{`.
  private braces: boolean[] = [];
  private readonly n: number;

  type = EOF;
  /** Punctuator: its char code or a P_* code. */
  punct = 0;
  start = 0;
  end = 0;
  tokLine = 1;
  tokCol = 1;
  /** Value of a string or plain template token. */
  value = "";

  constructor(readonly text: string) {
    this.n = text.length;
    if (text.startsWith("#!")) while (this.i < this.n && !isLineBreak(text.charCodeAt(this.i))) this.i++;
  }

  save(): LexerState {
    return { i: this.i, line: this.line, lineStart: this.lineStart, regexOk: this.regexOk, braces: this.braces.slice() };
  }

  restore(s: LexerState): void {
    this.i = s.i;
    this.line = s.line;
    this.lineStart = s.lineStart;
    this.regexOk = s.regexOk;
    this.braces = s.braces;
  }

  /** Whether the current token is the identifier `word`. */
  is(word: string): boolean {
    return this.type === IDENT && this.end - this.start === word.length && this.text.startsWith(word, this.start);
  }

  isPunct(code: number): boolean {
    return this.type === PUNCT && this.punct === code;
  }

  atEnd(): boolean {
    return this.braces.length === 0;
  }

  next(): number {
    const text = this.text;
    const n = this.n;
    let i = this.i;
    for (;;) {
      if (i >= n) {
        this.i = i;
        this.type = EOF;
        return EOF;
      }
      const c = text.charCodeAt(i);
      if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        this.line++;
        this.lineStart = i + 1;
        i++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || (c > 127 && isUnicodeSpace(c))) {
        i++;
        continue;
      }
      if (c === 47 /* / */) {
        const d = text.charCodeAt(i + 1);
        if (d === 47) {
          i += 2;
          while (i < n && !isLineBreak(text.charCodeAt(i))) i++;
          continue;
        }
        if (d === 42) {
          const end = text.indexOf("*/", i + 2);
          if (end < 0) throw BAIL;
          for (let k = i + 2; k < end; k++) {
            const e = text.charCodeAt(k);
            if (e === 10 || e === 0x2028 || e === 0x2029 || (e === 13 && text.charCodeAt(k + 1) !== 10)) {
              this.line++;
              this.lineStart = k + 1;
            }
          }
          i = end + 2;
          continue;
        }
      }
      break;
    }
    const start = i;
    this.start = start;
    this.tokLine = this.line;
    this.tokCol = start - this.lineStart + 1;
    const c = text.charCodeAt(i);

    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      this.i = this.end = i;
      this.type = IDENT;
      this.regexOk = regexAfterWord(text, start, i - start);
      return IDENT;
    }
    if (c === 39 || c === 34) {
      this.i = i;
      this.value = this.scanString(c);
      this.end = this.i;
      this.type = STRING;
      this.regexOk = false;
      return STRING;
    }
    if (c === 96) {
      this.i = i + 1;
      this.scanTemplate(true);
      this.end = this.i;
      return this.type;
    }
    if (c === 47 && this.regexOk) {
      this.i = i;
      this.scanRegex();
      this.end = this.i;
      this.type = OTHER;
      this.regexOk = false;
      return OTHER;
    }
    if ((c >= 48 && c <= 57) || (c === C_DOT && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isIdentPart(d) || d === C_DOT) i++;
        else if ((d === 43 || d === 45) && (text.charCodeAt(i - 1) | 32) === 101 && !isHexStart(text, start)) i++; // 1e+5
        else break;
      }
      this.i = this.end = i;
      this.type = OTHER;
      this.regexOk = false;
      return OTHER;
    }
    // Punctuators.
    i++;
    this.type = PUNCT;
    this.punct = c;
    let regexOk = true;
    if (c === C_OPEN_BRACE) {
      this.braces.push(false);
    } else if (c === C_CLOSE_BRACE) {
      if (this.braces.length === 0) throw BAIL;
      if (this.braces.pop()) {
        this.i = i;
        this.scanTemplate(false);
        this.end = this.i;
        return this.type;
      }
      // a block's end: a regex may start the next statement
    } else if (c === C_DOT && text.charCodeAt(i) === C_DOT && text.charCodeAt(i + 1) === C_DOT) {
      i += 2;
      this.punct = P_SPREAD;
    } else if (c === 63 && text.charCodeAt(i) === C_DOT && !isDigit(text.charCodeAt(i + 1))) {
      i++;
      this.punct = P_OPTIONAL_CHAIN;
      regexOk = false;
    } else if (c === C_EQUALS && text.charCodeAt(i) === 62) {
      i++;
      this.punct = P_ARROW;
    } else if ((c === 43 || c === 45) && text.charCodeAt(i) === c) {
      // `++`/`--` taken as postfix, so `i++ / 2` stays a division.
      i++;
      this.punct = P_INCREMENT;
      regexOk = false;
    } else if (c === C_CLOSE_PAREN || c === 93 /* ] */) {
      regexOk = false;
    }
    this.i = this.end = i;
    this.regexOk = regexOk;
    return PUNCT;
  }

  private newlineAt(k: number): void {
    this.line++;
    this.lineStart = k + 1;
  }

  private scanString(quote: number): string {
    const text = this.text;
    let i = this.i + 1;
    let value = "";
    let from = i;
    while (i < this.n) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        value += text.slice(from, i);
        this.i = i + 1;
        return value;
      }
      if (c === 92) {
        // Escapes never appear in real module specifiers: keep them raw, so a mismatch with the parser shows.
        value += text.slice(from, i + 2);
        const d = text.charCodeAt(i + 1);
        if (d === 13 && text.charCodeAt(i + 2) === 10) {
          value += "\n";
          i++;
        }
        if (isLineBreak(d)) this.newlineAt(i + 1);
        i += 2;
        from = i;
        continue;
      }
      if (c === 10 || c === 13) throw BAIL;
      i++;
    }
    throw BAIL;
  }

  /** From just after a backtick (head) or a `}` closing `${`: sets the token type and the brace stack. */
  private scanTemplate(head: boolean): void {
    const text = this.text;
    let i = this.i;
    let plain = true;
    while (i < this.n) {
      const c = text.charCodeAt(i);
      if (c === 96) {
        this.i = i + 1;
        if (head && plain) {
          this.type = TEMPLATE;
          this.value = text.slice(this.start + 1, i);
        } else this.type = OTHER;
        this.regexOk = false;
        return;
      }
      if (c === 92) {
        plain = false;
        const d = text.charCodeAt(i + 1);
        if (d === 10 || d === 0x2028 || d === 0x2029 || (d === 13 && text.charCodeAt(i + 2) !== 10)) this.newlineAt(i + 1);
        i += 2;
        continue;
      }
      if (c === 36 && text.charCodeAt(i + 1) === C_OPEN_BRACE) {
        this.i = i + 2;
        this.braces.push(true);
        this.type = OTHER;
        this.regexOk = true;
        return;
      }
      if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.newlineAt(i);
      i++;
    }
    throw BAIL;
  }

  private scanRegex(): void {
    const text = this.text;
    let i = this.i + 1;
    let inClass = false;
    while (i < this.n) {
      const c = text.charCodeAt(i);
      if (c === 92) {
        i += 2;
        continue;
      }
      if (isLineBreak(c)) throw BAIL;
      i++;
      if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      else if (c === 47 && !inClass) break;
    }
    while (i < this.n && isIdentPart(text.charCodeAt(i))) i++; // flags
    this.i = i;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexStart(text: string, start: number): boolean {
  return text.charCodeAt(start) === 48 && (text.charCodeAt(start + 1) | 32) === 120;
}

/** After these keywords a `/` starts a regular expression, not a division. */
function regexAfterWord(text: string, start: number, len: number): boolean {
  switch (len) {
    case 2:
      return text.startsWith("in", start) || text.startsWith("of", start) || text.startsWith("do", start);
    case 3:
      return text.startsWith("new", start);
    case 4:
      return text.startsWith("void", start) || text.startsWith("case", start) || text.startsWith("else", start);
    case 5:
      return text.startsWith("throw", start) || text.startsWith("yield", start) || text.startsWith("await", start);
    case 6:
      return text.startsWith("return", start) || text.startsWith("typeof", start) || text.startsWith("delete", start);
    case 7:
      return text.startsWith("extends", start);
    case 10:
      return text.startsWith("instanceof", start);
    default:
      return false;
  }
}

// What the token before an `import`/`require`/`export` was, as far as the rules below care.
const PREV_OTHER = 0;
const PREV_MEMBER = 1; // `.` or `?.`: x.import, x.require
const PREV_AWAIT = 2;
const PREV_EXPORT = 4;
const PREV_FUNCTION = 5;

export interface FastExtractOptions {
  verbatimModuleSyntax: boolean;
}

type TypeOnly = "always" | "unless-verbatim" | "never";

/** The imports of a non-JSX file in source order, or undefined when only a real parse can tell. */
export function fastExtractImports(text: string, options: FastExtractOptions): ImportRef[] | undefined {
  try {
    return scan(text, options.verbatimModuleSyntax);
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

function scan(text: string, verbatim: boolean): ImportRef[] | undefined {
  const lx = new Lexer(text);
  const out: ImportRef[] = [];
  const add = (line: number, column: number, specifier: string, kind: ImportKind, typeOnly: TypeOnly) => {
    out.push({ specifier, kind, typeOnly: typeOnly === "always" || (typeOnly === "unless-verbatim" && !verbatim), line, column });
  };
  let prev = PREV_OTHER;
  let exportLine = 0;
  let exportCol = 0;

  for (let tt = lx.next(); tt !== EOF; tt = lx.next()) {
    if (tt !== IDENT) {
      prev = tt === PUNCT && (lx.punct === C_DOT || lx.punct === P_OPTIONAL_CHAIN) ? PREV_MEMBER : PREV_OTHER;
      continue;
    }
    const line = lx.tokLine;
    const col = lx.tokCol;
    const before = prev;
    prev = PREV_OTHER;
    if (before === PREV_MEMBER) continue;
    if (lx.is("await")) prev = PREV_AWAIT;
    else if (lx.is("function")) prev = PREV_FUNCTION;
    else if (lx.is("export")) {
      const at = lx.save();
      const decl = readExportFrom(lx);
      if (decl) {
        add(line, col, decl.specifier, "export", decl.typeOnly);
        continue;
      }
      lx.restore(at);
      prev = PREV_EXPORT;
      exportLine = line;
      exportCol = col;
    } else if (lx.is("require")) {
      if (before === PREV_FUNCTION) continue;
      const at = lx.save();
      const spec = readCallArgument(lx, true);
      lx.restore(at);
      if (spec !== undefined) add(line, col, spec, "require", "never");
    } else if (lx.is("import")) {
      const at = lx.save();
      lx.next();
      if (lx.isPunct(C_DOT)) {
        lx.restore(at); // import.meta
        continue;
      }
      if (lx.isPunct(C_OPEN_PAREN)) {
        lx.restore(at);
        const spec = readCallArgument(lx, false);
        lx.restore(at);
        if (spec === undefined) continue; // not a literal: nobody records it
        if (before === PREV_AWAIT) add(line, col, spec, "dynamic-import", "never");
        // `typeof import("x")` is a type query in a type (erased) but the `typeof` operator applied to
        // a dynamic import in an expression (`const t = typeof import("x")` loads x): like any other
        // `import(`, only the parser can tell which.
        else return undefined;
        continue;
      }
      lx.restore(at);
      const decl = readImportDeclaration(lx);
      if (decl === "bail") return undefined;
      if (decl === undefined) {
        lx.restore(at);
        continue;
      }
      const [l, c] = before === PREV_EXPORT ? [exportLine, exportCol] : [line, col];
      add(l, c, decl.specifier, decl.equals ? "import-equals" : "import", decl.typeOnly);
    }
  }
  if (!lx.atEnd()) return undefined;
  return out;
}

/** `(` literal `)` or `(` literal `,` after the current token; the literal's value. */
function readCallArgument(lx: Lexer, single: boolean): string | undefined {
  if (lx.next() !== PUNCT || lx.punct !== C_OPEN_PAREN) return undefined;
  const t = lx.next();
  if (t !== STRING && t !== TEMPLATE) return undefined;
  const value = lx.value;
  lx.next();
  if (lx.isPunct(C_CLOSE_PAREN) || (!single && lx.isPunct(C_COMMA))) return value;
  return undefined;
}

interface Decl {
  specifier: string;
  /** `unless-verbatim`: every specifier is marked `type` (kept as `import {} from` under verbatimModuleSyntax). */
  typeOnly: TypeOnly;
  equals: boolean;
}

/** After `import`: the declaration's specifier, or undefined when this `import` starts none. */
function readImportDeclaration(lx: Lexer): Decl | "bail" | undefined {
  const t = lx.next();
  if (t === STRING) return { specifier: lx.value, typeOnly: "never", equals: false }; // import "x"
  if (!(t === IDENT || lx.isPunct(C_OPEN_BRACE) || lx.isPunct(C_STAR))) return undefined;
  // Clause tokens up to `from "x"`: identifiers, `*`, `,`, one braced list (which may hold string names);
  // or `[type] X = require("x")`.
  const words: string[] = []; // identifiers, "{", "}", ",", "*", "'" (a string name) in order
  let depth = 0;
  for (let tok = t; ; tok = lx.next()) {
    if (tok === STRING && depth === 0) break;
    if (tok === IDENT) words.push(identText(lx));
    else if (tok === STRING) words.push("'");
    else if (tok === PUNCT) {
      const p = lx.punct;
      if (p === C_OPEN_BRACE) depth++;
      else if (p === C_CLOSE_BRACE) depth--;
      else if (p === C_EQUALS && depth === 0) return readImportEquals(lx, words);
      else if (!(p === C_STAR || p === C_COMMA)) return undefined;
      if (depth < 0 || depth > 1) return undefined;
      words.push(p === C_OPEN_BRACE ? "{" : p === C_CLOSE_BRACE ? "}" : p === C_STAR ? "*" : ",");
    } else return undefined;
  }
  if (words.pop() !== "from") return undefined;
  return { specifier: lx.value, typeOnly: importClauseTypeOnly(words), equals: false };
}

function readImportEquals(lx: Lexer, words: string[]): Decl | "bail" | undefined {
  const typeKw = words.length === 2 && words[0] === "type";
  if (!(words.length === 1 || typeKw) || !isName(words.at(-1))) return undefined;
  lx.next();
  if (!lx.is("require")) return undefined; // import X = A.B: a namespace alias
  if (lx.next() !== PUNCT || lx.punct !== C_OPEN_PAREN) return undefined;
  const s = lx.next();
  if (s === TEMPLATE) return "bail";
  if (s !== STRING) return undefined;
  const specifier = lx.value;
  lx.next();
  if (!lx.isPunct(C_CLOSE_PAREN)) return undefined;
  return { specifier, typeOnly: typeKw ? "always" : "never", equals: true };
}

/** After `export`: `[type] * [as x] from "y"` or `[type] { ... } from "y"`. */
function readExportFrom(lx: Lexer): Decl | undefined {
  let t = lx.next();
  let typeKw = false;
  if (t === IDENT && lx.is("type")) {
    typeKw = true;
    t = lx.next();
  }
  const elements: string[][] = [];
  if (lx.isPunct(C_STAR)) {
    t = lx.next();
    if (lx.is("as")) {
      t = lx.next();
      if (t !== IDENT && t !== STRING) return undefined;
      t = lx.next();
    }
  } else if (lx.isPunct(C_OPEN_BRACE)) {
    let current: string[] = [];
    for (t = lx.next(); !lx.isPunct(C_CLOSE_BRACE); t = lx.next()) {
      if (lx.isPunct(C_COMMA)) {
        if (current.length > 0) elements.push(current);
        current = [];
      } else if (t === IDENT) current.push(identText(lx));
      else if (t === STRING) current.push("'");
      else return undefined;
    }
    if (current.length > 0) elements.push(current);
    t = lx.next();
  } else return undefined;
  if (!lx.is("from") || lx.next() !== STRING) return undefined;
  let typeOnly: TypeOnly = "never";
  if (typeKw) typeOnly = "always";
  else if (elements.length > 0 && elements.every(specifierTypeOnly)) typeOnly = "unless-verbatim";
  return { specifier: lx.value, typeOnly, equals: false };
}

function identText(lx: Lexer): string {
  return lx.text.slice(lx.start, lx.end);
}

const isName = (w: string | undefined) => w !== undefined && w !== "{" && w !== "}" && w !== "," && w !== "*" && w !== "'";

/** The clause between `import` and `from`, by TypeScript's rules for the `type` keyword. */
function importClauseTypeOnly(words: string[]): TypeOnly {
  const head = words[0];
  if (head === undefined) return "never";
  // `import type X`, `import type {..}`, `import type * as ns`, `import type from from "x"`;
  // but `import type, {..} from` imports a default export named `type`.
  if (head === "type" && words.length > 1 && words[1] !== ",") return "always";
  if (head === "{") {
    const elements: string[][] = [];
    let current: string[] = [];
    for (const w of words.slice(1, -1)) {
      if (w === ",") {
        if (current.length > 0) elements.push(current);
        current = [];
      } else current.push(w);
    }
    if (current.length > 0) elements.push(current);
    if (elements.length > 0 && elements.every(specifierTypeOnly)) return "unless-verbatim";
  }
  return "never";
}

/** `type a`, `type a as b`, `type as` are type-only; `type` and `type as b` name something called `type`. */
function specifierTypeOnly(el: string[]): boolean {
  if (el[0] !== "type" || el.length < 2) return false;
  return !(el.length === 3 && el[1] === "as");
}
