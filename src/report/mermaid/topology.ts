// The service topology as a Mermaid flowchart: sync calls solid, events dashed
// through channel nodes, datastores as cylinders, bounded contexts as
// subgraphs, and what the findings point at drawn in red (cycle edges too).
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { ReportFinding } from "../types.js";
import type { ServiceSpec, SourceLocation, Spec } from "../../spec/types.js";
import { byName, IdMap, label } from "./text.js";

export interface TopologyDiagramOptions {
  findings?: readonly ReportFinding[];
  /** The folder the findings' locations are relative to (default: the process's). */
  cwd?: string;
  /** Leave datastores out (large systems). */
  datastores?: boolean;
}

export function topologyDiagram(spec: Spec, options: TopologyDiagramOptions = {}): string {
  const svc = new IdMap("s");
  const chan = new IdMap("c");
  const store = new IdMap("d");
  const ctx = new IdMap("x");
  const services = [...spec.services.values()].sort(byName);
  const lines = ["flowchart LR"];
  const marks = findingMarks(options.findings ?? [], spec, options.cwd ?? process.cwd());

  if (spec.gateway.routes.length > 0) lines.push(`  gw{{${label("API gateway")}}}`);
  const byContext = new Map<string, ServiceSpec[]>();
  for (const s of services) {
    const key = s.context?.name ?? "";
    byContext.set(key, [...(byContext.get(key) ?? []), s]);
  }
  for (const [context, members] of [...byContext.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const indent = context ? "    " : "  ";
    if (context) lines.push(`  subgraph ${ctx.id(context)}[${label(context)}]`);
    for (const s of members) {
      const text = s.external ? `${s.name} (external)` : s.name;
      lines.push(`${indent}${svc.id(s.name)}[${label(text)}]`);
    }
    if (context) lines.push("  end");
  }
  const channels = [...spec.channels.values()].sort(byName);
  for (const c of channels) lines.push(`  ${chan.id(c.name)}([${label(`${c.name} · ${c.delivery}, ${c.ordering}`)}])`);
  const stores = options.datastores === false ? [] : [...spec.datastores.values()].sort(byName);
  for (const d of stores) lines.push(`  ${store.id(d.name)}[(${label(d.kind ? `${d.name} · ${d.kind}` : d.name)})]`);

  // Link indexes count every edge in order of appearance; linkStyle needs them.
  let link = 0;
  const red: number[] = [];
  for (const r of [...spec.gateway.routes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const text = r.plugins.length > 0 ? `${r.path} [${r.plugins.join(", ")}]` : r.path;
    lines.push(`  gw -->|${label(text)}| ${svc.id(r.to.name)}`);
    link++;
  }
  for (const s of services) {
    for (const call of [...s.calls].sort((a, b) => (a.to.name < b.to.name ? -1 : a.to.name > b.to.name ? 1 : 0))) {
      const text = call.protocol ?? "call";
      lines.push(`  ${svc.id(s.name)} -->|${label(text)}| ${svc.id(call.to.name)}`);
      if (marks.locations.has(locKey(call.loc))) red.push(link);
      link++;
    }
  }
  for (const c of channels) {
    for (const p of [...c.producers].sort(byName)) {
      lines.push(`  ${svc.id(p.name)} -.->|${label(c.events.map((e) => e.name).sort().join(", "))}| ${chan.id(c.name)}`);
      if (marks.locations.has(locKey(p.loc))) red.push(link);
      link++;
    }
    for (const consumer of [...c.consumers].sort(byName)) {
      lines.push(`  ${chan.id(c.name)} -.-> ${svc.id(consumer.name)}`);
      if (marks.locations.has(locKey(consumer.loc))) red.push(link);
      link++;
    }
  }
  for (const s of services) {
    if (options.datastores === false) break;
    for (const d of [...s.datastores].sort(byName)) {
      lines.push(`  ${svc.id(s.name)} --- ${store.id(d.name)}`);
      link++;
    }
  }
  lines.push("  classDef external fill:#eee,stroke:#888,stroke-dasharray:4 2");
  lines.push("  classDef finding fill:#fdd,stroke:#c00,stroke-width:2px");
  const external = services.filter((s) => s.external).map((s) => svc.id(s.name));
  if (external.length > 0) lines.push(`  class ${external.join(",")} external`);
  const marked = services.filter((s) => marks.services.has(s.name)).map((s) => svc.id(s.name));
  if (marked.length > 0) lines.push(`  class ${marked.join(",")} finding`);
  if (red.length > 0) lines.push(`  linkStyle ${red.join(",")} stroke:#c00,stroke-width:3px`);
  return `${lines.join("\n")}\n`;
}

const locKey = (loc: SourceLocation) => `${loc.file}\u0000${loc.line}\u0000${loc.column}`;

/**
 * What the findings at error or warning severity point at, read from their structured data,
 * never from names in text (a service `order-service` is not `order`): the service a handler
 * check names (`counterexample.service`), and every location and related location of a
 * finding, as spec entries (a service, one of its calls, refs or its producer / consumer
 * entries: that service; a call or a channel entry also marks its edge, so a cycle's edges are
 * red) or as code (a handler's file, or a file under a service's code root: that service).
 */
function findingMarks(findings: readonly ReportFinding[], spec: Spec, cwd: string): { services: Set<string>; locations: Set<string> } {
  const services = new Set<string>();
  const locations = new Set<string>();
  const at = serviceLocations(spec);
  for (const f of findings) {
    if (f.severity === "info") continue;
    const named = (f.counterexample as { service?: unknown } | undefined)?.service;
    if (typeof named === "string" && spec.services.has(named)) services.add(named);
    for (const loc of [f.location, ...(f.related ?? [])]) {
      if (!loc) continue;
      const abs: SourceLocation = { file: resolve(cwd, loc.file), line: loc.line, column: loc.column };
      locations.add(locKey(abs));
      const service = at.get(locKey(abs)) ?? serviceOfFile(spec, abs.file);
      if (service) services.add(service);
    }
  }
  return { services, locations };
}

/** Spec positions that belong to one service: its entry and everything written in it, and its producer / consumer entries. */
function serviceLocations(spec: Spec): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of spec.services.values()) {
    const locs = [s.loc, s.context?.loc, s.layer?.loc, s.code?.loc, s.handler?.loc, ...s.datastores.map((d) => d.loc), ...s.calls.flatMap((c) => [c.loc, c.to.loc])];
    for (const loc of locs) if (loc) out.set(locKey(loc), s.name);
  }
  for (const c of spec.channels.values()) for (const ref of [...c.producers, ...c.consumers]) out.set(locKey(ref.loc), ref.name);
  return out;
}

/** The service a code file belongs to: the one whose handler it is, else the one with the deepest code root holding it. */
function serviceOfFile(spec: Spec, file: string): string | undefined {
  if (spec.files.includes(file)) return undefined;
  let best: { name: string; depth: number } | undefined;
  for (const s of spec.services.values()) {
    if (s.external) continue;
    if (s.handler?.file === file) return s.name;
    const root = s.code?.path;
    if (!root) continue;
    const rel = relative(root, file);
    const inside = rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
    if (inside && (!best || root.length > best.depth)) best = { name: s.name, depth: root.length };
  }
  return best?.name;
}
