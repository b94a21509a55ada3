// The sandbox job of the handler property checks: load each planned service,
// build its event source, run the engine, post each service's report as soon
// as it is done (so that a later timeout loses nothing).
import { loadExport } from "../../model/runtime/load.js";
import { normalizeHandler } from "../../model/runtime/normalize.js";
import type { ExportRef } from "../../spec/types.js";
import type { SandboxJobContext } from "../../model/runtime/sandbox.js";
import { buildEventSource } from "../generate/event-source.js";
import { findUserEvents } from "../generate/user-exports.js";
import type { ServiceRuntime } from "../../model/runtime-types.js";
import { checkService } from "./engine.js";
import type { ServicePlan } from "./plan.js";
import { runScenarioTraffic, type ScenarioTraffic, type TrafficPlan } from "./scenario-traffic.js";
import type { EngineOptions, ServiceReport } from "./types.js";

type PlannedService = { plan: ServicePlan; handler: ExportRef; excludeTypes: string[] };

export interface PropertyJobInput {
  services: PlannedService[];
  options: Omit<EngineOptions, "excludeTypes">;
  /** The scenarios run in order over every service (for handler-throws and commutation). */
  traffic?: { plan: TrafficPlan; services: PlannedService[] };
}

export type PropertyJobMessage = { kind: "service-report"; report: ServiceReport };

async function load({ plan, handler }: PlannedService) {
  const { value, module } = await loadExport(handler);
  const runtime = normalizeHandler(plan.name, handler, value, module, {
    ...(plan.types.accepts ? { accepts: plan.types.accepts } : {}),
    ...(plan.types.commandTypes ? { commands: plan.types.commandTypes } : {}),
    ...(plan.partitionBy === undefined ? {} : { partitionBy: plan.partitionBy }),
  });
  return { value, module, runtime };
}

/** The in-order run of the scenarios; undefined when a service does not load
 * (its own check reports that). */
async function scenarioTraffic(traffic: NonNullable<PropertyJobInput["traffic"]>): Promise<ScenarioTraffic | undefined> {
  const runtimes = new Map<string, ServiceRuntime>();
  try {
    for (const s of traffic.services) runtimes.set(s.plan.name, (await load(s)).runtime);
  } catch {
    return undefined;
  }
  return runScenarioTraffic(traffic.plan, runtimes, new Map(traffic.services.map((s) => [s.plan.name, s.excludeTypes])));
}

export default async function propertyJob(input: PropertyJobInput, ctx: SandboxJobContext): Promise<ServiceReport[]> {
  const reports: ServiceReport[] = [];
  const traffic = input.traffic ? await scenarioTraffic(input.traffic) : undefined;
  for (const planned of input.services) {
    const { plan, handler, excludeTypes } = planned;
    const { value, module, runtime } = await load(planned);
    const source = buildEventSource(plan.events, findUserEvents(handler.exportName, value, module, plan.events.types));
    const report = checkService({ runtime, source, channelOf: (t) => plan.channels[t] }, { ...input.options, excludeTypes });
    if (traffic) {
      report.scenarioThrows = traffic.throws.filter((t) => t.service === plan.name);
      report.scenarioReceipts = traffic.received.filter((r) => r.service === plan.name);
    }
    reports.push(report);
    ctx.post({ kind: "service-report", report } satisfies PropertyJobMessage);
  }
  return reports;
}
