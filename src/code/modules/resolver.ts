// Module resolution through TypeScript's own resolver (paths, baseUrl, index
// files, `.js` specifiers naming `.ts` files, package.json exports/imports,
// node16/nodenext/bundler modes), behind caches: the file-system questions are
// answered once per path, and each (folder, specifier, mode) once per tsconfig.
import { realpathSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ts } from "ts-morph";

/** What resolution asks of the file system. */
export interface ModuleHost extends ts.ModuleResolutionHost {
  fileExists(f: string): boolean;
  directoryExists(d: string): boolean;
  realpath(p: string): string;
  getCurrentDirectory(): string;
  useCaseSensitiveFileNames: boolean;
}

/** File-system answers shared by every resolver of one graph build. */
export class CachedFileSystem implements ModuleHost {
  private readonly files = new Map<string, boolean>();
  private readonly dirs = new Map<string, boolean>();
  private readonly realpaths = new Map<string, string>();
  readonly useCaseSensitiveFileNames = ts.sys.useCaseSensitiveFileNames;

  constructor(known: Iterable<string> = []) {
    for (const f of known) this.files.set(f, true);
  }

  fileExists(f: string): boolean {
    let v = this.files.get(f);
    if (v === undefined) {
      v = statSync(f, { throwIfNoEntry: false })?.isFile() ?? false;
      this.files.set(f, v);
    }
    return v;
  }

  directoryExists(d: string): boolean {
    let v = this.dirs.get(d);
    if (v === undefined) {
      v = statSync(d, { throwIfNoEntry: false })?.isDirectory() ?? false;
      this.dirs.set(d, v);
    }
    return v;
  }

  /** Follows symlinks so a workspace package linked into node_modules resolves to its own folder.
   * A path that does not exist (build output not built yet) keeps its name under its real folder. */
  realpath(p: string): string {
    let v = this.realpaths.get(p);
    if (v === undefined) {
      try {
        v = realpathSync.native(p);
      } catch {
        const parent = dirname(p);
        v = parent === p ? p : join(this.realpath(parent), basename(p));
      }
      this.realpaths.set(p, v);
    }
    return v;
  }

  readFile(f: string): string | undefined {
    return ts.sys.readFile(f);
  }

  getCurrentDirectory(): string {
    return process.cwd();
  }
}

/** `static`: import/export declarations; `require`: require() and import x = require(); `dynamic`: import(). */
export type ImportMode = "static" | "require" | "dynamic";

export interface Resolver {
  /** The absolute file `specifier` names from `containingFile`, or undefined when it names nothing. */
  resolve(specifier: string, containingFile: string, mode: ImportMode): string | undefined;
}

/**
 * `known`: the source files of the graph. With it, relative specifiers under
 * bundler/node10 resolution are answered by probing TypeScript's candidates in
 * TypeScript's order against that set (see `relativeCandidates`): the same
 * answer without the cost of TypeScript's resolver, which dominates a cold run
 * on large code bases. Anything unusual goes to TypeScript.
 */
