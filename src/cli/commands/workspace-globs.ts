// Workspace globs as npm, yarn and pnpm read them (package.json `workspaces`,
// pnpm-workspace.yaml `packages`): `*`, `**`, `?`, `{a,b}`, `[abc]`, and `!`
// before a glob to exclude what it matches. An excluded folder is excluded
// whatever the order of the globs, as pnpm does (npm applies them in order;
// the two agree unless a later glob re-includes an excluded folder, which no
// real workspace does on purpose).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export interface WorkspaceGlobs {
  include: string[];
  exclude: RegExp[];
}

/** Folder names never searched for packages. */
const SKIP = new Set(["node_modules", "dist", "build", "coverage", ".git"]);
/** How deep below its literal prefix a `**` glob looks for packages. */
const MAX_GLOBSTAR_DEPTH = 4;

/** Strips `./`, trailing slashes and a trailing `/package.json` (yarn allows globs of the file). */
const normalise = (glob: string) =>
  glob
    .trim()
    .replace(/^(\.\/)+/, "")
    .replace(/\/package\.json$/, "")
    .replace(/\/+$/, "");

export function parseWorkspaceGlobs(globs: readonly string[]): WorkspaceGlobs {
  const include: string[] = [];
  const exclude: RegExp[] = [];
  for (const raw of globs) {
    const negated = /^\s*!/.test(raw);
    const glob = normalise(negated ? raw.replace(/^\s*!/, "") : raw);
    if (glob === "") continue;
    if (negated) exclude.push(globToRegExp(glob));
    else include.push(glob);
  }
  return { include, exclude };
}

/** Whether a slash-separated folder path (from the root) is excluded by a `!` glob. */
export function isExcluded(globs: WorkspaceGlobs, folder: string): boolean {
  return globs.exclude.some((re) => re.test(folder));
}

/**
 * A glob as a regular expression over slash-separated paths: `**` any number of
 * folders (none included), `*` and `?` within one folder name, `{a,b}` alternatives,
 * `[...]` a character class; everything else literal.
 */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const atStart = i === 0 || glob[i - 1] === "/";
        const atEnd = i + 2 === glob.length || glob[i + 2] === "/";
        if (atStart && atEnd) {
          // `**/` matches zero or more whole folders; a final `**` anything below
          if (glob[i + 2] === "/") {
            re += "(?:[^/]+/)*";
            i += 2;
          } else {
            re += ".*";
            i += 1;
          }
          continue;
        }
      }
      re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      braces++;
      re += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (c === "," && braces > 0) re += "|";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        // a class stands for one character of a folder name, never the separator
        re += body.startsWith("!") || body.startsWith("^") ? `[^/${body.slice(1)}]` : `(?!/)[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\\]}]/g, "\\$&");
  }
  while (braces-- > 0) re += ")";
  return new RegExp(`^${re}$`);
}

/**
 * The folders (absolute) an include glob names. A glob without `**` names the folders its
 * pattern matches; one with `**` names only those holding a package.json, or every folder
 * below would be a package.
 */
export function expandWorkspaceGlob(root: string, glob: string, globs: WorkspaceGlobs): string[] {
  const segments = glob.split("/");
  const firstMagic = segments.findIndex((s) => /[*?{[]/.test(s));
  if (firstMagic < 0) {
    const dir = join(root, glob);
    return isDirectory(dir) && !isExcluded(globs, glob) ? [dir] : [];
  }
  const prefix = segments.slice(0, firstMagic).join("/");
  const globstar = segments.includes("**");
  const maxDepth = globstar ? segments.length - firstMagic + MAX_GLOBSTAR_DEPTH : segments.length - firstMagic;
  const re = globToRegExp(glob);
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    if (depth > 0 && re.test(rel) && !isExcluded(globs, rel) && (!globstar || existsSync(join(root, rel, "package.json")))) out.push(join(root, rel));
    if (depth >= maxDepth) return;
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (!e.isDirectory() || e.name.startsWith(".") || SKIP.has(e.name)) continue;
      walk(rel === "" ? e.name : `${rel}/${e.name}`, depth + 1);
    }
  };
  if (prefix === "" || isDirectory(join(root, prefix))) walk(prefix, 0);
  return out;
}

const isDirectory = (p: string) => existsSync(p) && statSync(p).isDirectory();
