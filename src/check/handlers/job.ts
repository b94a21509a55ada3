// The sandbox job of the handler property checks: load each planned service,
// build its event source, run the engine, post each service's report as soon
// as it is done (so that a later timeout loses nothing).
import { loadExport } from "../../model/runtime/load.js";
import { normalizeHandler } from "../../model/runtime/normalize.js";
import type { ExportRef } from "../../spec/types.js";
import type { SandboxJobContext } from "../../model/runtime/sandbox.js";
import { buildEventSource } from "../generate/event-source.js";
import { findUserEvents } from "../generate/user-exports.js";
import { checkService } from "./engine.js";
import type { ServicePlan } from "./plan.js";
import type { EngineOptions, ServiceReport } from "./types.js";

export interface PropertyJobInput {
  services: { plan: ServicePlan; handler: ExportRef; excludeTypes: string[] }[];
  options: Omit<EngineOptions, "excludeTypes">;
}

export type PropertyJobMessage = { kind: "service-report"; report: ServiceReport };

export default async function propertyJob(input: PropertyJobInput, ctx: SandboxJobContext): Promise<ServiceReport[]> {
  const reports: ServiceReport[] = [];
  for (const { plan, handler, excludeTypes } of input.services) {
    const { value, module } = await loadExport(handler);
    const runtime = normalizeHandler(plan.name, handler, value, module, {
      ...(plan.types.accepts ? { accepts: plan.types.accepts } : {}),
      ...(plan.types.commandTypes ? { commands: plan.types.commandTypes } : {}),
    });
    const source = buildEventSource(plan.events, findUserEvents(handler.exportName, value, module));
    const report = checkService({ runtime, source, channelOf: (t) => plan.channels[t] }, { ...input.options, excludeTypes });
    reports.push(report);
    ctx.post({ kind: "service-report", report } satisfies PropertyJobMessage);
  }
  return reports;
}
