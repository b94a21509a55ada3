// What each service's code does, as far as the spec cares: the events it
// emits, the events its handler handles, the services it calls. Computed once
// per check (shared by the drift rules and contract-compat).
import type { CheckContext } from "../../check/types.js";
import { inputError } from "../../errors.js";
import type { ServiceSpec, Spec } from "../../spec/types.js";
import { codeProject, type CodeProject, type ServiceCode } from "../project.js";
import { DEFAULT_CALL_PATTERNS, callPatternsFromOptions, findCalls, type CallPatterns, type CodeCall } from "./calls.js";
import { DEFAULT_EMITTERS, findEmissions, type EmissionFacts } from "./emissions.js";
import { handlerEntry, type HandlerEntry } from "./handler-entry.js";
import { fileClaims, serviceScope } from "./scope.js";
import { ServiceNames } from "./service-names.js";
import { findSubscriptions, type SubscriptionFacts } from "./subscriptions.js";

export interface ServiceFacts {
  service: ServiceSpec;
  code: ServiceCode;
  entry?: HandlerEntry;
  emissions: EmissionFacts;
  /** Undefined when the service names no handler (or one of no known shape). */
  subscriptions?: SubscriptionFacts;
  calls: CodeCall[];
}

export interface DriftAnalysis {
  project: CodeProject;
  services: Map<string, ServiceFacts>;
  durationMs: number;
}

export interface DriftOptions {
  calls: CallPatterns;
  emitterNames: readonly string[];
}

export const DEFAULT_DRIFT_OPTIONS: DriftOptions = { calls: DEFAULT_CALL_PATTERNS, emitterNames: DEFAULT_EMITTERS };

/** The rule ids whose options configure the analysis (see driftOptions). */
export const CALL_RULES = ["undeclared-call", "unused-call"] as const;
export const EMISSION_RULES = ["undeclared-emission", "unused-emission", "unresolved-emission"] as const;

/** The shared analysis of this check; undefined when no service has code. */
export function driftAnalysis(ctx: CheckContext): DriftAnalysis | undefined {
  return ctx.cached("code:drift", () => {
    const cp = codeProject(ctx);
    if (!cp) return undefined;
    const analysis = analyseDrift(cp, ctx.spec, driftOptions(ctx));
    ctx.recordStats("code.drift", { services: analysis.services.size, durationMs: Math.round(analysis.durationMs) });
    return analysis;
  });
}

/** Options from the spec's `rules:` entries: call patterns from either call
 * rule, emitter names from either emission rule (both directions must agree on
 * what the code does). */
export function driftOptions(ctx: CheckContext): DriftOptions {
  const parts = CALL_RULES.map((id) => callPatternsFromOptions(ctx.ruleOptions(id), ctx.spec.rules.get(id)?.loc, id));
  const uniqueRegexes = (list: RegExp[]) => [...new Map(list.map((r) => [r.source, r])).values()];
  const calls: CallPatterns = {
    callees: [...new Set(parts.flatMap((p) => p.callees))],
    clientFactories: [...new Set(parts.flatMap((p) => p.clientFactories))],
    urlPatterns: uniqueRegexes(parts.flatMap((p) => p.urlPatterns)),
    namePatterns: uniqueRegexes(parts.flatMap((p) => p.namePatterns)),
  };
  const emitters = new Set<string>(DEFAULT_EMITTERS);
  for (const id of EMISSION_RULES) {
    const v = ctx.ruleOptions(id).emitters;
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
      const loc = ctx.spec.rules.get(id)?.loc;
      throw inputError(`rule ${id}: option emitters must be a list of function names`, { ...(loc ? { location: loc } : {}), expected: 'emitters: ["send", ...]' });
    }
    for (const e of v) emitters.add(e);
  }
  return { calls, emitterNames: [...emitters] };
}

export function analyseDrift(cp: CodeProject, spec: Spec, options: DriftOptions = DEFAULT_DRIFT_OPTIONS): DriftAnalysis {
  const started = performance.now();
  const names = new ServiceNames(spec.services.keys());
  const services = new Map<string, ServiceFacts>();
  const claims = fileClaims(cp);
  for (const [name, code] of cp.services) {
    const entry = handlerEntry(cp, code.service);
    const scope = serviceScope(cp, code, entry, claims);
    services.set(name, {
      service: code.service,
      code,
      ...(entry ? { entry } : {}),
      emissions: findEmissions(cp, scope, entry, { emitterNames: options.emitterNames }),
      ...(entry ? { subscriptions: findSubscriptions(cp, entry) } : {}),
      calls: findCalls(cp, name, [...scope.files, ...scope.regions], names, options.calls),
    });
  }
  return { project: cp, services, durationMs: performance.now() - started };
}
