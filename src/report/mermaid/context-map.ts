// The context map: bounded contexts and their declared relations, upstream to
// downstream, labelled with the DDD pattern (the direction a call may go is the
// reverse: downstream calls upstream).
import type { Spec } from "../../spec/types.js";
import { byName, IdMap, label } from "./text.js";

export function contextMapDiagram(spec: Spec): string {
  const ctx = new IdMap("x");
  const lines = ["flowchart LR"];
  for (const c of [...spec.contexts.values()].sort(byName)) {
    const services = [...spec.services.values()].filter((s) => s.context?.name === c.name).map((s) => s.name).sort();
    const text = [c.name, c.owner ? `owner: ${c.owner}` : "", services.length ? `services: ${services.join(", ")}` : ""].filter(Boolean).join(" · ");
    lines.push(`  ${ctx.id(c.name)}[${label(text)}]`);
  }
  const relations = [...spec.contextMap].sort(
    (a, b) => a.upstream.name.localeCompare(b.upstream.name) || a.downstream.name.localeCompare(b.downstream.name) || a.pattern.localeCompare(b.pattern),
  );
  for (const r of relations) lines.push(`  ${ctx.id(r.upstream.name)} -->|${label(`${r.pattern} (U → D)`)}| ${ctx.id(r.downstream.name)}`);
  return `${lines.join("\n")}\n`;
}
