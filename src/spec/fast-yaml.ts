// A fast reader for the plain subset of YAML that machine-written and most
// hand-written specs use (block mappings and sequences, one-line flow
// collections, plain and simple quoted scalars, comment lines and trailing
// comments, `path.ts#export` values, any printable letters inside quotes and
// comments). The `yaml` package parses about 1 MB/s here, too slow for specs
// of 100k services; this reader is ~20x faster.
// It never decides anything on its own: on anything outside the subset
// (anchors, tags, block scalars, multi-line values, odd scalars, duplicate
// keys, non-ASCII outside quotes and comments, errors) it returns undefined and the spec goes through
// `yaml`, which also produces every error message. A property test checks
// that whenever it accepts a text, it yields exactly what the `yaml` path does.
import type { SourceLocation } from "./types.js";
import type { LocEntry, LocNode, YamlTree } from "./loc-tree.js";

interface Line {
  /** 0-based line number. */
  no: number;
  indent: number;
  /** Content after the indentation, without trailing spaces. */
  text: string;
}

/** Deeper flow nesting is left to `yaml` (and its depth limit). */
const MAX_FLOW_DEPTH = 50;

const FLOW_KEY_CHARS = /[^:,{}[\]"']*/y;
const FLOW_PLAIN_CHARS = /[^,{}[\]]*/y;

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

// Plain scalars whose meaning is certain under the YAML 1.2 core schema.
const NULL = /^(?:null|Null|NULL|~)$/;
const TRUE = /^(?:true|True|TRUE)$/;
const FALSE = /^(?:false|False|FALSE)$/;
const INT = /^(?:0|[1-9][0-9]{0,14})$/;
// Paths (`../src/x.ts#export`) included: a `#` after a non-space is text, and a leading `./` or `../` is no number.
const PLAIN_STRING = /^(?:[A-Za-z_/]|\.\.?\/)[A-Za-z0-9_./+#-]*(?: [A-Za-z0-9_./+#-]+)*$/;
const BLOCK_KEY = /^([^\s:#'"{}[\],&*!|>%@`?-][^\s:#'"{}[\],]*):(?: +|$)/;

function plainScalar(text: string): unknown {
  if (NULL.test(text)) return null;
  if (TRUE.test(text)) return true;
  if (FALSE.test(text)) return false;
  if (INT.test(text)) return Number(text);
  if (PLAIN_STRING.test(text)) return text;
  return bail();
}

/** Characters outside printable ASCII that may appear in a comment or a quoted scalar: printable
 * Unicode, without C1 controls (NEL is a line break in YAML 1.1), the BOM, U+2028/2029 and noncharacters. */
const ODD_CHAR = /[^\x20-\x7e\n\r\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\ud800-\udbff\udc00-\udfff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function parseSimpleYaml(text: string, file: string): YamlTree | undefined {
  // No tabs, BOMs, control characters, Unicode line breaks or lone CRs.
  if (ODD_CHAR.test(text) || /\r(?!\n)/.test(text)) return undefined;
  const lines: Line[] = [];
  const raw = text.split("\n");
  for (let no = 0; no < raw.length; no++) {
    const full = (raw[no] as string).replace(/\r$/, "");
    const indent = leadingSpaces(full);
    if (indent === full.length || full.charCodeAt(indent) === HASH) continue;
    const body = withoutComment(full, indent);
    if (body === undefined || body === "---" || body.startsWith("--- ") || body === "..." || body.startsWith("%")) return undefined;
    lines.push({ no, indent, text: body });
  }
  if (lines.length === 0) return undefined;
  try {
    const reader = new Reader(lines, file);
    const first = lines[0] as Line;
    if (first.indent !== 0) return undefined;
    const root = reader.block(0);
    if (reader.pos !== lines.length || root.value === null || typeof root.value !== "object") return undefined;
    return root;
  } catch (error) {
    // A stack overflow (absurd nesting) is also left to `yaml`, which reports it.
    if (error instanceof Bail || error instanceof RangeError) return undefined;
    throw error;
  }
}

const HASH = 0x23;

function leadingSpaces(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 0x20) i++;
  return i;
}

/** `text` without trailing spaces (only spaces: YAML's white space is space and tab, not NBSP and its kin). */
function trimSpacesEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return text.slice(0, end);
}

/**
 * The content of a line from `start`, without a trailing comment (` # ...`) and
 * trailing spaces; undefined when the line holds something the subset leaves
 * to `yaml`: non-ASCII outside quotes, or a `#` that is not a comment (`a#b`) or
 * whose status depends on quoting the fast reader cannot follow. Quotes are
 * tracked as YAML does on one line: a `#` inside '...' or "..." is text.
 */
function withoutComment(line: string, start: number): string | undefined {
  let quote = 0;
  for (let i = start; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      continue;
    }
    if (c === 0x22 || c === 0x27) {
      // A quote opens a quoted scalar only where one can start (after a space, `[`, `{`, `,`, `:` or `-`);
      // elsewhere (`don't`) it is part of a plain scalar, which the subset does not accept anyway.
      const before = i === start ? 0x20 : line.charCodeAt(i - 1);
      if (before === 0x20 || before === 0x5b || before === 0x7b || before === 0x2c || before === 0x3a || before === 0x2d) quote = c;
      else return undefined;
    } else if (c === HASH) {
      // `a#b` is text (the scalar readers decide whether they take it); ` #` starts a comment.
      if (line.charCodeAt(i - 1) === 0x20) return trimSpacesEnd(line.slice(start, i));
    } else if (c > 0x7e) {
      return undefined;
    }
  }
  // An unclosed quote continues on the next line: left to `yaml`.
  return quote === 0 ? trimSpacesEnd(line.slice(start)) : undefined;
}

class Reader {
  pos = 0;
  constructor(
    private readonly lines: Line[],
    private readonly file: string,
  ) {}

  private loc(line: Line, offset: number): SourceLocation {
    return { file: this.file, line: line.no + 1, column: line.indent + offset + 1 };
  }

  private isSeqItem(line: Line): boolean {
    return line.text === "-" || line.text.startsWith("- ");
  }

  /** A block mapping or sequence whose lines start at `indent`. */
  block(indent: number): YamlTree {
    const line = this.lines[this.pos];
    if (!line || line.indent !== indent) return bail();
    if (this.isSeqItem(line)) return this.sequence(indent);
    if (line.text.startsWith("{") || line.text.startsWith("[")) {
      // A flow collection on a line of its own (`key:` then `  { ... }`).
      this.pos++;
      const value = this.inlineAll(line, 0);
      this.end(indent);
      return value;
    }
    return this.mapping(indent);
  }

  private mapping(indent: number): YamlTree {
    const value: Record<string, unknown> = {};
    const entries = new Map<string, LocEntry>();
    const first = this.lines[this.pos] as Line;
    const node: LocNode = { loc: this.loc(first, 0), entries };
    for (let line = this.lines[this.pos]; line && line.indent === indent && !this.isSeqItem(line); line = this.lines[this.pos]) {
      const m = BLOCK_KEY.exec(line.text);
      if (!m) return bail();
      const keyValue = plainScalar(m[1] as string);
      if (keyValue === null) return bail();
      const key = String(keyValue);
      if (entries.has(key) || key === "__proto__" || key === "<<") return bail();
      const keyLoc = this.loc(line, 0);
      const rest = m[0].length;
      this.pos++;
      let child: YamlTree;
      if (rest < line.text.length) {
        child = this.inlineAll(line, rest);
      } else {
        const next = this.lines[this.pos];
        if (next && next.indent > indent) child = this.block(next.indent);
        else if (next && next.indent === indent && this.isSeqItem(next)) child = this.sequence(indent);
        else child = { value: null, node: { loc: keyLoc } };
      }
      value[key] = child.value;
      entries.set(key, { key: keyLoc, value: child.node });
    }
    this.end(indent);
    return { value, node };
  }

  private sequence(indent: number): YamlTree {
    const value: unknown[] = [];
    const items: LocNode[] = [];
    const first = this.lines[this.pos] as Line;
    const node: LocNode = { loc: this.loc(first, 0), items };
    for (let line = this.lines[this.pos]; line && line.indent === indent && this.isSeqItem(line); line = this.lines[this.pos]) {
      let start = 1;
      while (line.text[start] === " ") start++;
      // `-` alone (an item on the next lines) is left to `yaml`.
      if (start >= line.text.length) return bail();
      const rest = line.text.slice(start);
      let child: YamlTree;
      if (BLOCK_KEY.test(rest) || rest === "-" || rest.startsWith("- ")) {
        // `- key: value` or `- - item`: a block collection that starts on this line,
        // read as if its first line began at the item's column.
        this.lines[this.pos] = { no: line.no, indent: indent + start, text: rest };
        child = this.block(indent + start);
      } else {
        this.pos++;
        child = this.inlineAll(line, start);
      }
      value.push(child.value);
      items.push(child.node);
    }
    this.end(indent);
    return { value, node };
  }

  /** After a collection at `indent`, the next line must belong to an enclosing one. */
  private end(indent: number): void {
    const next = this.lines[this.pos];
    if (next && next.indent > indent) bail();
  }

  /** A value that fills the rest of `line` from `offset`. */
  private inlineAll(line: Line, offset: number): YamlTree {
    const flow = new FlowReader(line.text, offset, (at) => this.loc(line, at));
    const result = flow.value(false);
    flow.skipSpaces();
    if (flow.at !== line.text.length) return bail();
    return result;
  }
}

/** One-line flow collections and scalars. */
class FlowReader {
  constructor(
    private readonly text: string,
    public at: number,
    private readonly loc: (offset: number) => SourceLocation,
  ) {}

  /** Moves past the characters `sticky` (a sticky regex) matches here. */
  private scan(sticky: RegExp): void {
    sticky.lastIndex = this.at;
    if (sticky.test(this.text)) this.at = sticky.lastIndex;
  }

  skipSpaces(): void {
    while (this.text[this.at] === " ") this.at++;
  }

  private depth = 0;

  value(inFlow: boolean): YamlTree {
    if (++this.depth > MAX_FLOW_DEPTH) return bail();
    try {
      return this.valueAt(inFlow);
    } finally {
      this.depth--;
    }
  }

  private valueAt(inFlow: boolean): YamlTree {
    this.skipSpaces();
    const c = this.text[this.at];
    if (c === "{") return this.map();
    if (c === "[") return this.seq();
    if (c === '"' || c === "'") return this.quoted(c);
    return this.plain(inFlow);
  }

  private map(): YamlTree {
    const loc = this.loc(this.at);
    this.at++;
    const value: Record<string, unknown> = {};
    const entries = new Map<string, LocEntry>();
    this.skipSpaces();
    if (this.text[this.at] === "}") {
      this.at++;
      return { value, node: { loc, entries } };
    }
    for (;;) {
      this.skipSpaces();
      const keyLoc = this.loc(this.at);
      const keyStart = this.at;
      this.scan(FLOW_KEY_CHARS);
      const keyText = trimSpacesEnd(this.text.slice(keyStart, this.at));
      // `key: value` with a space after the colon; anything else is left to `yaml`.
      if (keyText === "" || this.text[this.at] !== ":" || this.text[this.at + 1] !== " ") return bail();
      const keyValue = plainScalar(keyText);
      if (keyValue === null) return bail();
      const key = String(keyValue);
      if (entries.has(key) || key === "__proto__" || key === "<<") return bail();
      this.at++;
      const child = this.value(true);
      value[key] = child.value;
      entries.set(key, { key: keyLoc, value: child.node });
      this.skipSpaces();
      const next = this.text[this.at];
      this.at++;
      if (next === "}") return { value, node: { loc, entries } };
      if (next !== ",") return bail();
      this.skipSpaces();
      if (this.text[this.at] === "}") return bail(); // trailing comma
    }
  }

  private seq(): YamlTree {
    const loc = this.loc(this.at);
    this.at++;
    const value: unknown[] = [];
    const items: LocNode[] = [];
    this.skipSpaces();
    if (this.text[this.at] === "]") {
      this.at++;
      return { value, node: { loc, items } };
    }
    for (;;) {
      const child = this.value(true);
      value.push(child.value);
      items.push(child.node);
      this.skipSpaces();
      const next = this.text[this.at];
      this.at++;
      if (next === "]") return { value, node: { loc, items } };
      if (next !== ",") return bail();
      this.skipSpaces();
      if (this.text[this.at] === "]") return bail(); // trailing comma
    }
  }

  private quoted(quote: string): YamlTree {
    const loc = this.loc(this.at);
    const end = this.text.indexOf(quote, this.at + 1);
    if (end < 0) return bail();
    const body = this.text.slice(this.at + 1, end);
    // Escapes and doubled quotes are left to `yaml`.
    if (body.includes("\\") || this.text[end + 1] === quote) return bail();
    this.at = end + 1;
    return { value: body, node: { loc } };
  }

  private plain(inFlow: boolean): YamlTree {
    const loc = this.loc(this.at);
    const start = this.at;
    if (inFlow) this.scan(FLOW_PLAIN_CHARS);
    else this.at = this.text.length;
    const text = trimSpacesEnd(this.text.slice(start, this.at));
    if (text === "") return bail();
    return { value: plainScalar(text), node: { loc } };
  }
}
