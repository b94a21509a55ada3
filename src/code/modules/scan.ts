// Which files are modules of the graph: TypeScript sources under the roots
// (JavaScript too where the governing tsconfig sets `allowJs`), never anything
// under node_modules or a dot-folder (.git, .next, .turbo, ...).
//
// Symbolic links are followed, because Node follows them: a module is loaded
// once per real path, whatever path named it. So each file is identified by its
// real path and listed once, under the path that reaches it without a link
// when there is one (otherwise the smallest linked path); a linked folder seen
// before (a loop, or a second link to it) is not walked again.
import { readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { dirname, join, sep } from "node:path";

const TS_FILE = /\.(?:ts|tsx|mts|cts)$/;
const JS_FILE = /\.(?:js|jsx|mjs|cjs)$/;
const DECLARATION_FILE = /\.d\.(?:ts|mts|cts)$|\.d\.[^/\\]+\.ts$/;

export const isTypeScriptFile = (f: string) => TS_FILE.test(f);
export const isJavaScriptFile = (f: string) => JS_FILE.test(f);
/** `x.d.ts`, `x.d.mts`, `x.d.cts` and `x.d.json.ts`-style declaration files: types only, no runtime code. */
export const isDeclarationFile = (f: string) => DECLARATION_FILE.test(f);

const ALWAYS_SKIPPED_FOLDER = (name: string) => name === "node_modules" || name.startsWith(".");
const NODE_MODULES = `${sep}node_modules${sep}`;

export interface ScanOptions {
  /** Whether the JavaScript file `file` counts (its tsconfig sets allowJs). */
  includeJs(file: string): boolean;
  /** More folder names to leave out, wherever they are below the root. */
  skipFolder?(name: string): boolean;
  /** File names to leave out. */
  skipFile?(name: string): boolean;
}

export interface ScannedFile {
  /** The path under the root the file is listed by. */
  path: string;
  /** Its real path (symbolic links resolved). */
  real: string;
}

interface Pending {
  path: string;
  real: string;
}

/** Every source file under `root` (or `root` itself), each once, sorted by path. */
export function scanSourceFiles(root: string, options: ScanOptions): ScannedFile[] {
  const rootStat = statSync(root, { throwIfNoEntry: false });
  if (!rootStat) return [];
  const rootReal = realpathSync.native(root);
  const accepts = (path: string, name: string) =>
    !options.skipFile?.(name) && (TS_FILE.test(name) || (JS_FILE.test(name) && options.includeJs(path)));
  if (rootStat.isFile()) {
    // A single-file root (a spec may name one module as a service's code).
    return accepts(root, root.slice(dirname(root).length + 1)) ? [{ path: root, real: rootReal }] : [];
  }
  const skipFolder = (name: string) => ALWAYS_SKIPPED_FOLDER(name) || options.skipFolder?.(name) === true;
  const byReal = new Map<string, string>();
  const walked = new Set<string>();
  const links: Pending[] = [];

  // Everything reachable without a link first, so those paths name their files whatever order
  // readdir returns; then the links, smallest path first, each folder walked once.
  const walk = (start: Pending) => {
    const stack = [start];
    while (stack.length > 0) {
      const { path: dir, real: dirReal } = stack.pop()!;
      if (walked.has(dirReal)) continue;
      walked.add(dirReal);
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable folder: nothing of it can be analysed
      }
      for (const e of entries) {
        const path = join(dir, e.name);
        if (e.isDirectory()) {
          if (!skipFolder(e.name)) stack.push({ path, real: join(dirReal, e.name) });
        } else if (e.isFile()) {
          if (accepts(path, e.name)) add(path, join(dirReal, e.name));
        } else if (e.isSymbolicLink()) {
          links.push({ path, real: "" });
        }
      }
    }
  };
  // First come, first named: plain paths come before linked ones, linked ones in order.
  const add = (path: string, real: string) => {
    if (!byReal.has(real)) byReal.set(real, path);
  };

  walk({ path: root, real: rootReal });
  while (links.length > 0) {
    links.sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
    const { path } = links.pop()!;
    const name = path.slice(dirname(path).length + 1);
    const target = statSync(path, { throwIfNoEntry: false });
    if (!target) continue; // dangling link
    let real: string;
    try {
      real = realpathSync.native(path);
    } catch {
      continue;
    }
    if (real.includes(NODE_MODULES) && !rootReal.includes(NODE_MODULES)) continue;
    if (target.isDirectory()) {
      // A link to the root or a folder above it leads back into the root: a loop.
      const loop = rootReal === real || rootReal.startsWith(real.endsWith(sep) ? real : real + sep);
      if (!loop && !skipFolder(name)) walk({ path, real });
    } else if (target.isFile() && accepts(path, name)) {
      add(path, real);
    }
  }
  return [...byReal].map(([real, path]) => ({ path, real })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
