// contract-compat: on every channel, for every event type it carries, what each
// declared producer emits must be assignable to what each declared consumer's
// handler accepts for that type.
import { ts } from "ts-morph";
import type { RawFinding } from "../../check/types.js";
import type { SourceLocation, Spec } from "../../spec/types.js";
import type { DriftAnalysis } from "../drift/analysis.js";
import type { Emission } from "../drift/emissions.js";
import type { HandlerInput } from "../drift/handler-entry.js";
import { discriminate } from "../drift/ts-helpers.js";
import { describeType, judgeAssignability, type Incompatibility, type Verdict } from "./compat.js";

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function contractFindings(analysis: DriftAnalysis, spec: Spec): RawFinding[] {
  const { checker } = analysis.project;
  const out: RawFinding[] = [];
  const channels = [...spec.channels.values()].sort((a, b) => byName(a.name, b.name));
  for (const channel of channels) {
    const events = channel.events.map((e) => e.name).sort(byName);
    const producers = channel.producers.map((p) => p.name).sort(byName);
    const consumers = channel.consumers.map((c) => c.name).sort(byName);
    for (const eventType of events) {
      for (const producer of producers) {
        const emitted = (analysis.services.get(producer)?.emissions.emissions ?? []).filter(
          (e): e is Emission & { payload: ts.Type } => e.eventType === eventType && e.payload !== undefined,
        );
        if (emitted.length === 0) continue;
        for (const consumer of consumers) {
          const entry = analysis.services.get(consumer)?.entry;
          const receiving = entry ? receiverOf(checker, entry.inputs, eventType) : undefined;
          if (!receiving) continue;
          const { targets, input } = receiving;
          const failures: { emission: Emission & { payload: ts.Type }; verdict: Verdict }[] = [];
          for (const emission of emitted) {
            const verdicts = targets.map((t) => judgeAssignability(checker, emission.payload, t, emission.exactDiscriminant));
            if (!verdicts.some((v) => v.assignable)) failures.push({ emission, verdict: verdicts[0]! });
          }
          const first = failures[0];
          if (!first) continue;
          const emittedText = describeType(checker, first.emission.payload);
          const acceptedText = describeType(checker, targets[0]!);
          const sites = failures.length > 1 ? ` (${failures.length} emission sites)` : "";
          out.push({
            message:
              `channel ${channel.name}: the ${eventType} that ${producer} emits${sites} is not assignable to the ${eventType} that ${consumer}'s handler accepts; ` +
              `${explain(first.verdict.first)}. Emitted: ${emittedText}. Accepted: ${acceptedText}`,
            location: first.emission.loc,
            related: [...failures.slice(1).map((f) => f.emission.loc), input.eventLoc] as SourceLocation[],
            fix: fixText(eventType, producer, consumer, first.verdict.first),
            subject: `${channel.name}: ${eventType} ${producer} -> ${consumer}`,
          });
        }
      }
    }
  }
  return out;
}

/** The function of the consumer an event of `eventType` reaches, and the
 * types it accepts it as. A Decider's evolve takes the types it names (as the
 * runtime delivers them), decide the rest. */
function receiverOf(checker: ts.TypeChecker, inputs: readonly HandlerInput[], eventType: string): { targets: ts.Type[]; input: HandlerInput } | undefined {
  const ordered = [...inputs.filter((i) => i.foldsOwnEvents), ...inputs.filter((i) => !i.foldsOwnEvents)];
  for (const input of ordered) {
    if (!input.eventType) continue;
    const members = discriminate(checker, input.eventType).members.get(eventType);
    if (members) return { targets: members, input };
  }
  for (const input of ordered) {
    if (input.foldsOwnEvents || !input.eventType) continue;
    const targets = acceptedTypes(checker, input.eventType, eventType);
    return targets.length > 0 ? { targets, input } : undefined;
  }
  return undefined;
}

/** The members of the consumer's event parameter type that accept `eventType`;
 * the whole type when it does not discriminate by literal `type`s. */
function acceptedTypes(checker: ts.TypeChecker, accepted: ts.Type, eventType: string): ts.Type[] {
  const d = discriminate(checker, accepted);
  const members = d.members.get(eventType);
  if (members) return members;
  if (d.precise || accepted.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
  return [accepted];
}

function explain(first: Incompatibility | undefined): string {
  if (!first) return "the types differ outside their named properties (an index signature or call signature)";
  if (first.kind === "missing") return `first incompatible property: ${first.path} is missing (expected ${first.expected})`;
  return `first incompatible property: ${first.path} is ${first.actual}, expected ${first.expected}`;
}

function fixText(eventType: string, producer: string, consumer: string, first: Incompatibility | undefined): string {
  const what = first ? (first.kind === "missing" ? `send ${first.path}` : `give ${first.path} the type ${first.expected}`) : "align the two types";
  return `make ${producer}'s ${eventType} fit what ${consumer} accepts (${what}), or relax ${consumer}'s event type; share one event type between both to keep them in step`;
}
