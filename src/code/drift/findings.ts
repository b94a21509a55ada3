// Code facts against the spec's declarations, one function per drift rule.
// Undeclared things point at the code; unused declarations point at the spec.
import { relative } from "node:path";
import type { RawFinding } from "../../check/types.js";
import type { ChannelSpec, NameRef, SourceLocation, Spec } from "../../spec/types.js";
import type { DriftAnalysis } from "./analysis.js";
import { compareLoc } from "./emissions.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const list = (names: readonly string[]) => (names.length > 0 ? [...names].sort(byName).join(", ") : "none");

/** Group sites by a key; the first site (by location) leads, the others are related. */
function grouped<T extends { loc: SourceLocation }>(items: readonly T[], key: (t: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k) ?? [];
    g.push(item);
    groups.set(k, g);
  }
  for (const g of groups.values()) g.sort((a, b) => compareLoc(a.loc, b.loc));
  return [...groups.entries()].sort(([a], [b]) => byName(a, b));
}

function related(items: readonly { loc: SourceLocation }[]): { related?: SourceLocation[] } {
  return items.length > 1 ? { related: items.slice(1).map((i) => i.loc) } : {};
}

const sorted = (facts: DriftAnalysis) => [...facts.services.values()].sort((a, b) => byName(a.service.name, b.service.name));

export function undeclaredCalls(analysis: DriftAnalysis, spec: Spec): RawFinding[] {
  const out: RawFinding[] = [];
  for (const f of sorted(analysis)) {
    const declared = new Set(f.service.calls.map((c) => c.to.name));
    for (const [target, sites] of grouped(f.calls, (c) => c.target)) {
      if (declared.has(target)) continue;
      const first = sites[0]!;
      const name = f.service.name;
      out.push({
        message:
          `${name} calls ${target} (${first.evidence}), but the spec declares no call from ${name} to ${target}` +
          ` (${name} declares calls to: ${list([...declared])})`,
        location: first.loc,
        ...related(sites),
        fix: `add \`{ to: ${target} }\` to the calls of service ${name} in ${declaredIn(spec, f.service.loc.file)}, or remove the call from the code`,
        subject: `${name} -> ${target}`,
      });
    }
  }
  return out;
}

export function unusedCalls(analysis: DriftAnalysis, spec: Spec): RawFinding[] {
  const out: RawFinding[] = [];
  for (const f of sorted(analysis)) {
    // A handler alone is not the whole service: judge calls only against a code root.
    if (!f.service.code) continue;
    const seen = new Set(f.calls.map((c) => c.target));
    for (const call of f.service.calls) {
      if (seen.has(call.to.name)) continue;
      // External systems are reached through their own SDKs, which no pattern can know.
      if (spec.services.get(call.to.name)?.external) continue;
      const name = f.service.name;
      out.push({
        message: `${name} declares a call to ${call.to.name}, but its code (${plural(f.code.files.length, "file")} under ${relative(spec.dir, f.service.code.path) || "."}) never calls ${call.to.name} in a recognised way`,
        location: call.loc,
        fix: `remove the call from the spec; if the code does call ${call.to.name}, add its pattern to the undeclared-call rule options (callees, clientFactories, urlPatterns, namePatterns)`,
        subject: `${name} -> ${call.to.name}`,
      });
    }
  }
  return out;
}

export function undeclaredEmissions(analysis: DriftAnalysis, spec: Spec): RawFinding[] {
  const out: RawFinding[] = [];
  for (const f of sorted(analysis)) {
    const name = f.service.name;
    const produces = (eventType: string) => {
      const channelName = spec.eventChannel.get(eventType);
      return channelName !== undefined && involves(spec.channels.get(channelName)?.producers ?? [], name);
    };
    const definite = f.emissions.emissions.filter((e) => e.certainty === "definite");
    for (const [eventType, sites] of grouped(definite, (e) => e.eventType)) {
      if (produces(eventType)) continue;
      const channelName = spec.eventChannel.get(eventType);
      const channel = channelName ? spec.channels.get(channelName) : undefined;
      const first = sites[0]!;
      const produced = producedChannels(spec, name);
      out.push(
        channel
          ? {
              message: `${name} emits ${eventType}, which channel ${channel.name} carries, but ${name} is not a producer of ${channel.name} (producers: ${list(channel.producers.map((p) => p.name))})`,
              location: first.loc,
              ...related(sites),
              fix: `add ${name} to the producers of channel ${channel.name}, or stop emitting ${eventType}`,
              subject: `${name} emits ${eventType}`,
            }
          : {
              message: `${name} emits ${eventType}, but no channel of the spec carries ${eventType} (${name} produces: ${list(produced)})`,
              location: first.loc,
              ...related(sites),
              fix: `add ${eventType} to the events of a channel ${name} produces, or stop emitting it`,
              subject: `${name} emits ${eventType}`,
            },
      );
    }
    // A union-typed site emits ONE of its types: it is wrong for sure only when
    // none of them is declared (a site that may emit a declared type is not
    // judged on the others, which the code may well never emit).
    const possible = f.emissions.emissions.filter((e) => e.certainty === "possible");
    for (const [, sites] of grouped(possible, (e) => `${e.loc.file}:${String(e.loc.line).padStart(8, "0")}:${e.loc.column}`)) {
      if (sites.some((s) => produces(s.eventType))) continue;
      const types = [...new Set(sites.map((s) => s.eventType))].sort(byName);
      out.push({
        message:
          `${name} emits one of ${types.join(", ")} (the emitted value's type is a union of them), but produces none of them` +
          ` (${name} produces: ${list(producedChannels(spec, name))})`,
        location: sites[0]!.loc,
        fix: `add ${name} to the producers of the channel carrying the event it emits here, or narrow the emitted value's type to the events ${name} produces`,
        subject: `${name} emits ${types.join(" | ")}`,
      });
    }
  }
  return out;
}

