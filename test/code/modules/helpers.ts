// Shared by the module-graph tests: fixture paths and a readable edge list.
import { fileURLToPath } from "node:url";
import { buildModuleGraph, type BuildOptions } from "../../../src/code/modules/graph.js";
import { displayPath } from "../../../src/util/paths.js";

export const fixtures = fileURLToPath(new URL("../../fixtures/modules/", import.meta.url));
export const fixture = (name: string) => `${fixtures}${name}`;

/** `from -> to kind typeOnly line:column` for every edge, paths relative to `root`. */
export function edgeLines(root: string, options: Partial<BuildOptions> = {}): string[] {
  const g = buildModuleGraph({ roots: [root], ...options });
  return g.edges.map((e) => `${displayPath(e.from, root)} -> ${displayPath(e.to, root)} ${e.kind}${e.typeOnly ? " type-only" : ""} ${e.line}:${e.column}`);
}
