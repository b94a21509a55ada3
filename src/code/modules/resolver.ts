// Module resolution through TypeScript's own resolver (paths, baseUrl, index
// files, `.js` specifiers naming `.ts` files, package.json exports/imports,
// node16/nodenext/bundler modes), behind caches: the file-system questions are
// answered once per path, and each (folder, specifier, mode) once per tsconfig.
import { realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { ts } from "ts-morph";

/** File-system answers shared by every resolver of one graph build. */
export class CachedFileSystem implements ts.ModuleResolutionHost {
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

  /** Follows symlinks so a workspace package linked into node_modules resolves to its own folder. */
  realpath(p: string): string {
    let v = this.realpaths.get(p);
    if (v === undefined) {
      try {
        v = realpathSync.native(p);
      } catch {
        v = p;
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

export function createResolver(options: ts.CompilerOptions, fs: CachedFileSystem): Resolver {
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
