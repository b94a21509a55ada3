// runInSandbox: run a check job in a worker thread, so that a handler stuck in
// a busy loop cannot hang archverify.
//
// API (for every checker that runs user handlers):
//
//   const result = await runInSandbox<Input, Output>(jobModuleUrl, input, { callTimeoutMs: 1000 });
//   if (result.ok) use(result.value); else report(result.timeout);
//
// - Workers are kept warm between jobs (starting one and registering tsx
//   costs ~0.5 s); `warmSandbox()` starts one early. Idle workers are unref'd
//   and never keep the process alive. Module state of a job (e.g. imported
//   handler modules) may survive into the next job on the same worker.
// - `jobModuleUrl`: file URL of a TS (or JS) module, e.g.
//   `new URL("./my-job.ts", import.meta.url).href`. It runs inside the worker
//   (tsx is registered there, so it may import archverify's sources and users'
//   .ts files) and exports `default` (or `run`): `async (input, ctx) => output`.
//   `ctx: SandboxJobContext` gives `post(message)` (delivered to `onMessage`
//   on the main thread, e.g. progress or partial results that survive a
//   timeout) and `callTimeoutMs`.
// - `input` / output: structured-cloneable (no functions). Load handlers in the
//   job with `loadSystemRuntime(spec)`; the Spec is cloneable (Maps survive).
// - Every `ServiceRuntime.handle` call of a runtime loaded inside the worker
//   goes through a SharedArrayBuffer heartbeat (`guardedCall`): the main thread
//   polls it and terminates the worker when one call runs longer than
//   `callTimeoutMs`. The job then re-runs once in a diagnose mode that reports
//   the service and event of the call that hung (same input: jobs must be
//   deterministic for a seed), and the result is `{ ok: false, timeout }`.
// - An ArchverifyError thrown by the job is re-thrown here as an
//   ArchverifyError (same kind, location, expected, hint); any other error is
//   re-thrown as an Error carrying the worker's stack and the last lines the
//   job printed. Output on stdout/stderr inside the worker is swallowed (it
//   would corrupt JSON reports).
import { Worker } from "node:worker_threads";
import { ArchverifyError, type ErrorKind } from "../../errors.js";
import type { SourceLocation } from "../../spec/types.js";
import { HEARTBEAT_CALLS, HEARTBEAT_IN_CALL, HEARTBEAT_SERVICE, HEARTBEAT_SLOTS, type CallLabel } from "./guard.js";

export interface SandboxOptions {
  /** Longest a single handler call may take (default 1000 ms). */
  callTimeoutMs?: number;
  /** Messages the job posts with `ctx.post`. */
  onMessage?: (message: unknown) => void;
  /** Re-run a job that timed out to name the event that hung (default true). */
  diagnose?: boolean;
}

export interface SandboxJobContext {
  post(message: unknown): void;
  callTimeoutMs: number;
}

export type SandboxJob<I, O> = (input: I, ctx: SandboxJobContext) => O | Promise<O>;

/** A handler call that ran longer than the timeout. */
export interface SandboxTimeout {
  /** Service whose handler hung (from the heartbeat). */
  service: string;
  /** The event of that call, when the diagnose re-run could name it. */
  event?: unknown;
  /** 1-based number of the call within the job. */
  call: number;
  timeoutMs: number;
}

export type SandboxResult<O> = { ok: true; value: O } | { ok: false; timeout: SandboxTimeout };

/** Messages from the worker (sandbox-worker-main.ts). */
export type WorkerMessage =
  | { kind: "ready" }
  | { kind: "done"; id: number; value: unknown }
  | { kind: "error"; id: number; error: SerializedError; output: string[] }
  | { kind: "post"; id: number; message: unknown }
  | { kind: "service"; index: number; name: string }
  | { kind: "diagnose"; label: CallLabel };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  archverify?: { kind: ErrorKind; location?: SourceLocation; expected?: string; hint?: string };
}

/** `workerData` of a sandbox worker. */
export interface WorkerBoot {
  heartbeat: SharedArrayBuffer;
}

/** One job sent to a warm worker. */
export interface JobMessage {
  id: number;
  jobModuleUrl: string;
  input: unknown;
  callTimeoutMs: number;
  /** Diagnose mode: report call number N before it starts. */
  diagnoseCall?: number;
}

const BOOTSTRAP = new URL("./sandbox-worker.mjs", import.meta.url);
export const OUTPUT_LINES = 20;
const MAX_IDLE = 2;

export async function runInSandbox<I, O>(jobModuleUrl: string, input: I, options: SandboxOptions = {}): Promise<SandboxResult<O>> {
  const callTimeoutMs = options.callTimeoutMs ?? 1000;
  const started = performance.now();
  const first = await runOnce(jobModuleUrl, input, callTimeoutMs, options.onMessage);
  if (first.kind === "done") return { ok: true, value: first.value as O };
  const timeout: SandboxTimeout = {
    service: first.service,
    call: first.call,
    timeoutMs: callTimeoutMs,
  };
  if (options.diagnose ?? true) {
    // Bound the re-run: it replays what the first run did before the hang.
    const bound = 2 * (performance.now() - started) + 5000;
    const again = await runOnce(jobModuleUrl, input, callTimeoutMs, undefined, first.call, bound);
    if (again.kind === "timeout" && again.label && again.call === first.call) {
      timeout.service = again.label.service;
      timeout.event = again.label.event;
    }
  }
  return { ok: false, timeout };
}

/** Starts a worker ahead of the first job (registering tsx there takes a
 * moment), e.g. while the spec and the code are being read. */