export function createResolver(options: ts.CompilerOptions, fs: ModuleHost, known?: ReadonlySet<string>): Resolver {
  const fastRelative = known !== undefined && supportsFastRelative(options);
  const cache = ts.createModuleResolutionCache(fs.getCurrentDirectory(), (f) => (fs.useCaseSensitiveFileNames ? f : f.toLowerCase()), options);
  const nodeModes = usesNodeModes(options);
  const memo = new Map<string, string | undefined>();
  const formats = new Map<string, ts.ResolutionMode>();

  // In node16/nodenext the mode of a static import follows the importing file
  // (ESM unless .cts/.cjs or a "type": "commonjs" package); require() is CommonJS
  // and import() is ESM wherever they are written.
  const modeOf = (containingFile: string, mode: ImportMode): ts.ResolutionMode => {
    if (!nodeModes) return undefined;
    if (mode === "require") return ts.ModuleKind.CommonJS;
    if (mode === "dynamic") return ts.ModuleKind.ESNext;
    let format = formats.get(containingFile);
    if (!formats.has(containingFile)) {
      format = ts.getImpliedNodeFormatForFile(containingFile, cache.getPackageJsonInfoCache(), fs, options);
      formats.set(containingFile, format);
    }
    return format;
  };

  return {
    resolve(specifier, containingFile, mode) {
      const resolutionMode = modeOf(containingFile, mode);
      const key = `${dirname(containingFile)}\0${specifier}\0${resolutionMode ?? ""}`;
      if (memo.has(key)) return memo.get(key);
      if (fastRelative && (specifier.startsWith("./") || specifier.startsWith("../"))) {
        const hit = probeRelative(join(dirname(containingFile), specifier), known as ReadonlySet<string>, fs);
        if (hit !== undefined) {
          memo.set(key, hit);
          return hit;
        }
      }
      const result = ts.resolveModuleName(specifier, containingFile, options, fs, cache, undefined, resolutionMode);
      const file = result.resolvedModule?.resolvedFileName;
      memo.set(key, file);
      return file;
    },
  };
}

/** node16/nodenext resolution, set or implied by `module: node16..nodenext` (tsc's own default). */
function usesNodeModes(options: ts.CompilerOptions): boolean {
  const kind = options.moduleResolution;
  if (kind !== undefined) return kind === ts.ModuleResolutionKind.Node16 || kind === ts.ModuleResolutionKind.NodeNext;
  const m = options.module;
  return m !== undefined && m >= ts.ModuleKind.Node16 && m <= ts.ModuleKind.NodeNext;
}

function supportsFastRelative(o: ts.CompilerOptions): boolean {
  const kind = o.moduleResolution;
  return (
    (kind === ts.ModuleResolutionKind.Bundler || kind === ts.ModuleResolutionKind.Node10) &&
    o.rootDirs === undefined &&
    o.moduleSuffixes === undefined &&
    o.preserveSymlinks !== true
  );
}

/**
 * TypeScript's first pass for a relative specifier under bundler/node10: the
 * TypeScript and declaration files, then the folder's index (a folder with a
 * package.json goes to TypeScript, which reads its `types`). JavaScript and
 * JSON come only in TypeScript's later passes, so a miss here is handed over.
 */
export function relativeCandidates(base: string): { files: string[]; folder?: string } {
  const ext = /\.(?:d\.[mc]?ts|[mc]?tsx?|[mc]?jsx?|json)$/.exec(base)?.[0];
  if (ext === undefined) return { files: [`${base}.ts`, `${base}.tsx`, `${base}.d.ts`], folder: base };
  const stem = base.slice(0, -ext.length);
  switch (ext) {
    case ".js":
      return { files: [`${stem}.ts`, `${stem}.tsx`, `${stem}.d.ts`] };
    case ".mjs":
      return { files: [`${stem}.mts`, `${stem}.d.mts`] };
    case ".cjs":
      return { files: [`${stem}.cts`, `${stem}.d.cts`] };
    case ".ts":
    case ".tsx":
    case ".mts":
    case ".cts":
    case ".d.ts":
    case ".d.mts":
    case ".d.cts":
      return { files: [base] };
    default:
      return { files: [] }; // .jsx, .json: TypeScript decides
  }
}

/** The first candidate that is a file of the graph, or undefined (TypeScript then decides) when an
 * earlier candidate exists outside the graph or none is found. */
function probeRelative(base: string, known: ReadonlySet<string>, fs: ModuleHost): string | undefined {
  const { files, folder } = relativeCandidates(base);
  for (const f of files) {
    if (known.has(f)) return f;
    if (fs.fileExists(f)) return undefined;
  }
  if (folder === undefined || fs.fileExists(join(folder, "package.json"))) return undefined;
  for (const f of [join(folder, "index.ts"), join(folder, "index.tsx"), join(folder, "index.d.ts")]) {
    if (known.has(f)) return f;
    if (fs.fileExists(f)) return undefined;
  }
  return undefined;
}
