// Main-thread driver of the handler property checks: plan the services (spec +
// TypeScript types), run the property job in the sandbox, and when a handler
// call hangs, record the timeout and run again without that event type (the
// reports posted before the hang are kept).
import type { Project } from "ts-morph";
import type { Spec } from "../../spec/types.js";
import { codeProject } from "../../code/project.js";
import { runInSandbox, warmSandbox } from "../../model/runtime/sandbox.js";
import type { CheckContext } from "../types.js";
import type { PropertyJobInput, PropertyJobMessage } from "./job.js";
import { planServices, trafficPlan, type ServicePlan } from "./plan.js";
import type { EngineOptions, ServiceReport } from "./types.js";

export const DEFAULT_RUNS = 100;
export const DEFAULT_MAX_DEPTH = 6;
export const DEFAULT_CALL_TIMEOUT_MS = 1000;
/** Timeouts after which a check gives up on the remaining services. */
const MAX_TIMEOUTS = 8;

export interface HandlerTimeout {
  service: string;
  event?: unknown;
  eventType?: string;
  timeoutMs: number;
}

export interface HandlerPropertiesResult {
  plans: ServicePlan[];
  reports: ServiceReport[];
  timeouts: HandlerTimeout[];
  durationMs: number;
}

export interface HandlerPropertiesOptions extends Omit<EngineOptions, "excludeTypes" | "timeBudgetMs"> {
  /** For all services together. */
  timeBudgetMs?: number;
  callTimeoutMs?: number;
  progress?: (line: string) => void;
  /** A ts-morph project holding the handler files (default: a new one). */
  project?: Project;
}

const JOB = new URL("./job.ts", import.meta.url).href;

/** Once per check, shared by the property rules. */
export function handlerPropertiesFor(ctx: CheckContext): Promise<HandlerPropertiesResult> {
  return ctx.cached("check/handlers/properties", async () => {
    const o = ctx.options;
    warmSandbox();
    const project = codeProject(ctx)?.project;
    const result = await runHandlerProperties(ctx.spec, {
      seed: o.seed,
      runs: o.runs ?? DEFAULT_RUNS,
      maxDepth: o.maxDepth ?? DEFAULT_MAX_DEPTH,
      ...(o.timeBudgetMs !== undefined ? { timeBudgetMs: o.timeBudgetMs / 2 } : {}),
      ...(o.progress ? { progress: o.progress } : {}),
      ...(project ? { project } : {}),
    });
    ctx.recordStats("handler-properties", {
      services: result.reports.length,
      runs: result.reports.reduce((n, r) => n + r.runs, 0),
      handlerCalls: result.reports.reduce((n, r) => n + r.calls, 0),
      timeouts: result.timeouts.length,
      cut: result.reports.flatMap((r) => r.notes.filter((n) => n.kind === "cut").map((n) => `${r.service}/${n.property}`)),
      durationMs: Math.round(result.durationMs),
    });
    return result;
  });
}

export async function runHandlerProperties(spec: Spec, options: HandlerPropertiesOptions): Promise<HandlerPropertiesResult> {
  const started = performance.now();
  warmSandbox(); // starts the worker while ts-morph reads the types
  const plans = planServices(spec, options.project);
  const traffic = trafficPlan(spec);
  const reports = new Map<string, ServiceReport>();
  const timeouts: HandlerTimeout[] = [];
  const excluded = new Map<string, string[]>(plans.map((p) => [p.name, []]));
  const dropped = new Set<string>();
  const perService = options.timeBudgetMs === undefined ? undefined : options.timeBudgetMs / Math.max(1, plans.length);
  const { callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS, progress, timeBudgetMs: _total, project: _project, ...engine } = options;

  while (timeouts.length <= MAX_TIMEOUTS) {
    const todo = plans.filter((p) => !reports.has(p.name) && !dropped.has(p.name));
    if (todo.length === 0) break;
    const planned = (plan: ServicePlan) => ({ plan, handler: spec.services.get(plan.name)!.handler!, excludeTypes: excluded.get(plan.name) ?? [] });
    const input: PropertyJobInput = {
      services: todo.map(planned),
      options: { ...engine, ...(perService !== undefined ? { timeBudgetMs: perService } : {}) },
      ...(traffic.scenarios.length > 0 && (engine.properties ?? ["handler-throws"]).some((p) => p === "handler-throws" || p === "commutation")
        ? { traffic: { plan: traffic, services: plans.map(planned) } }
        : {}),
    };
    const result = await runInSandbox<PropertyJobInput, ServiceReport[]>(JOB, input, {
      callTimeoutMs,
      onMessage: (m) => {
        const { report } = m as PropertyJobMessage;
        reports.set(report.service, report);
        progress?.(`handler properties: ${reports.size}/${plans.length} services (${report.service}: ${report.runs} runs)`);
      },
    });
    if (result.ok) {
      for (const r of result.value) reports.set(r.service, r);
      break;
    }
    const { service, event, timeoutMs } = result.timeout;
    const eventType = typeof (event as { type?: unknown } | undefined)?.type === "string" ? (event as { type: string }).type : undefined;
    timeouts.push({ service, timeoutMs, ...(event !== undefined ? { event } : {}), ...(eventType ? { eventType } : {}) });
    const list = excluded.get(service);
    if (!list || !eventType || list.includes(eventType)) dropped.add(service);
    else list.push(eventType);
  }
  return {
    plans,
    reports: [...reports.values()].sort((a, b) => (a.service < b.service ? -1 : 1)),
    timeouts,
    durationMs: performance.now() - started,
  };
}
