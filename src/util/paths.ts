import { isAbsolute, relative, sep } from "node:path";

/** A path as reports show it: relative to `cwd`, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  return (rel === "" ? "." : rel).split(sep).join("/");
}
