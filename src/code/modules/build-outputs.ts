// Imports that land on build output are imports of the sources it is built
// from. A workspace package or a referenced project is usually imported
// through its package.json (`types`/`exports` naming `dist/index.d.ts` or
// `dist/index.js`); at run time that JavaScript is the package's own code, so
// a cycle through it is a cycle through its sources. TypeScript's language
// service does the same for project references (it reads the source of a
// referenced project's output), and, when the output is not built yet, answers
// as if the output existed: so do we, for every project that governs a file of
// the graph and writes its output to an `outDir` or `declarationDir`.
import { basename, dirname, join, relative, sep } from "node:path";
import type { CachedFileSystem } from "./resolver.js";
import { isDeclarationFile } from "./scan.js";
import type { LoadedTsconfig } from "./tsconfig.js";

/** Output extension -> the source extensions that compile to it, in TypeScript's order. */
const SOURCES_OF: ReadonlyArray<readonly [string, readonly string[]]> = [
  [".d.ts", [".ts", ".tsx", ".js", ".jsx"]],
  [".d.mts", [".mts", ".mjs"]],
  [".d.cts", [".cts", ".cjs"]],
  [".js", [".ts", ".tsx", ".js", ".jsx"]],
  [".jsx", [".tsx", ".jsx"]],
  [".mjs", [".mts", ".mjs"]],
  [".cjs", [".cts", ".cjs"]],
];

interface OutputProject {
  /** Real folders the sources are compiled from, most likely first. */
  sourceRoots: string[];
  /** Real paths of the graph files the project owns. */
  owned: ReadonlySet<string>;
}

export class BuildOutputs {
  /** Real output folder -> the projects writing to it. */
  private readonly byOutDir = new Map<string, OutputProject[]>();
  private readonly projectsOfDir = new Map<string, OutputProject[] | null>();

  /** `owned`: each tsconfig with the real paths of the graph files it governs. */
  constructor(
    private readonly fs: CachedFileSystem,
    owned: ReadonlyMap<LoadedTsconfig, ReadonlySet<string>>,
  ) {
    for (const [config, files] of owned) {
      const { outDir, declarationDir, rootDir } = config.options;
      if (!config.file || (outDir === undefined && declarationDir === undefined)) continue;
      // rootDir unset: TypeScript 5 compiles from the common folder of the sources, TypeScript 6
      // from the tsconfig's folder; a dist built by either maps back.
      const roots = rootDir !== undefined ? [rootDir] : [commonFolder([...files].filter((f) => !isDeclarationFile(f))), dirname(config.file)];
      const project: OutputProject = { sourceRoots: [...new Set(roots.filter((r): r is string => r !== undefined).map((r) => fs.realpath(r)))], owned: files };
      for (const out of new Set([outDir, declarationDir])) {
        if (out === undefined) continue;
        const real = fs.realpath(out);
        this.byOutDir.set(real, [...(this.byOutDir.get(real) ?? []), project]);
      }
    }
  }

  /**
   * A workspace package built by a bundler (tsup, esbuild, vite: no tsc `outDir`) by convention
   * compiles `src/` to `dist/`. Registered only where no tsconfig already names the output folder.
   */
  addConvention(outDir: string, sourceRoot: string, graphFiles: Iterable<string>): void {
    const out = this.fs.realpath(outDir);
    if (this.byOutDir.has(out)) return;
    const root = this.fs.realpath(sourceRoot);
    const owned = new Set<string>();
    for (const f of graphFiles) if (f.startsWith(root + sep)) owned.add(f);
    if (owned.size > 0) this.byOutDir.set(out, [{ sourceRoots: [root], owned }]);
  }

  get empty(): boolean {
    return this.byOutDir.size === 0;
  }

  /** The source file of the graph that the output file `real` (a real path, existing or not) is built from. */
  sourceOf(real: string): string | undefined {
    if (this.byOutDir.size === 0) return undefined;
    const sources = SOURCES_OF.find(([ext]) => real.endsWith(ext));
    if (!sources || this.projectsIn(dirname(real)) === null) return undefined;
    const [ext, sourceExts] = sources;
    for (let dir = dirname(real); ; dir = dirname(dir)) {
      for (const project of this.byOutDir.get(dir) ?? []) {
        const stem = relative(dir, real).slice(0, -ext.length);
        for (const root of project.sourceRoots) {
          for (const sourceExt of sourceExts) {
            const candidate = join(root, stem + sourceExt);
            if (project.owned.has(candidate)) return candidate;
          }
        }
      }
      if (dirname(dir) === dir) return undefined;
    }
  }

  /** Whether `path` would be an output file built from a source of the graph (it need not exist yet). */
  isVirtualOutput(path: string): boolean {
    if (this.byOutDir.size === 0 || !SOURCES_OF.some(([ext]) => path.endsWith(ext))) return false;
    const dirReal = this.fs.realpath(dirname(path));
    if (this.projectsIn(dirReal) === null) return false;
    return this.sourceOf(join(dirReal, basename(path))) !== undefined;
  }

  /** Whether `path` is an output folder of a project, or a folder inside one (built or not). */
  isOutputFolder(path: string): boolean {
    if (this.byOutDir.size === 0) return false;
    return this.projectsIn(this.fs.realpath(path)) !== null;
  }

  private projectsIn(realDir: string): OutputProject[] | null {
    let v = this.projectsOfDir.get(realDir);
    if (v === undefined) {
      v = this.byOutDir.get(realDir) ?? (dirname(realDir) === realDir ? null : this.projectsIn(dirname(realDir)));
      this.projectsOfDir.set(realDir, v);
    }
    return v;
  }
}

/** The deepest folder holding every file, or undefined for none. */
function commonFolder(files: string[]): string | undefined {
  if (files.length === 0) return undefined;
  let common = dirname(files[0] as string);
  for (const f of files) {
    while (!(f.startsWith(common.endsWith(sep) ? common : common + sep))) {
      const up = dirname(common);
      if (up === common) return common;
      common = up;
    }
  }
  return common;
}