export function warmSandbox(): void {
  if (idle.length === 0) release(spawn());
}

/** Terminates the idle workers (they never keep the process alive anyway). */
export async function closeSandbox(): Promise<void> {
  const all = idle.splice(0);
  await Promise.all(all.map((w) => w.worker.terminate()));
}

interface PooledWorker {
  worker: Worker;
  beat: Int32Array;
  names: Map<number, string>;
  ready: Promise<void>;
  listener?: (m: WorkerMessage) => void;
  onExit?: (code: number) => void;
  dead: boolean;
}

const idle: PooledWorker[] = [];
let nextJobId = 1;

function spawn(): PooledWorker {
  const heartbeat = new SharedArrayBuffer(HEARTBEAT_SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const boot: WorkerBoot = { heartbeat };
  const worker = new Worker(BOOTSTRAP, { workerData: boot });
  let markReady: () => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const pooled: PooledWorker = {
    worker,
    beat: new Int32Array(heartbeat),
    names: new Map(),
    ready: new Promise<void>((resolve, reject) => {
      markReady = resolve;
      fail = reject;
    }),
    dead: false,
  };
  pooled.ready.catch(() => {});
  worker.on("message", (m: WorkerMessage) => {
    if (m.kind === "ready") markReady();
    else if (m.kind === "service") pooled.names.set(m.index, m.name);

    else pooled.listener?.(m);
  });
  worker.on("error", (e) => {
    pooled.dead = true;
    fail(e);
    pooled.onExit?.(-1);
  });
  worker.on("exit", (code) => {
    pooled.dead = true;
    fail(new Error(`the sandbox worker exited with code ${code} while starting`));
    const i = idle.indexOf(pooled);
    if (i >= 0) idle.splice(i, 1);
    pooled.onExit?.(code);
  });
  return pooled;
}

function acquire(): PooledWorker {
  let w = idle.pop();
  while (w && w.dead) w = idle.pop();
  const pooled = w ?? spawn();
  pooled.worker.ref();
  return pooled;
}

function release(w: PooledWorker): void {
  delete w.listener;
  delete w.onExit;
  if (w.dead) return;
  w.worker.unref();
  if (idle.length < MAX_IDLE) idle.push(w);
  else void w.worker.terminate();
}

type Outcome =
  | { kind: "done"; value: unknown }
  | { kind: "timeout"; service: string; call: number; label?: CallLabel };

async function runOnce(
  jobModuleUrl: string,
  input: unknown,
  callTimeoutMs: number,
  onMessage: ((m: unknown) => void) | undefined,
  diagnoseCall?: number,
  totalBoundMs?: number,
): Promise<Outcome> {
  const w = acquire();
  await w.ready;
  const { beat, names, worker } = w;
  const id = nextJobId++;

  return new Promise<Outcome>((resolve, reject) => {
    let settled = false;
    let seenCalls = -1;
    let seenSince = performance.now();
    const begun = performance.now();
    const finish = (action: () => void, keepWorker: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      if (keepWorker) release(w);
      else {
        w.dead = true;
        delete w.listener;
        delete w.onExit;
        void worker.terminate();
      }
      action();
    };
    const stuck = (label?: CallLabel) => {
      const call = Atomics.load(beat, HEARTBEAT_CALLS);
      const index = Atomics.load(beat, HEARTBEAT_SERVICE);
      const service = label?.service ?? names.get(index) ?? `service #${index}`;
      finish(() => resolve({ kind: "timeout", service, call: label ? (diagnoseCall ?? call) : call, ...(label ? { label } : {}) }), false);
    };
    const poll = () => {
      const calls = Atomics.load(beat, HEARTBEAT_CALLS);
      const now = performance.now();
      if (Atomics.load(beat, HEARTBEAT_IN_CALL) === 1 && calls === seenCalls) {
        if (now - seenSince > callTimeoutMs) stuck();
      } else {
        seenCalls = calls;
        seenSince = now;
      }
      if (totalBoundMs !== undefined && now - begun > totalBoundMs) stuck();
    };
    const timer = setInterval(poll, Math.min(50, Math.max(5, Math.floor(callTimeoutMs / 5))));

    w.listener = (m) => {
      switch (m.kind) {
        case "done":
          if (m.id === id) finish(() => resolve({ kind: "done", value: m.value }), true);
          break;
        case "error":
          if (m.id === id) {
            const error = reviveError(m.error, m.output);
            finish(() => reject(error), true);
          }
          break;
        case "post":
          if (m.id === id) onMessage?.(m.message);
          break;
        case "diagnose":
          // The call that hung before is about to start again: that names it.
          stuck(m.label);
          break;
      }
    };
    w.onExit = (code) => {
      finish(() => reject(new Error(`the sandbox worker exited with code ${code} before the job finished`)), false);
    };
    const job: JobMessage = { id, jobModuleUrl, input, callTimeoutMs, ...(diagnoseCall ? { diagnoseCall } : {}) };
    worker.postMessage(job);
  });
}

function tail(output: string[]): string {
  return output.length ? `; its last output:\n${output.join("\n")}` : "";
}

function reviveError(e: SerializedError, output: string[]): Error {
  if (e.archverify) {
    const { kind, location, expected, hint } = e.archverify;
    return new ArchverifyError(kind, e.message, { ...(location ? { location } : {}), ...(expected ? { expected } : {}), ...(hint ? { hint } : {}) });
  }
  const error = new Error(`${e.message}${tail(output)}`);
  error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}
