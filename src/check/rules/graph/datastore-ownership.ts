// Database per bounded context: a datastore shared across contexts couples
// their schemas and deployments and bypasses both contexts' APIs.
import type { NameRef, ServiceSpec } from "../../../spec/types.js";
import type { CheckContext, RawFinding, Rule } from "../../types.js";
import { listNames, ruleOptions } from "./rule-options.js";

const ID = "datastore-ownership";

export const datastoreOwnership: Rule = {
  id: ID,
  defaultSeverity: "error",
  category: "graph",
  description: "Every datastore is used by the services of a single bounded context.",
  fix: "Give the datastore to one context and let the others reach its data through that context's API or events (or split the datastore).",
  details: [
    "Groups the services listing a datastore under `datastores:` by their context. A datastore used by two or more groups",
    "is reported at its declaration, with the spec line of every use. A service without a context counts as a group of its",
    "own (database per service), so two context-less services sharing a datastore are reported too.",
    "Options:",
    "  shared: [datastore, ...]  datastores meant to be shared (a cache, a read replica for reporting); not reported.",
  ].join("\n"),
  check(ctx: CheckContext): RawFinding[] {
    const { spec } = ctx;
    const options = ruleOptions(ctx, ID);
    options.onlyKeys("shared");
    const shared = new Set(options.names("shared", new Set(spec.datastores.keys()), "datastore"));
    // datastore -> owner group -> the uses in that group
    const owners = new Map<string, Map<string, { service: ServiceSpec; ref: NameRef }[]>>();
    for (const service of spec.services.values()) {
      const group = service.context ? `context ${service.context.name}` : `service ${service.name} (no context)`;
      for (const ref of service.datastores) {
        let groups = owners.get(ref.name);
        if (!groups) owners.set(ref.name, (groups = new Map()));
        let uses = groups.get(group);
        if (!uses) groups.set(group, (uses = []));
        uses.push({ service, ref });
      }
    }
    const findings: RawFinding[] = [];
    for (const [name, groups] of owners) {
      if (groups.size < 2 || shared.has(name)) continue;
      const store = spec.datastores.get(name);
      const uses = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const described = uses.map(([group, list]) =>
        group.startsWith("service ") ? group : `${group} (${listNames(list.map((u) => u.service.name))})`,
      );
      const firstUse = uses[0]?.[1][0]?.ref.loc;
      findings.push({
        subject: name,
        location: store?.loc ?? (firstUse as NameRef["loc"]),
        related: uses.flatMap(([, list]) => list.map((u) => u.ref.loc)),
        message: `datastore ${name} is used across ${groups.size} owners: ${described.join("; ")}; a datastore belongs to one bounded context`,
      });
    }
    return findings;
  },
};
