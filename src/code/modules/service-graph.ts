// The module graph of the code a spec names (every service's `code:` root and
// every shared kernel's), built once per `check` run and shared by the code
// rules through `ctx.cached`, with the owner of each file.
import { sep } from "node:path";
import type { CheckContext } from "../../check/types.js";
import type { Spec } from "../../spec/types.js";
import { SKIPPED_DIRS, SKIPPED_FILE } from "../project.js";
import { buildModuleGraph } from "./graph.js";
import type { ModuleGraph } from "./types.js";

export interface CodeOwner {
  kind: "service" | "kernel";
  name: string;
  /** The code root that claims the file. */
  root: string;
}

export interface ServiceModuleGraph {
  graph: ModuleGraph;
  /** The service or shared kernel whose code root holds `file` (the innermost root wins; a kernel wins a tie). */
  ownerOf(file: string): CodeOwner | undefined;
}

export const SERVICE_MODULE_GRAPH_KEY = "code.modules.serviceGraph";

export function serviceModuleGraph(ctx: CheckContext): ServiceModuleGraph | undefined {
  return ctx.cached(SERVICE_MODULE_GRAPH_KEY, () => buildServiceModuleGraph(ctx.spec));
}

export function codeOwners(spec: Spec): CodeOwner[] {
  const owners: CodeOwner[] = [];
  for (const s of spec.services.values()) if (s.code && !s.external) owners.push({ kind: "service", name: s.name, root: s.code.path });
  for (const k of spec.sharedKernels.values()) owners.push({ kind: "kernel", name: k.name, root: k.code.path });
  // Innermost first; at the same root a kernel before a service.
  return owners.sort((a, b) => b.root.length - a.root.length || (a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind === "kernel" ? -1 : 1));
}

/** Undefined when no service names code: the code rules then have nothing to look at. */
export function buildServiceModuleGraph(spec: Spec): ServiceModuleGraph | undefined {
  const owners = codeOwners(spec);
  if (!owners.some((o) => o.kind === "service")) return undefined;
  // The files the other code rules read: tests, __tests__/, dist/ and the like are not the service's code.
  const graph = buildModuleGraph({ roots: owners.map((o) => o.root), skipFolder: (name) => SKIPPED_DIRS.has(name), skipFile: (name) => SKIPPED_FILE.test(name) });
  const cache = new Map<string, CodeOwner | undefined>();
  const ownerOf = (file: string) => {
    if (!cache.has(file)) cache.set(file, owners.find((o) => file === o.root || file.startsWith(o.root.endsWith(sep) ? o.root : o.root + sep)));
    return cache.get(file);
  };
  return { graph, ownerOf };
}
