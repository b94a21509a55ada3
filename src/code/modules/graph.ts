// Builds the module graph of one or more source folders: scan, parse each file
// once, resolve each specifier through a cached resolver, keep the edges whose
// both ends are files of the graph.
import { readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, resolve, sep } from "node:path";
import { extractImports } from "./imports.js";
import { CachedFileSystem, createResolver, type ImportMode, type Resolver } from "./resolver.js";
import { isDeclarationFile, scanSourceFiles } from "./scan.js";
import { DEFAULT_TSCONFIG, findTsconfigUpward, loadTsconfig, type LoadedTsconfig } from "./tsconfig.js";
import type { ImportKind, ModuleEdge, ModuleGraph } from "./types.js";

export interface BuildOptions {
  /** Folders whose files make up the graph. */
  roots: string[];
  /** One tsconfig for every file. Without it each file uses the nearest
   * tsconfig.json in its folder or above (monorepo packages keep their own `paths`). */
  tsconfig?: string;
}

interface Config {
  tsconfig: LoadedTsconfig;
  resolver: Resolver;
}

const MODE: Record<ImportKind, ImportMode> = {
  import: "static",
  export: "static",
  "import-type": "static",
  "import-equals": "require",
  require: "require",
  "dynamic-import": "dynamic",
};

const inNodeModules = (f: string) => f.includes(`${sep}node_modules${sep}`);

export function buildModuleGraph(options: BuildOptions): ModuleGraph {
  const roots = [...new Set(options.roots.map((r) => resolve(r)))].sort();
  const fs = new CachedFileSystem();
  const known = new Set<string>();
  const configs = configLookup(fs, options.tsconfig, known);

  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  const fileSet = known;
  for (const root of roots) {
    for (const f of scanSourceFiles(root, (dir) => configs(dir).tsconfig.options.allowJs === true)) fileSet.add(f);
  }
  const files = [...fileSet].sort();
  const scanMs = lap();
  let extractMs = 0;

  const edges = new Map<string, ModuleEdge>();
  let external = 0;
  let unresolved = 0;
  for (const from of files) {
    const config = configs(dirname(from));
    const declaration = isDeclarationFile(from);
    const before = performance.now();
    const imports = extractImports(from, readFileSync(from, "utf8"), {
      verbatimModuleSyntax: config.tsconfig.options.verbatimModuleSyntax === true,
    });
    extractMs += performance.now() - before;
    for (const imp of imports) {
      if (isBuiltin(imp.specifier)) {
        external++;
        continue;
      }
      const target = config.resolver.resolve(imp.specifier, from, MODE[imp.kind]);
      if (target === undefined) {
        unresolved++;
        continue;
      }
      const to = resolve(target);
      if (!fileSet.has(to) || inNodeModules(to)) {
        external++;
        continue;
      }
      // A declaration file has no runtime code: nothing it imports is loaded at run time.
      const typeOnly = imp.typeOnly || declaration;
      const key = `${from}\0${to}`;
      const seen = edges.get(key);
      if (!seen) {
        edges.set(key, { from, to, typeOnly, line: imp.line, column: imp.column, kind: imp.kind, specifier: imp.specifier });
      } else if (seen.typeOnly && !typeOnly) {
        edges.set(key, { from, to, typeOnly: false, line: imp.line, column: imp.column, kind: imp.kind, specifier: imp.specifier });
      }
    }
  }
  const sorted = [...edges.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
  const resolveMs = lap() - extractMs;
  return { roots, files, edges: sorted, external, unresolved, timings: { scanMs, extractMs, resolveMs } };
}

function configLookup(fs: CachedFileSystem, explicit: string | undefined, known: ReadonlySet<string>): (dir: string) => Config {
  const byFile = new Map<string, Config>();
  const make = (tsconfig: LoadedTsconfig): Config => ({ tsconfig, resolver: createResolver(tsconfig.options, fs, known) });
  if (explicit !== undefined) {
    const only = make(loadTsconfig(explicit));
    return () => only;
  }
  const byDir = new Map<string, Config>();
  return (dir) => {
    let c = byDir.get(dir);
    if (!c) {
      const file = findTsconfigUpward(dir);
      const key = file ?? "";
      c = byFile.get(key);
      if (!c) {
        c = make(file === undefined ? DEFAULT_TSCONFIG : loadTsconfig(file));
        byFile.set(key, c);
      }
      byDir.set(dir, c);
    }
    return c;
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
