// The circuit breaker of the payment service's Stripe client, as a pure state
// machine: the seed's states and thresholds (closed / open / half_open,
// 5 failures to open, 3 successes to close, 60 s open timeout, at most 10
// trial requests while half open), with the transition the seed is missing:
// once the timeout has passed, an open breaker lets trial requests through
// (half_open), so it can recover.
//
// Time is an input: every call result and every clock tick carries `at` (ms),
// and the breaker keeps the latest time it has seen. Call results reach it in
// one agreed order (the totally ordered `stripe-calls` channel); the ids of the
// results applied are kept, so a redelivered result changes nothing.

import { lookup, put, type Table } from "../shared/records.js";

export type CircuitState = "closed" | "open" | "half_open";

export interface BreakerConfig {
  failureThreshold: number;
  successThreshold: number;
  timeoutMs: number;
  maxRequests: number;
}

export const STRIPE_BREAKER: BreakerConfig = { failureThreshold: 5, successThreshold: 3, timeoutMs: 60_000, maxRequests: 10 };

export interface Breaker {
  state: CircuitState;
  /** Consecutive failures while closed. */
  failures: number;
  /** Successes while half open. */
  successes: number;
  /** Trial requests let through while half open. */
  trials: number;
  openedAt: number | null;
  /** Latest time seen (ms). */
  now: number;
  /** Ids of the call results applied (a redelivery changes nothing). */
  applied: Table<true>;
  /** Calls refused because the breaker was open (they never reached Stripe). */
  refused: number;
}

export const closedBreaker = (): Breaker => ({
  state: "closed",
  failures: 0,
  successes: 0,
  trials: 0,
  openedAt: null,
  now: 0,
  applied: {},
  refused: 0,
});

/** Moves the clock forward; an open breaker whose timeout has passed goes half open. */
export function advanceClock(b: Breaker, at: number, config: BreakerConfig = STRIPE_BREAKER): Breaker {
  if (!Number.isFinite(at) || at <= b.now) return b;
  const next = { ...b, now: at };
  if (next.state === "open" && next.openedAt !== null && at - next.openedAt >= config.timeoutMs) {
    return { ...next, state: "half_open", successes: 0, trials: 0 };
  }
  return next;
}

function open(b: Breaker): Breaker {
  return { ...b, state: "open", openedAt: b.now, failures: 0, successes: 0, trials: 0 };
}

/** The result of call `id`, made at time `at`. */
export function recordCall(
  b: Breaker,
  call: { id: string; at: number; outcome: "success" | "failure" },
  config: BreakerConfig = STRIPE_BREAKER,
): Breaker {
  if (typeof call.id !== "string" || lookup(b.applied, call.id) || (call.outcome !== "success" && call.outcome !== "failure")) return b;
  const cur = { ...advanceClock(b, call.at, config), applied: put(b.applied, call.id, true as const) };
  switch (cur.state) {
    case "open":
      return { ...cur, refused: cur.refused + 1 };
    case "half_open": {
      if (cur.trials >= config.maxRequests) return { ...cur, refused: cur.refused + 1 };
      const tried = { ...cur, trials: cur.trials + 1 };
      if (call.outcome === "failure") return open(tried);
      const successes = tried.successes + 1;
      if (successes >= config.successThreshold) return { ...tried, state: "closed", failures: 0, successes: 0, trials: 0, openedAt: null };
      return { ...tried, successes };
    }
    case "closed": {
      if (call.outcome === "success") return { ...cur, failures: 0 };
      const failures = cur.failures + 1;
      return failures >= config.failureThreshold ? open({ ...cur, failures }) : { ...cur, failures };
    }
  }
}

/** Whether a new call may go to Stripe now. */
export function allowsRequest(b: Breaker, config: BreakerConfig = STRIPE_BREAKER): boolean {
  if (b.state === "closed") return true;
  if (b.state === "half_open") return b.trials < config.maxRequests;
  return false;
}

/** An open breaker whose timeout has passed but that still refuses every call. */
export function stuckOpen(b: Breaker, config: BreakerConfig = STRIPE_BREAKER): boolean {
  return b.state === "open" && b.openedAt !== null && b.now - b.openedAt >= config.timeoutMs;
}
