// Sandbox job of `archverify replay`: load the handlers in the worker and
// re-run one trace there.
import { loadSystemRuntime } from "../../model/runtime/index.js";
import { valueCodec } from "../../model/runtime/codec.js";
import { createSystemModel, topologyFromSpec } from "../../model/system/index.js";
import type { Spec } from "../../spec/types.js";
import { replayTrace, type ReplayOutcome } from "./replay.js";
import type { Trace } from "./trace-format.js";

export interface ReplayJobInput {
  spec: Spec;
  trace: Trace;
}

export default async function replayJob(input: ReplayJobInput): Promise<ReplayOutcome> {
  const runtime = await loadSystemRuntime(input.spec);
  const bounds = input.trace.bounds ?? {};
  const model = createSystemModel({
    topology: topologyFromSpec(input.spec),
    runtime,
    codec: valueCodec,
    bounds: {
      ...(bounds.duplicates !== undefined ? { duplicates: bounds.duplicates } : {}),
      ...(bounds.crashes !== undefined ? { crashes: bounds.crashes } : {}),
    },
  });
  return replayTrace(model, input.trace);
}
