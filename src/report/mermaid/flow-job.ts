// Sandbox job of the diagrams that need the handlers: the in-order event flow
// of every scenario and the senders of every counterexample trace. Runs in a
// worker (model/runtime/sandbox) so a handler that hangs cannot hang `docs`.
import { loadSystemRuntime } from "../../model/runtime/index.js";
import { valueCodec } from "../../model/runtime/codec.js";
import { createSystemModel, topologyFromSpec } from "../../model/system/index.js";
import type { Trace } from "../../check/simulate/trace-format.js";
import type { Spec } from "../../spec/types.js";
import type { TraceAnnotation } from "./counterexample.js";
import { annotateTrace, runScenarioFlow, type ScenarioFlow } from "./flow.js";

export interface FlowJobInput {
  spec: Spec;
  traces: Trace[];
}

export interface FlowJobOutput {
  flows: ScenarioFlow[];
  /** Parallel to the input traces. */
  annotations: TraceAnnotation[];
}

export default async function flowJob(input: FlowJobInput): Promise<FlowJobOutput> {
  const { spec } = input;
  const runtime = await loadSystemRuntime(spec);
  const flows: ScenarioFlow[] = [];
  const model = createSystemModel({ topology: topologyFromSpec(spec), runtime, codec: valueCodec, bounds: { duplicates: 0, crashes: 0 } });
  for (const s of spec.scenarios.values()) {
    const inputs = s.inputs.map((i) => ({ channel: i.channel.name, event: i.event }));
    flows.push({ ...runScenarioFlow(model, s.name, inputs), ...(s.description ? { description: s.description } : {}) });
  }
  const annotations = input.traces.map((trace) => {
    // A trace's schedule may use faults (duplicates, crashes): replay it with its own bounds.
    const bounds = trace.bounds ?? {};
    const traced = createSystemModel({
      topology: topologyFromSpec(spec),
      runtime,
      codec: valueCodec,
      bounds: { duplicates: bounds.duplicates ?? 1, crashes: bounds.crashes ?? 0 },
    });
    try {
      return annotateTrace(traced, trace);
    } catch {
      // A trace of another version of the spec (a channel renamed since): draw it unannotated.
      return { senders: {}, notes: trace.transitions.map(() => []) };
    }
  });
  return { flows, annotations };
}
