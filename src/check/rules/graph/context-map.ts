// Bounded contexts integrate only along the declared context map: a call from
// one context into another is a dependency of the caller (downstream) on the
// callee (upstream), and the map must say so, with the pattern that governs it.
import type { ContextPattern, ContextRelation, ServiceSpec } from "../../../spec/types.js";
import type { CheckContext, RawFinding, Rule } from "../../types.js";
import { ruleOptions } from "./rule-options.js";

const ID = "context-map";

/** Patterns with no upstream/downstream direction: declared either way, they allow calls both ways. */
const SYMMETRIC: ReadonlySet<ContextPattern> = new Set(["shared-kernel", "partnership"]);
/** Patterns under which the downstream context calls the upstream one. */
const DIRECTED: readonly ContextPattern[] = ["customer-supplier", "conformist", "anticorruption-layer", "open-host-service", "published-language"];

export const contextMap: Rule = {
  id: ID,
  defaultSeverity: "error",
  category: "graph",
  description: "Every synchronous call across bounded contexts follows a contextMap relation with the caller's context downstream of the callee's.",
  fix: "Declare the relation in contextMap (upstream: the callee's context, downstream: the caller's, with the pattern you follow), or remove the call (publish an event instead).",
  details: [
    "For every `calls:` entry whose caller and callee belong to different contexts, `contextMap` must hold a relation",
    "`{ upstream: <callee's context>, downstream: <caller's context>, pattern }` with a pattern under which downstream calls upstream:",
    `${DIRECTED.join(", ")}. shared-kernel and partnership have no direction and allow calls both ways;`,
    "separate-ways means the contexts do not integrate, so it allows no call. The message names the relation to add,",
    "and says when a relation exists only in the other direction (the call goes from upstream to downstream).",
    "Calls from or to a service without a context are not checked.",
    "Options:",
    "  allow: [{ from, to }, ...]  exceptions; from and to are service or context names.",
  ].join("\n"),
  check(ctx: CheckContext): RawFinding[] {
    const { spec } = ctx;
    const options = ruleOptions(ctx, ID);
    options.onlyKeys("allow");
    const known = (name: string) => spec.services.has(name) || spec.contexts.has(name);
    const allow = options.pairs("allow", known, "service or context", () => [...spec.services.keys(), ...spec.contexts.keys()]);
    const allowed = new Set(allow.map((p) => `${p.from}\u0000${p.to}`));
    // downstream -> upstream -> relations
    const relations = new Map<string, Map<string, ContextRelation[]>>();
    for (const r of spec.contextMap) {
      let byUpstream = relations.get(r.downstream.name);
      if (!byUpstream) relations.set(r.downstream.name, (byUpstream = new Map()));
      let list = byUpstream.get(r.upstream.name);
      if (!list) byUpstream.set(r.upstream.name, (list = []));
      list.push(r);
    }
    const none: ContextRelation[] = [];
    const between = (downstream: string, upstream: string) => relations.get(downstream)?.get(upstream) ?? none;
    const isAllowed = (service: ServiceSpec, from: string, target: ServiceSpec, to: string) =>
      allowed.size > 0 && [service.name, from].some((f) => [target.name, to].some((t) => allowed.has(`${f}\u0000${t}`)));
    const findings: RawFinding[] = [];
    for (const service of spec.services.values()) {
      const from = service.context?.name;
      if (from === undefined) continue;
      for (const call of service.calls) {
        const target = spec.services.get(call.to.name) as ServiceSpec;
        const to = target.context?.name;
        if (to === undefined || to === from) continue;
        const forward = between(from, to);
        const backward = between(to, from);
        if (forward.some((r) => r.pattern !== "separate-ways") || backward.some((r) => SYMMETRIC.has(r.pattern))) continue;
        if (isAllowed(service, from, target, to)) continue;
        const head = `${service.name} (context ${from}) calls ${target.name} (context ${to})`;
        const add = `add { upstream: ${to}, downstream: ${from}, pattern: customer-supplier } to contextMap (or another pattern that lets ${from} call ${to}: ${DIRECTED.slice(1).join(", ")}; shared-kernel or partnership in either direction)`;
        let why: string;
        const separate = [...forward, ...backward].find((r) => r.pattern === "separate-ways");
        if (separate) why = `the context map declares ${from} and ${to} separate-ways, which allows no integration; if they do integrate, replace that relation: ${add}`;
        else if (backward.length > 0) {
          const patterns = [...new Set(backward.map((r) => r.pattern))].join(", ");
          why = `the context map has the relation only in the other direction (${from} upstream of ${to}, ${patterns}), so this call goes from upstream to downstream; reverse the call (let ${target.name} call ${service.name} or react to its events) or ${add}`;
        } else why = `the context map declares no relation between them; ${add}`;
        const related = [...forward, ...backward].map((r) => r.loc);
        findings.push({
          subject: `${service.name} -> ${target.name}`,
          location: call.loc,
          witness: [service.name, target.name],
          message: `${head}, but ${why}`,
          ...(related.length > 0 ? { related } : {}),
        });
      }
    }
    return findings;
  },
};
