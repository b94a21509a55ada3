// Dead parts of a topology: a service nothing can reach never runs, a channel
// without producer carries nothing, one without consumer drops every event.
// Usually a leftover of a rename or a missing `calls:`/`consumers:` entry.
import type { CheckContext, RawFinding, Rule } from "../../types.js";
import { ruleOptions } from "./rule-options.js";

const ID = "orphans";

export const orphans: Rule = {
  id: ID,
  defaultSeverity: "info",
  category: "graph",
  description: "Every service is reached (called, routed to, or fed events), every channel has a producer and a consumer, and every datastore is used.",
  fix: "Connect the element (add the missing calls:, gateway route, producers: or consumers: entry) or delete it; if it is an entry point the spec cannot show (a scheduled job), add it to this rule's ignore option.",
  details: [
    "A service is reached when another service calls it, a gateway route targets it, or it consumes a channel.",
    "A self-call does not count. An external service (external: true) that calls our services or produces on a channel",
    "is an entry point (a third party sending webhooks or events) and is not reported; an external service nothing calls",
    "and that does nothing is. A channel is reported when it has no producer, no consumer, or neither;",
    "a datastore when no service lists it.",
    "Options:",
    "  ignore: [name, ...]  services, channels or datastores never reported (entry points such as scheduled jobs).",
  ].join("\n"),
  check(ctx: CheckContext): RawFinding[] {
    const { spec } = ctx;
    const options = ruleOptions(ctx, ID);
    options.onlyKeys("ignore");
    const known = (n: string) => spec.services.has(n) || spec.channels.has(n) || spec.datastores.has(n);
    const ignore = new Set(
      options.names("ignore", known, "service, channel or datastore", () => [...spec.services.keys(), ...spec.channels.keys(), ...spec.datastores.keys()]),
    );
    const reached = new Set<string>();
    const acts = new Set<string>();
    const usedStores = new Set<string>();
    for (const service of spec.services.values()) {
      for (const call of service.calls) if (call.to.name !== service.name) reached.add(call.to.name);
      if (service.calls.length > 0) acts.add(service.name);
      for (const d of service.datastores) usedStores.add(d.name);
    }
    for (const route of spec.gateway.routes) reached.add(route.to.name);
    for (const channel of spec.channels.values()) {
      for (const c of channel.consumers) reached.add(c.name);
      for (const p of channel.producers) acts.add(p.name);
    }
    const findings: RawFinding[] = [];
    for (const service of spec.services.values()) {
      if (reached.has(service.name) || ignore.has(service.name)) continue;
      if (service.external) {
        if (acts.has(service.name)) continue;
        findings.push({
          subject: service.name,
          location: service.loc,
          message: `external service ${service.name} is never used: no service calls it, and it neither calls a service nor produces on a channel`,
        });
        continue;
      }
      findings.push({
        subject: service.name,
        location: service.loc,
        message: `service ${service.name} is unreachable: no service calls it, no gateway route targets it, and it consumes no channel`,
      });
    }
    for (const channel of spec.channels.values()) {
      if (ignore.has(channel.name)) continue;
      const events = channel.events.map((e) => e.name).join(", ");
      const carries = events ? ` (${events})` : "";
      const noProducer = channel.producers.length === 0;
      const noConsumer = channel.consumers.length === 0;
      if (!noProducer && !noConsumer) continue;
      const message =
        noProducer && noConsumer
          ? `channel ${channel.name} has neither producer nor consumer: nothing publishes or reads its events${carries}`
          : noProducer
            ? `channel ${channel.name} has no producer: nothing publishes its events${carries}, so its consumers (${channel.consumers.map((c) => c.name).join(", ")}) never receive anything from it`
            : `channel ${channel.name} has no consumer: every event its producers (${channel.producers.map((p) => p.name).join(", ")}) publish on it${carries} is dropped`;
      findings.push({ subject: channel.name, location: channel.loc, message });
    }
    for (const store of spec.datastores.values()) {
      if (usedStores.has(store.name) || ignore.has(store.name)) continue;
      findings.push({ subject: store.name, location: store.loc, message: `datastore ${store.name} is used by no service` });
    }
    return findings;
  },
};
