// Which files are modules of the graph: TypeScript sources under the roots
// (JavaScript too where the governing tsconfig sets `allowJs`), never anything
// under node_modules or a dot-folder (.git, .next, .turbo, ...).
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

const TS_FILE = /\.(?:ts|tsx|mts|cts)$/;
const JS_FILE = /\.(?:js|jsx|mjs|cjs)$/;
const DECLARATION_FILE = /\.d\.(?:ts|mts|cts)$|\.d\.[^/\\]+\.ts$/;

export const isTypeScriptFile = (f: string) => TS_FILE.test(f);
export const isJavaScriptFile = (f: string) => JS_FILE.test(f);
/** `x.d.ts`, `x.d.mts`, `x.d.cts` and `x.d.json.ts`-style declaration files: types only, no runtime code. */
export const isDeclarationFile = (f: string) => DECLARATION_FILE.test(f);

const SKIPPED_FOLDER = (name: string) => name === "node_modules" || name.startsWith(".");

/** Every candidate source file under `root` (absolute paths, unsorted); `allowJs(dir)` says whether JS files count there. */
export function scanSourceFiles(root: string, allowJs: (dir: string) => boolean): string[] {
  const files: string[] = [];
  if (statSync(root, { throwIfNoEntry: false })?.isFile()) {
    // A single-file root (a spec may name one module as a service's code).
    return TS_FILE.test(root) || (JS_FILE.test(root) && allowJs(dirname(root))) ? [root] : [];
  }
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: nothing of it can be analysed
    }
    let js: boolean | undefined;
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_FOLDER(e.name)) stack.push(full);
      } else if (e.isFile()) {
        if (TS_FILE.test(e.name)) files.push(full);
        else if (JS_FILE.test(e.name) && (js ??= allowJs(dir))) files.push(full);
      }
    }
  }
  return files;
}
