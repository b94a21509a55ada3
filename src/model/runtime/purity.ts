// Tools to catch impure handlers: deep freezing of inputs (writes to a frozen
// object throw in ESM's strict mode; Map/Set/Date writes are caught by
// comparing encodings instead), and the controlled environment every handler
// call runs in (a seeded clock and random source).

export function deepFreeze<T>(value: T): T {
  const seen = new Set<object>();
  const go = (v: unknown) => {
    if (typeof v !== "object" || v === null || seen.has(v) || ArrayBuffer.isView(v)) return;
    seen.add(v);
    if (v instanceof Map) for (const [k, x] of v) (go(k), go(x));
    else if (v instanceof Set) for (const x of v) go(x);
    else for (const k of Object.keys(v)) go((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  };
  go(value);
  return value;
}

/** A TypeError raised by writing to a frozen input. */
export function isFrozenWrite(error: unknown): boolean {
  return error instanceof TypeError && /read[- ]only|not extensible|Cannot (assign|add|delete|define|redefine)|frozen/i.test(error.message);
}

export function deepClone<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

const RealDate = Date;
const realRandom = Math.random;
const realPerfNow = performance.now.bind(performance);
const cryptoObject = globalThis.crypto as { randomUUID?: () => string } | undefined;
const realUUID = cryptoObject?.randomUUID;

/**
 * The environment a handler call sees: a clock that starts at a fixed instant
 * and ticks one millisecond per read, and a xorshift random source (behind
 * Math.random and crypto.randomUUID), both from one 32-bit seed. Every handler
 * call runs in one (guard.ts), seeded from the service and the event, so a
 * handler that reads the clock or Math.random still gives the same result for
 * the same input: the same seed gives the same report, and a counterexample
 * replays. The nondeterminism check runs a call in two different ones.
 *
 * Cheap on the hot path: the globals are replaced once, by stand-ins that
 * behave exactly like the real ones outside a handler call; entering a call
 * sets two variables, and the seed is computed only when the handler reads the
 * clock or the random source.
 */
let active = false;
/** The seed of the current call, or the service and event to compute it from. */
let pending: number | undefined = 0;
let callService = 0;
let callEvent: unknown;
let seeded = false;
let clockBase = 0;
let tick = 0;
let state = 1;

function seedNow(): void {
  const seed = pending ?? callSeed(callService, callEvent);
  clockBase = RealDate.UTC(2030, 0, 1) + ((seed >>> 0) % (365 * 86_400));
  tick = 0;
  state = seed | 0 || 0x2545f491;
  seeded = true;
}
const fakeNow = () => {
  if (!seeded) seedNow();
  return clockBase + tick++;
};
const fakeRandom = () => {
  if (!seeded) seedNow();
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};
const fakeUUID = () => {
  const hex = (n: number) => Math.floor(fakeRandom() * 16 ** n).toString(16).padStart(n, "0");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
};

let installed = false;

/** Puts the stand-ins in place (once): outside a call each is the real thing. */
function install(): void {
  installed = true;
  const StandInDate = function (this: unknown, ...args: unknown[]) {
    if (!new.target) return active ? new RealDate(fakeNow()).toString() : RealDate();
    return Reflect.construct(RealDate, args.length === 0 && active ? [fakeNow()] : args, new.target);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(StandInDate, RealDate);
  Object.defineProperties(StandInDate, {
    prototype: { value: RealDate.prototype },
    now: { value: () => (active ? fakeNow() : RealDate.now()), writable: true, configurable: true },
  });
  (globalThis as { Date: DateConstructor }).Date = StandInDate;
  Math.random = () => (active ? fakeRandom() : realRandom());
  performance.now = () => (active ? fakeNow() : realPerfNow());
  if (cryptoObject && realUUID) {
    try {
      cryptoObject.randomUUID = (() => (active ? fakeUUID() : realUUID.call(cryptoObject))) as typeof realUUID;
    } catch {
      // a read-only crypto: handlers then see real UUIDs (the nondeterminism check still runs)
    }
  }
}

/** Runs `fn` in the environment of `seed`. A nested call keeps the outer environment. */
export function inEnvironment<T>(seed: number, fn: () => T): T {
  if (!enter(seed, 0, undefined)) return fn();
  try {
    return fn();
  } finally {
    active = false;
  }
}

/**
 * Enters the environment of one handler call, seeded (when the handler reads
 * the clock or the random source) from the service and the event's type and
 * id: a redelivered duplicate sees what the original saw. False when an
 * environment is already active (the nondeterminism check's); otherwise the
 * caller must call leaveHandlerCall. (No closure: this is on every call's path.)
 */
export function enterHandlerCall(service: number, event: unknown): boolean {
  return enter(undefined, service, event);
}

export function leaveHandlerCall(): void {
  active = false;
}

function enter(seed: number | undefined, service: number, event: unknown): boolean {
  if (active) return false;
  if (!installed) install();
  active = true;
  pending = seed;
  callService = service;
  callEvent = event;
  seeded = false;
  return true;
}

function callSeed(service: number, event: unknown): number {
  const e = event as { type?: unknown; id?: unknown; metadata?: { eventId?: unknown } } | null;
  if (typeof e !== "object" || e === null) return environmentSeed(service);
  return environmentSeed(service, String(e.type), String(e.id ?? e.metadata?.eventId ?? ""));
}

/** A seed for a call from what identifies it (FNV-1a over the parts). */
export function environmentSeed(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193);
  }
  return h | 0;
}

/** Runs `fn` with the clock and Math.random in one of two different
 * environments: a pure handler gives the same result in variant 0 and 1, one
 * that reads the clock or the random source almost surely does not. */
export function withEnvironment<T>(variant: 0 | 1, fn: () => T): T {
  return inEnvironment(variant === 0 ? 0x2545f491 : environmentSeed("variant", 1) ^ 0x9e3779b9, fn);
}
