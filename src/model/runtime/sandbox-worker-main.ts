// The worker side of runInSandbox. A worker is kept warm between jobs (tsx
// registration costs ~0.4 s per thread); each job message is run in turn: the
// heartbeat is reset, the job module imported and called, and its result (or
// its error, serialised so the main thread can re-throw it) posted back.
import { parentPort, workerData } from "node:worker_threads";
import { HEARTBEAT_CALLS, HEARTBEAT_IN_CALL, installHeartbeat, resetDiagnose } from "./guard.js";
import { OUTPUT_LINES, type JobMessage, type SandboxJob, type SerializedError, type WorkerBoot, type WorkerMessage } from "./sandbox.js";

const boot = workerData as WorkerBoot;
const port = parentPort;
if (!port) throw new Error("sandbox-worker-main must run in a worker thread");
const send = (m: WorkerMessage) => port.postMessage(m);
const beat = new Int32Array(boot.heartbeat);

// What handlers print must not reach archverify's stdout (JSON reports); the
// last lines travel with an error instead.
const printed: string[] = [];
const capture = (chunk: unknown): boolean => {
  printed.push(...String(chunk).split("\n").filter((l) => l.length > 0));
  if (printed.length > OUTPUT_LINES) printed.splice(0, printed.length - OUTPUT_LINES);
  return true;
};
process.stdout.write = capture as typeof process.stdout.write;
process.stderr.write = capture as typeof process.stderr.write;

installHeartbeat(boot.heartbeat, {
  onDiagnose: (label) => send({ kind: "diagnose", label: cloneable(label) }),
  onService: (index, name) => send({ kind: "service", index, name }),
});

port.on("message", (job: JobMessage) => {
  void runJob(job);
});
send({ kind: "ready" });

async function runJob(job: JobMessage): Promise<void> {
  Atomics.store(beat, HEARTBEAT_CALLS, 0);
  Atomics.store(beat, HEARTBEAT_IN_CALL, 0);
  resetDiagnose(job.diagnoseCall ?? -1);
  printed.length = 0;
  try {
    const mod = (await import(job.jobModuleUrl)) as { default?: SandboxJob<unknown, unknown>; run?: SandboxJob<unknown, unknown> };
    const run = mod.default ?? mod.run;
    if (typeof run !== "function") throw new Error(`sandbox job ${job.jobModuleUrl} exports no default or run function`);
    const value = await run(job.input, { post: (message) => send({ kind: "post", id: job.id, message }), callTimeoutMs: job.callTimeoutMs });
    send({ kind: "done", id: job.id, value });
  } catch (error) {
    send({ kind: "error", id: job.id, error: serializeError(error), output: [...printed] });
  }
}

function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const out: SerializedError = { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  const e = error as Error & { kind?: unknown; location?: unknown; expected?: unknown; hint?: unknown };
  if (error.name === "ArchverifyError" && typeof e.kind === "string") {
    out.archverify = {
      kind: e.kind as "input",
      ...(e.location ? { location: e.location as never } : {}),
      ...(typeof e.expected === "string" ? { expected: e.expected } : {}),
      ...(typeof e.hint === "string" ? { hint: e.hint } : {}),
    };
  }
  return out;
}

/** Events are JSON, but a label must never make postMessage throw. */
function cloneable<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return JSON.parse(JSON.stringify(value ?? null)) as T;
  }
}
