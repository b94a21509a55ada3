// Tools to catch impure handlers: deep freezing of inputs (writes to a frozen
// object throw in ESM's strict mode; Map/Set/Date writes are caught by
// comparing encodings instead), and a controlled environment in which the
// clock and the random source differ between two calls of the same input.

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

/** Runs `fn` with the clock and Math.random replaced by a variant: a pure
 * handler gives the same result in variant 0 and 1, one that reads the clock
 * or the random source almost surely does not. */
export function withEnvironment<T>(variant: 0 | 1, fn: () => T): T {
  const base = RealDate.UTC(2030, 0, 1) + variant * 37 * 86_400_000 + variant * 12_345;
  let tick = 0;
  const now = () => base + tick++;
  let seed = variant === 0 ? 0x2545f491 : 0x9e3779b9;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  class FakeDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string]));
    }
    static override now(): number {
      return now();
    }
  }
  const g = globalThis as { Date: DateConstructor };
  const crypto = globalThis.crypto as { randomUUID?: () => string } | undefined;
  const realUUID = crypto?.randomUUID;
  g.Date = FakeDate as DateConstructor;
  Math.random = random;
  performance.now = now;
  if (crypto && realUUID) {
    try {
      crypto.randomUUID = () => `${variant}0000000-0000-4000-8000-${String(tick++).padStart(12, "0")}`;
    } catch {
      // a read-only crypto: two real UUIDs differ anyway
    }
  }
  try {
    return fn();
  } finally {
    g.Date = RealDate;
    Math.random = realRandom;
    performance.now = realPerfNow;
    if (crypto && realUUID) {
      try {
        crypto.randomUUID = realUUID;
      } catch {
        // see above
      }
    }
  }
}
