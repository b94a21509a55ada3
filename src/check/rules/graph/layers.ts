// Layering: calls point inward. `layers:` lists the layers outermost first; a
// service may call services of its own layer or of a later (inner) one, never
// an outer one, so inner layers stay deployable and testable without the outer.
import type { CallSpec, ServiceSpec } from "../../../spec/types.js";
import type { CheckContext, RawFinding, Rule } from "../../types.js";
import { ruleOptions } from "./rule-options.js";

const ID = "layers";

export const layers: Rule = {
  id: ID,
  defaultSeverity: "error",
  category: "graph",
  description: "Every synchronous call goes to a service of the caller's own layer or a later (inner) one.",
  fix: "Invert the dependency: let the outer service publish an event or expose an interface the inner one consumes, or move one of the services to the right layer.",
  details: [
    "`layers:` lists the layers outermost first (e.g. [edge, application, core]). A service in layer i may call a service in",
    "layer j only when j >= i. Calls from or to a service without a `layer:` are not checked (see requireLayer).",
    "Each offending call is reported at its `calls:` entry.",
    "Options:",
    "  allow: [{ from, to }, ...]  exceptions; from and to are service or layer names (from: edge, to: payment).",
    "  requireLayer: true         also report every non-external service that has no layer (when layers are declared).",
  ].join("\n"),
  check(ctx: CheckContext): RawFinding[] {
    const { spec } = ctx;
    const options = ruleOptions(ctx, ID);
    options.onlyKeys("allow", "requireLayer");
    const rank = new Map(spec.layers.map((l, i) => [l.name, i] as const));
    const known = (name: string) => spec.services.has(name) || rank.has(name);
    const allow = options.pairs("allow", known, "service or layer", () => [...spec.services.keys(), ...rank.keys()]);
    const requireLayer = options.boolean("requireLayer", false);
    if (rank.size === 0) return [];
    const allowed = new Set(allow.map((p) => `${p.from}\u0000${p.to}`));
    const isAllowed = (from: ServiceSpec, to: ServiceSpec) => {
      const froms = [from.name, from.layer?.name];
      const tos = [to.name, to.layer?.name];
      return froms.some((f) => f !== undefined && tos.some((t) => t !== undefined && allowed.has(`${f}\u0000${t}`)));
    };
    const order = spec.layers.map((l) => l.name).join(" > ");
    const findings: RawFinding[] = [];
    for (const service of spec.services.values()) {
      if (requireLayer && !service.layer && !service.external) {
        findings.push({
          subject: service.name,
          location: service.loc,
          message: `service ${service.name} has no layer; the spec declares layers ${order} and requireLayer is on`,
          fix: `Give ${service.name} a layer: one of ${spec.layers.map((l) => l.name).join(", ")}.`,
        });
      }
      const from = service.layer ? rank.get(service.layer.name) : undefined;
      if (from === undefined) continue;
      for (const call of service.calls) {
        const target = spec.services.get(call.to.name);
        const to = target?.layer ? rank.get(target.layer.name) : undefined;
        if (!target || to === undefined || to >= from || isAllowed(service, target)) continue;
        findings.push(violation(service, target, call, order));
      }
    }
    return findings;
  },
};

function violation(service: ServiceSpec, target: ServiceSpec, call: CallSpec, order: string): RawFinding {
  return {
    subject: `${service.name} -> ${target.name}`,
    location: call.loc,
    related: [target.layer?.loc ?? target.loc],
    witness: [service.name, target.name],
    message:
      `${service.name} (layer ${service.layer?.name}) calls ${target.name} (layer ${target.layer?.name}), an outer layer; ` +
      `calls may only go to the same layer or an inner one (layers outermost first: ${order})`,
  };
}
