// The heartbeat every handler call goes through. Inside a sandbox worker the
// main thread watches it (a SharedArrayBuffer) and terminates the worker when
// one call runs longer than the per-call timeout; outside a worker it costs
// two integer writes. Kept tiny because it sits on the hot path of every check.
// Every call also runs in a seeded clock-and-random environment (purity.ts).
import { enterHandlerCall, leaveHandlerCall } from "./purity.js";

/** Int32 slots of the heartbeat buffer. */
export const HEARTBEAT_CALLS = 0; // calls started so far
export const HEARTBEAT_IN_CALL = 1; // 1 while a handler call runs
export const HEARTBEAT_SERVICE = 2; // index of the service being called (see serviceIndex)
export const HEARTBEAT_SLOTS = 4;

let beat: Int32Array | undefined;
let diagnoseCall = -1;
let diagnose: ((label: CallLabel) => void) | undefined;
const serviceNames: string[] = [];
let onNewService: ((index: number, name: string) => void) | undefined;

/** What a call is about, for a timeout finding. */
export interface CallLabel {
  service: string;
  event: unknown;
}

/** Called once by the sandbox worker. `onDiagnose` receives the label of call
 * number `call` (1-based) just before it starts: the diagnose re-run of a job
 * that timed out uses it to name the event without slowing every call down. */
export function installHeartbeat(
  buffer: SharedArrayBuffer,
  hooks: { diagnoseCall?: number; onDiagnose?: (label: CallLabel) => void; onService?: (index: number, name: string) => void } = {},
): void {
  beat = new Int32Array(buffer);
  diagnoseCall = hooks.diagnoseCall ?? -1;
  diagnose = hooks.onDiagnose;
  onNewService = hooks.onService;
  serviceNames.forEach((name, i) => onNewService?.(i, name));
}

/** Sets which call (1-based, per job) the diagnose hook reports; -1 for none. */
export function resetDiagnose(call: number): void {
  diagnoseCall = call;
}

/** A small number standing for a service name in the heartbeat. */
export function serviceIndex(name: string): number {
  let i = serviceNames.indexOf(name);
  if (i < 0) {
    i = serviceNames.push(name) - 1;
    onNewService?.(i, name);
  }
  return i;
}

export function serviceName(index: number): string | undefined {
  return serviceNames[index];
}

/** Runs one handler call under the heartbeat, in the environment of its service and event. */
export function guardedCall<T>(service: number, event: unknown, call: () => T): T {
  if (!enterHandlerCall(service, event)) return heartbeatCall(service, event, call);
  try {
    return heartbeatCall(service, event, call);
  } finally {
    leaveHandlerCall();
  }
}

function heartbeatCall<T>(service: number, event: unknown, call: () => T): T {
  const b = beat;
  if (!b) return call();
  const n = Atomics.add(b, HEARTBEAT_CALLS, 1) + 1;
  Atomics.store(b, HEARTBEAT_SERVICE, service);
  if (n === diagnoseCall && diagnose) diagnose({ service: serviceNames[service] ?? `#${service}`, event });
  Atomics.store(b, HEARTBEAT_IN_CALL, 1);
  try {
    return call();
  } finally {
    Atomics.store(b, HEARTBEAT_IN_CALL, 0);
  }
}
