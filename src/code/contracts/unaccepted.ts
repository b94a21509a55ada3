// unaccepted-event: a channel delivers every event type it carries to every consumer, so a
// consumer whose handler is typed for fewer types is called with events its code does not
// expect (a NaN total, a wrong default branch, a throw).
import type { RawFinding } from "../../check/types.js";
import type { SourceLocation, Spec } from "../../spec/types.js";
import type { DriftAnalysis } from "../drift/analysis.js";
import { discriminate } from "../drift/ts-helpers.js";

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function unacceptedFindings(analysis: DriftAnalysis, spec: Spec): RawFinding[] {
  const { checker } = analysis.project;
  const out: RawFinding[] = [];
  for (const channel of [...spec.channels.values()].sort((a, b) => byName(a.name, b.name))) {
    for (const consumer of channel.consumers.map((c) => c.name).sort(byName)) {
      const entry = analysis.services.get(consumer)?.entry;
      if (!entry || entry.inputs.length === 0) continue;
      // Judged only where every function the messages reach names its types exactly (a union of
      // `type` literals); an untyped or loosely typed handler may accept anything.
      const accepted = new Set<string>();
      let precise = true;
      for (const input of entry.inputs) {
        const d = input.eventType ? discriminate(checker, input.eventType) : undefined;
        if (!d?.precise) precise = false;
        for (const t of d?.members.keys() ?? []) accepted.add(t);
      }
      if (!precise) continue;
      for (const event of [...channel.events].sort((a, b) => byName(a.name, b.name))) {
        if (accepted.has(event.name)) continue;
        out.push({
          message:
            `channel ${channel.name} delivers ${event.name} to ${consumer}, but ${consumer}'s handler is typed for ${[...accepted].sort(byName).join(", ")} only: ` +
            `it will be called with an event its code does not expect`,
          location: entry.inputs[0]!.eventLoc,
          related: [event.loc] as SourceLocation[],
          fix: `Add ${event.name} to ${consumer}'s event type and handle it (ignoring it explicitly is fine), or stop delivering it to ${consumer}: carry it on a channel ${consumer} does not consume, or take ${consumer} off ${channel.name}'s consumers.`,
          subject: `${channel.name}: ${event.name} -> ${consumer}`,
        });
      }
    }
  }
  return out;
}
