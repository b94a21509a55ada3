// Builds the module graph of one or more source folders: scan, parse each file
// once, resolve each specifier through a cached resolver, keep the edges whose
// both ends are files of the graph.
//
// Files are identified by their real path, as Node loads them: a file reached
// through a symbolic link, a workspace package linked into node_modules, or
// the build output of a project of the graph (mapped back to its source) is
// the same module as the file itself.
import { readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join, resolve } from "node:path";
import { ts } from "ts-morph";
import { BuildOutputs } from "./build-outputs.js";
import { extractImports } from "./imports.js";
import { ProjectIndex } from "./projects.js";
import { OverlayHost } from "./overlay-host.js";
import { CachedFileSystem, createResolver, type ImportMode, type ModuleHost, type Resolver } from "./resolver.js";
import { isDeclarationFile, scanSourceFiles, type ScannedFile } from "./scan.js";
import type { LoadedTsconfig } from "./tsconfig.js";
import type { ImportKind, ImportRef, ModuleEdge, ModuleGraph, UnresolvedImport } from "./types.js";
import { findWorkspaces, WorkspaceLinks } from "./workspaces.js";

export interface BuildOptions {
  /** Folders whose files make up the graph. */
  roots: string[];
  /** One tsconfig for every file. Without it each file uses the nearest
   * tsconfig.json in its folder or above (monorepo packages keep their own `paths`),
   * or the project its `references` lead to that includes the file. */
  tsconfig?: string;
  /** Folder names left out wherever they are (besides node_modules and dot-folders). */
  skipFolder?(name: string): boolean;
  /** File names left out. */
  skipFile?(name: string): boolean;
}

const MODE: Record<ImportKind, ImportMode> = {
  import: "static",
  export: "static",
  "import-type": "static",
  "import-equals": "require",
  require: "require",
  "dynamic-import": "dynamic",
};

