// Code scanning (SARIF) and workflow annotations locate a finding by its path
// from the repository root, whatever folder archverify ran in. The JSON report
// keeps paths relative to the working directory (its contract); these helpers
// turn them into repository paths.
import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

/**
 * The repository root for a spec: the nearest folder holding `.git` (a folder,
 * or a file in worktrees and submodules) upward from the spec's folder; else
 * `GITHUB_WORKSPACE` when set (a checkout without its .git); else `cwd`.
 */
export function repositoryRoot(specFile: string, env: Record<string, string | undefined>, cwd: string): string {
  let dir = dirname(resolve(cwd, specFile));
  for (;;) {
    if (existsSync(resolve(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const workspace = env.GITHUB_WORKSPACE;
  if (workspace) return resolve(cwd, workspace);
  return cwd;
}

/**
 * A report path (relative to `cwd`, or absolute) as a path from `root` with
 * forward slashes; `undefined` when the file lies outside the root.
 */
export function pathFromRoot(file: string, cwd: string, root: string): string | undefined {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  const rel = relative(root, absolute);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}
