// Workspace packages (npm/yarn `workspaces` in package.json, pnpm's
// pnpm-workspace.yaml) are imported by name. Once installed, node_modules holds
// a link to each and TypeScript follows it; before `npm install`, or in a
// checkout whose node_modules lacks the links, the import would not resolve and
// a cycle between packages would go unseen. So the resolution host answers for
// the missing `<workspace root>/node_modules/<name>` as the package manager
// would link it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";

export interface Workspace {
  /** Absolute folder of the package.json or pnpm-workspace.yaml that lists the packages. */
  root: string;
  /** Package name -> its folder. */
  packages: Map<string, string>;
}

/** The workspace around each root (the nearest folder at or above it that declares one), once each. */
export function findWorkspaces(roots: readonly string[]): Workspace[] {
  const found = new Map<string, Workspace>();
  for (const root of roots) {
    for (let dir = isFolder(root) ? root : dirname(root); ; dir = dirname(dir)) {
      const patterns = workspacePatterns(dir);
      if (patterns !== undefined) {
        if (!found.has(dir)) found.set(dir, { root: dir, packages: expandPackages(dir, patterns) });
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return [...found.values()].filter((w) => w.packages.size > 0);
}

function workspacePatterns(dir: string): string[] | undefined {
  const pnpm = readText(join(dir, "pnpm-workspace.yaml"));
  if (pnpm !== undefined) {
    const doc = safe(() => parseYaml(pnpm) as { packages?: unknown } | null);
    return strings(doc?.packages);
  }
  const pkg = readText(join(dir, "package.json"));
  if (pkg === undefined) return undefined;
  const json = safe(() => JSON.parse(pkg) as { workspaces?: unknown });
  const ws = json?.workspaces;
  if (ws === undefined) return undefined;
  return Array.isArray(ws) ? strings(ws) : strings((ws as { packages?: unknown } | null)?.packages);
}

/** Folders matching the patterns (`*`, `**`, `!exclusions`) that hold a package.json with a name. */
function expandPackages(root: string, patterns: string[]): Map<string, string> {
  const include = patterns.filter((p) => !p.startsWith("!")).map(toRegExp);
  const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => toRegExp(p.slice(1)));
  const deep = patterns.some((p) => p.includes("**"));
  const maxDepth = deep ? 8 : Math.max(0, ...patterns.map((p) => p.split("/").filter(Boolean).length));
  const packages = new Map<string, string>();
  const walk = (dir: string, rel: string, depth: number) => {
    if (rel !== "" && include.some((r) => r.test(rel)) && !exclude.some((r) => r.test(rel))) {
      const name = packageName(dir);
      if (name !== undefined && !packages.has(name)) packages.set(name, dir);
    }
    if (depth >= maxDepth) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === "node_modules" || e.name.startsWith(".") || !(e.isDirectory() || (e.isSymbolicLink() && isFolder(join(dir, e.name))))) continue;
      walk(join(dir, e.name), rel === "" ? e.name : `${rel}/${e.name}`, depth + 1);
    }
  };
  walk(root, "", 0);
  return packages;
}

function toRegExp(pattern: string): RegExp {
  const p = pattern.replace(/^\.\//, "").replace(/\/+$/, "");
  let body = "";
  for (let i = 0; i < p.length; ) {
    if (p.startsWith("**/", i)) {
      body += "(?:[^/]+/)*";
      i += 3;
    } else if (p.startsWith("**", i)) {
      body += ".*";
      i += 2;
    } else if (p[i] === "*") {
      body += "[^/]*";
      i++;
    } else if (p[i] === "?") {
      body += "[^/]";
      i++;
    } else {
      body += (p[i] as string).replace(/[.+^${}()|[\]\\]/g, "\\$&");
      i++;
    }
  }
  return new RegExp(`^${body}$`);
}

function packageName(dir: string): string | undefined {
  const text = readText(join(dir, "package.json"));
  const name = text === undefined ? undefined : safe(() => (JSON.parse(text) as { name?: unknown }).name);
  return typeof name === "string" && name !== "" ? name : undefined;
}

/** Answers for the links a package manager would put in the workspace root's node_modules. */
export class WorkspaceLinks {
  private readonly scopes = new Set<string>();

  constructor(
    private readonly workspaces: readonly Workspace[],
    private readonly linkExists: (path: string) => boolean,
  ) {
    for (const w of workspaces) for (const name of w.packages.keys()) if (name.startsWith("@")) this.scopes.add(join(w.root, "node_modules", name.split("/")[0] as string));
  }

  /** The package path a missing `<root>/node_modules/<name>/...` stands for; undefined for any other path. */
  translate(path: string): string | undefined {
    for (const w of this.workspaces) {
      const prefix = join(w.root, "node_modules") + "/";
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const parts = rest.split("/");
      const name = rest.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
      const dir = w.packages.get(name);
      if (dir === undefined || this.linkExists(prefix + name)) return undefined;
      return dir + rest.slice(name.length);
    }
    return undefined;
  }

  /** `<root>/node_modules` and its `@scope` folders exist as far as resolution is concerned. */
  isVirtualFolder(path: string): boolean {
    return this.workspaces.some((w) => path === join(w.root, "node_modules")) || this.scopes.has(path);
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function isFolder(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
