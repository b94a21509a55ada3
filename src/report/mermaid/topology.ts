// The service topology as a Mermaid flowchart: sync calls solid, events dashed
// through channel nodes, datastores as cylinders, bounded contexts as
// subgraphs, and what the findings point at drawn in red (cycle edges too).
import type { ReportFinding } from "../types.js";
import type { ServiceSpec, Spec } from "../../spec/types.js";
import { byName, IdMap, label } from "./text.js";

export interface TopologyDiagramOptions {
  findings?: readonly ReportFinding[];
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
  const flagged = flaggedServices(options.findings ?? [], spec);
  const cycleEdges = witnessEdges(options.findings ?? []);

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
      if (cycleEdges.has(`${s.name}\u0000${call.to.name}`)) red.push(link);
      link++;
    }
  }
  for (const c of channels) {
    for (const p of [...c.producers].sort(byName)) {
      lines.push(`  ${svc.id(p.name)} -.->|${label(c.events.map((e) => e.name).sort().join(", "))}| ${chan.id(c.name)}`);
      link++;
    }
    for (const consumer of [...c.consumers].sort(byName)) {
      lines.push(`  ${chan.id(c.name)} -.-> ${svc.id(consumer.name)}`);
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
  const marked = services.filter((s) => flagged.has(s.name)).map((s) => svc.id(s.name));
  if (marked.length > 0) lines.push(`  class ${marked.join(",")} finding`);
  if (red.length > 0) lines.push(`  linkStyle ${red.join(",")} stroke:#c00,stroke-width:3px`);
  return `${lines.join("\n")}\n`;
}

/** Services a finding at error or warning severity is about. */
function flaggedServices(findings: readonly ReportFinding[], spec: Spec): Set<string> {
  const out = new Set<string>();
  for (const f of findings) {
    if (f.severity === "info") continue;
    for (const name of [...(f.witness ?? []), ...(f.subject ?? "").split(/[\s,>-]+/)]) if (spec.services.has(name)) out.add(name);
  }
  return out;
}

/** Consecutive pairs of every witness path: the edges a cycle finding runs along. */
function witnessEdges(findings: readonly ReportFinding[]): Set<string> {
  const out = new Set<string>();
  for (const f of findings) {
    const w = f.witness ?? [];
    for (let i = 0; i + 1 < w.length; i++) out.add(`${w[i]}\u0000${w[i + 1]}`);
  }
  return out;
}