export function buildModuleGraph(options: BuildOptions): ModuleGraph {
  const roots = [...new Set(options.roots.map((r) => resolve(r)))].sort();
  const projects = new ProjectIndex(options.tsconfig);

  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  const scanned = scanRoots(roots, projects, options);
  const files = scanned.map((f) => f.path);
  /** Real path -> the path the graph lists the file by. */
  const listedAs = new Map<string, string>();
  /** Any path a scanned file was found by -> its real path. */
  const realOf = new Map<string, string>();
  const owned = new Map<LoadedTsconfig, Set<string>>();
  for (const f of scanned) {
    listedAs.set(f.real, f.path);
    realOf.set(f.path, f.real);
    realOf.set(f.real, f.real);
    const config = projects.configOf(f.path);
    let set = owned.get(config);
    if (!set) owned.set(config, (set = new Set()));
    set.add(f.real);
  }
  const known = new Set(realOf.keys());
  const fs = new CachedFileSystem(known);
  const outputs = new BuildOutputs(fs, owned);
  const workspaces = findWorkspaces(roots);
  for (const w of workspaces) for (const dir of w.packages.values()) outputs.addConvention(join(dir, "dist"), join(dir, "src"), listedAs.keys());
  const links = workspaces.length > 0 ? new WorkspaceLinks(workspaces, (p) => fs.directoryExists(p)) : undefined;
  const host: ModuleHost = links || !outputs.empty ? new OverlayHost(fs, links, outputs.empty ? undefined : outputs) : fs;
  const resolvers = new Map<LoadedTsconfig, Resolver>();
  const resolverOf = (config: LoadedTsconfig) => {
    let r = resolvers.get(config);
    if (!r) resolvers.set(config, (r = createResolver(config.options, host, known)));
    return r;
  };
  /** The file of the graph a resolved path names, if any. */
  const graphFile = (target: string): string | undefined => {
    const real = realOf.get(target) ?? host.realpath(target);
    return listedAs.get(outputs.sourceOf(real) ?? real);
  };
  const scanMs = lap();
  let extractMs = 0;

  const edges = new Map<string, ModuleEdge>();
  let external = 0;
  const unresolved: UnresolvedImport[] = [];
  let unresolvedCount = 0;
  for (const { path: from, real } of scanned) {
    const config = projects.configOf(from);
    const declaration = isDeclarationFile(from);
    const before = performance.now();
    const imports = extractImports(from, readFileSync(real, "utf8"), {
      verbatimModuleSyntax: config.options.verbatimModuleSyntax === true,
    });
    extractMs += performance.now() - before;
    const resolver = resolverOf(config);
    for (const imp of imports) {
      // A built-in's name is a module of the graph only where paths/baseUrl map it to one (an
      // events/ or util/ folder under baseUrl); `node:` always names the built-in.
      const builtin = isBuiltin(imp.specifier);
      if (builtin && (imp.specifier.startsWith("node:") || !mapsBareNames(config.options))) {
        external++;
        continue;
      }
      // Resolved from the file's real path, as Node does: `../x` in a linked folder means the target's sibling.
      const target = resolver.resolve(imp.specifier, real, MODE[imp.kind]);
      if (target === undefined) {
        if (builtin) external++;
        else {
          unresolvedCount++;
          if (isLocalSpecifier(imp.specifier, config.options)) unresolved.push({ from, specifier: imp.specifier, line: imp.line, column: imp.column });
        }
        continue;
      }
      const to = graphFile(target);
      if (to === undefined) {
        external++;
        continue;
      }
      addEdge(edges, from, to, imp, declaration);
    }
  }
  const sorted = [...edges.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
  const resolveMs = lap() - extractMs;
  return { roots, files, edges: sorted, external, unresolved: unresolvedCount, unresolvedLocal: unresolved, timings: { scanMs, extractMs, resolveMs } };
}

function scanRoots(roots: string[], projects: ProjectIndex, options: BuildOptions): ScannedFile[] {
  const byReal = new Map<string, ScannedFile>();
  for (const root of roots) {
    const found = scanSourceFiles(root, {
      includeJs: (file) => projects.configOf(file).options.allowJs === true,
      ...(options.skipFolder ? { skipFolder: options.skipFolder } : {}),
      ...(options.skipFile ? { skipFile: options.skipFile } : {}),
    });
    // Roots are taken in sorted order, so a file under two roots keeps one name whatever the order given.
    for (const f of found) if (!byReal.has(f.real)) byReal.set(f.real, f);
  }
  return [...byReal.values()].sort((a, b) => compare(a.path, b.path));
}

function addEdge(edges: Map<string, ModuleEdge>, from: string, to: string, imp: ImportRef, declaration: boolean): void {
  // A declaration file has no runtime code: nothing it imports is loaded at run time.
  const typeOnly = imp.typeOnly || declaration;
  const key = `${from}\0${to}`;
  const seen = edges.get(key);
  if (!seen || (seen.typeOnly && !typeOnly)) {
    edges.set(key, { from, to, typeOnly, line: imp.line, column: imp.column, kind: imp.kind, specifier: imp.specifier });
  }
}

/** Whether a bare name can name a file of the code base under these options. */
function mapsBareNames(options: ts.CompilerOptions): boolean {
  return options.paths !== undefined || options.baseUrl !== undefined;
}

/**
 * Relative and absolute specifiers, `#imports`, those a `paths` pattern
 * matches and the usual alias prefixes that no npm package can start with
 * (`@/`, `~/`) name code of the project: when one does not resolve, a part of
 * the graph may be missing. A bare package name that does not resolve is only
 * a dependency that is not installed.
 */
function isLocalSpecifier(specifier: string, options: ts.CompilerOptions): boolean {
  if (/^(?:\.|\/|#|@\/|~\/)/.test(specifier)) return true;
  for (const pattern of Object.keys(options.paths ?? {})) {
    const star = pattern.indexOf("*");
    if (star < 0 ? specifier === pattern : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)) && specifier.length >= pattern.length - 1) return true;
  }
  return false;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
