// The sandbox job of the exhaustive check: runs inside a worker thread (a handler that hangs
// is stopped by the sandbox's per-call timeout), loads the user's handlers there and explores
// every scenario; the main thread sees progress lines and the results.
import type { SandboxJobContext } from "../../model/runtime/sandbox.js";
import { loadSystemRuntime } from "../../model/runtime/index.js";
import { valueCodec } from "../../model/runtime/codec.js";
import { createSystemModel, topologyFromSpec, type SystemBounds } from "../../model/system/index.js";
import type { Spec } from "../../spec/types.js";
import { checkScenario, type Reductions, type ScenarioCheck } from "./index.js";
import type { SearchOrder } from "./types.js";

export interface ExploreJobInput {
  spec: Spec;
  bounds: SystemBounds;
  order: SearchOrder;
  reductions: Reductions;
  maxStates?: number;
  maxDepth?: number;
  timeBudgetMs?: number;
  /** Only these scenarios (default: all, in spec order). */
  scenarios?: string[];
}

export interface ScenarioExploration {
  scenario: string;
  check: ScenarioCheck;
}

export type ExploreJobMessage = { kind: "progress"; line: string };

export default async function exploreJob(input: ExploreJobInput, ctx: SandboxJobContext): Promise<ScenarioExploration[]> {
  const { spec } = input;
  const runtime = await loadSystemRuntime(spec);
  const topology = topologyFromSpec(spec);
  const wanted = input.scenarios ? new Set(input.scenarios) : undefined;
  const started = performance.now();
  const out: ScenarioExploration[] = [];
  for (const s of spec.scenarios.values()) {
    if (wanted && !wanted.has(s.name)) continue;
    // A model per scenario: interned numbers order the canonical transition lists, hence which
    // of several shortest counterexamples is found, so a shared model would make a scenario's
    // witness depend on the scenarios explored before it (a shard, a scenario added).
    const model = createSystemModel({ topology, runtime, codec: valueCodec, bounds: input.bounds });
    const left = input.timeBudgetMs === undefined ? undefined : Math.max(1, input.timeBudgetMs - (performance.now() - started));
    const check = checkScenario(
      model,
      s.inputs.map((i) => ({ channel: i.channel.name, event: i.event })),
      {
        order: input.order,
        reductions: input.reductions,
        ...(input.maxStates !== undefined ? { maxStates: input.maxStates } : {}),
        ...(input.maxDepth !== undefined ? { maxDepth: input.maxDepth } : {}),
        ...(left !== undefined ? { timeBudgetMs: left } : {}),
        label: `explore ${s.name}`,
        progress: (line) => ctx.post({ kind: "progress", line } satisfies ExploreJobMessage),
      },
    );
    out.push({ scenario: s.name, check });
  }
  return out;
}