export function unusedEmissions(analysis: DriftAnalysis, spec: Spec): RawFinding[] {
  const out: RawFinding[] = [];
  for (const channel of channelsByName(spec)) {
    for (const producer of channel.producers) {
      const f = analysis.services.get(producer.name);
      // Unknown emission sites might emit anything: only judge a complete picture.
      if (!f || f.emissions.unresolved.length > 0) continue;
      // Possible emissions count as uses: "emits none of these" is then not
      // proven, and saying it would be a false alarm (see DRIFT_DETAILS).
      const emitted = new Set(f.emissions.emissions.map((e) => e.eventType));
      if (channel.events.some((e) => emitted.has(e.name))) continue;
      out.push({
        message: `${producer.name} is declared a producer of ${channel.name} (${list(channel.events.map((e) => e.name))}), but its code emits none of these events (it emits: ${list([...emitted])})`,
        location: producer.loc,
        fix: `remove ${producer.name} from the producers of ${channel.name}, or emit the events the spec says it produces`,
        subject: `${producer.name} produces ${channel.name}`,
      });
    }
  }
  return out;
}

/** Emission sites whose type could not be told: undeclared-emission did not
 * judge them and unused-emission does not judge the service. */
export function unresolvedEmissions(analysis: DriftAnalysis, spec: Spec): RawFinding[] {
  const out: RawFinding[] = [];
  for (const f of sorted(analysis)) {
    const name = f.service.name;
    for (const loc of f.emissions.unresolved) {
      out.push({
        message:
          `${name} emits an event here whose \`type\` archverify cannot tell (neither its type nor the code names a literal): ` +
          `undeclared-emission did not judge it, and unused-emission does not judge ${name}`,
        location: loc,
        subject: `${name} emits at ${relative(spec.dir, loc.file)}:${loc.line}`,
      });
    }
  }
  return out;
}

export function undeclaredSubscriptions(analysis: DriftAnalysis, spec: Spec): RawFinding[] {
  const out: RawFinding[] = [];
  for (const f of sorted(analysis)) {
    const subs = f.subscriptions;
    if (!subs) continue;
    const name = f.service.name;
    // Only what the code branches on: a parameter type that accepts more than
    // the service is sent (a shared `DomainEvent` union) is harmless.
    for (const s of subs.handled) {
      const channelName = spec.eventChannel.get(s.eventType);
      const channel = channelName ? spec.channels.get(channelName) : undefined;
      if (channel && channel.consumers.some((c) => c.name === name)) continue;
      out.push(
        channel
          ? {
              message: `${name} handles ${s.eventType}, which channel ${channel.name} carries, but ${name} is not a consumer of ${channel.name} (consumers: ${list(channel.consumers.map((c) => c.name))})`,
              location: s.loc,
              fix: `add ${name} to the consumers of channel ${channel.name}, or stop handling ${s.eventType}`,
              subject: `${name} handles ${s.eventType}`,
            }
          : {
              message: `${name} handles ${s.eventType}, but no channel of the spec carries ${s.eventType} (${name} consumes: ${list(consumedChannels(spec, name))})`,
              location: s.loc,
              fix: `add ${s.eventType} to the events of a channel ${name} consumes, or stop handling it`,
              subject: `${name} handles ${s.eventType}`,
            },
      );
    }
  }
  return out;
}

export function unusedSubscriptions(analysis: DriftAnalysis, spec: Spec): RawFinding[] {
  const out: RawFinding[] = [];
  for (const channel of channelsByName(spec)) {
    for (const consumer of channel.consumers) {
      const subs = analysis.services.get(consumer.name)?.subscriptions;
      // Nothing known about what the handler takes: do not guess.
      if (!subs || (subs.handled.length === 0 && !subs.accepted)) continue;
      // A dispatch on keys that could not be read may handle any type.
      if (subs.opaqueDispatch) continue;
      // A parameter admitting any `type` (`type: string`) on a handler that acts
      // on types it does not branch on: every delivered event is handled.
      if (!subs.accepted && subs.actsOnUnhandled) continue;
      const used = new Set([...subs.handled, ...(subs.accepted ?? [])].map((s) => s.eventType));
      if (channel.events.some((e) => used.has(e.name))) continue;
      out.push({
        message: `${consumer.name} is declared a consumer of ${channel.name} (${list(channel.events.map((e) => e.name))}), but its handler neither handles nor accepts any of these events (it handles or accepts: ${list([...used])})`,
        location: consumer.loc,
        fix: `remove ${consumer.name} from the consumers of ${channel.name}, or handle the events it subscribes to`,
        subject: `${consumer.name} consumes ${channel.name}`,
      });
    }
  }
  return out;
}

function channelsByName(spec: Spec): ChannelSpec[] {
  return [...spec.channels.values()].sort((a, b) => byName(a.name, b.name));
}

const involves = (refs: NameRef[], name: string) => refs.some((r) => r.name === name);

function producedChannels(spec: Spec, service: string): string[] {
  return channelsByName(spec).filter((c) => involves(c.producers, service)).map((c) => c.name);
}

function consumedChannels(spec: Spec, service: string): string[] {
  return channelsByName(spec).filter((c) => involves(c.consumers, service)).map((c) => c.name);
}

/** The spec file, as the user refers to it (relative to the root spec's folder). */
function declaredIn(spec: Spec, file: string): string {
  return relative(spec.dir, file) || file;
}

