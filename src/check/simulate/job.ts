// The sandbox job of the convergence simulation: runs inside a worker thread,
// loads the user's handlers there and calls them directly in the hot loop (no
// message per call); the main thread only sees progress and the result.
import type { SandboxJobContext } from "../../model/runtime/sandbox.js";
import { loadSystemRuntime } from "../../model/runtime/index.js";
import { valueCodec } from "../../model/runtime/codec.js";
import { createSystemModel, topologyFromSpec, type SystemBounds } from "../../model/system/index.js";
import type { Spec } from "../../spec/types.js";
import { concurrentCopies } from "./copies.js";
import { simulateSystem, type SimulationProgress, type SystemSimulation } from "./system.js";

export interface SimulationJobInput {
  spec: Spec;
  seed: number;
  runs: number;
  maxDepth: number;
  timeBudgetMs?: number;
  bounds: SystemBounds;
  /** Only these scenarios (default: all, in spec order). */
  scenarios?: string[];
  /** Also run each scenario as this many concurrent copies (ids and keys renamed); 1: only the scenario. */
  copies?: number;
}

export type SimulationJobMessage = { kind: "progress"; progress: SimulationProgress };

export default async function simulationJob(input: SimulationJobInput, ctx: SandboxJobContext): Promise<SystemSimulation> {
  const { spec } = input;
  const runtime = await loadSystemRuntime(spec);
  const model = createSystemModel({ topology: topologyFromSpec(spec), runtime, codec: valueCodec, bounds: input.bounds });
  const wanted = input.scenarios ? new Set(input.scenarios) : undefined;
  const keyPath = (channel: string) => spec.channels.get(channel)?.key;
  const copies = input.copies ?? 1;
  const scenarios = [...spec.scenarios.values()]
    .filter((s) => !wanted || wanted.has(s.name))
    .flatMap((s) => {
      const inputs = s.inputs.map((i) => ({ channel: i.channel.name, event: i.event }));
      const original = { name: s.name, inputs };
      return copies < 2 ? [original] : [original, { name: `${s.name}*${copies}`, of: s.name, inputs: concurrentCopies(inputs, copies, keyPath) }];
    });
  return simulateSystem(model, {
    runs: input.runs,
    seed: input.seed,
    maxDepth: input.maxDepth,
    ...(input.timeBudgetMs !== undefined ? { timeBudgetMs: input.timeBudgetMs } : {}),
    scenarios,
    onProgress: (progress) => ctx.post({ kind: "progress", progress } satisfies SimulationJobMessage),
  });
}
