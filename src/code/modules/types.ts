// The module import graph of a TypeScript code base, as extracted from source
// text: the contract between extraction (this folder), `archverify cycles` and
// the code rules of `check`.

/** How an import was written; `kind` is for display, `typeOnly` decides the analysis. */
export type ImportKind =
  | "import" // import ... from "x" / import "x"
  | "export" // export ... from "x" / export * from "x"
  | "import-equals" // import x = require("x")
  | "dynamic-import" // import("x")
  | "require" // require("x")
  | "import-type"; // import("x").T in a type position

/** One import as written in a file, before resolution. */
export interface ImportRef {
  specifier: string;
  kind: ImportKind;
  /** Erased from the emitted JavaScript: it cannot take part in a runtime cycle. */
  typeOnly: boolean;
  /** 1-based position of the statement or call that imports. */
  line: number;
  column: number;
}

/** A resolved import between two files of the graph. */
export interface ModuleEdge {
  /** Absolute paths. */
  from: string;
  to: string;
  /** True only when every import of `to` in `from` is type-only. */
  typeOnly: boolean;
  /** The first runtime import of `to` in `from` (the first import at all when type-only). */
  line: number;
  column: number;
  kind: ImportKind;
  specifier: string;
}

/** An import of code of the project (relative, `#imports`, a `paths` alias) that names no file. */
export interface UnresolvedImport {
  from: string;
  specifier: string;
  line: number;
  column: number;
}

export interface ModuleGraph {
  /** Absolute folders the files were collected from. */
  roots: string[];
  /** Absolute paths, sorted; a file reached by several paths (symbolic links) is listed once. */
  files: string[];
  /** Sorted by (from, to); at most one edge per ordered pair. */
  edges: ModuleEdge[];
  /** Imports that resolved outside the graph (packages, files outside the roots) or not at all. */
  external: number;
  unresolved: number;
  /** The unresolved imports that should have named a file of the code base, in file order:
   * each may hide an edge. Unresolved package names are not listed. */
  unresolvedLocal: UnresolvedImport[];
  /** Milliseconds per stage (shown by `archverify cycles --debug`). */
  timings: { scanMs: number; extractMs: number; resolveMs: number };
}
