// The seed's circuit breaker (MicroservicePlatform.getCircuitBreaker,
// updateCircuitBreaker and the check in CallService), translated as is:
// failureThreshold 5, successThreshold 3, timeout 60 s, maxRequests 10.
//
// Faithful defects: nothing ever moves an open breaker to half_open (the
// 60 s timeout is configured but never consulted), and CallService refuses
// every call while open, so the breaker never sees another result: once open,
// open forever. Failures are also never reset by a success while closed.

export type CircuitState = "closed" | "open" | "half_open";

export interface CircuitConfig {
  failureThreshold: number;
  successThreshold: number;
  timeoutMs: number;
  maxRequests: number;
}

export const SEED_CONFIG: CircuitConfig = { failureThreshold: 5, successThreshold: 3, timeoutMs: 60_000, maxRequests: 10 };

export interface CircuitBreaker {
  service: string;
  state: CircuitState;
  failureCount: number;
  successCount: number;
  lastFailureTime: number | null;
  lastSuccessTime: number | null;
  /** When the breaker opened (the seed does not record it; kept so a checker can see the timeout pass). */
  openedAt: number | null;
  /** Latest time seen. */
  now: number;
  totalRequests: number;
  refusedRequests: number;
  lastSeq: number;
}

export function newCircuitBreaker(service: string): CircuitBreaker {
  return {
    service,
    state: "closed",
    failureCount: 0,
    successCount: 0,
    lastFailureTime: null,
    lastSuccessTime: null,
    openedAt: null,
    now: 0,
    totalRequests: 0,
    refusedRequests: 0,
    lastSeq: 0,
  };
}

/** CallService: refused while open; otherwise the call runs and updateCircuitBreaker records it. */
export function callService(cb: CircuitBreaker, call: { seq: number; at: number; success: boolean }, config = SEED_CONFIG): CircuitBreaker {
  if (!Number.isSafeInteger(call.seq) || call.seq <= cb.lastSeq) return cb;
  const now = Number.isFinite(call.at) ? Math.max(cb.now, call.at) : cb.now;
  const cur = { ...cb, now, lastSeq: call.seq };
  if (cur.state === "open") return { ...cur, refusedRequests: cur.refusedRequests + 1 }; // "circuit breaker is open"
  return updateCircuitBreaker(cur, call.success, config);
}

export function updateCircuitBreaker(cb: CircuitBreaker, success: boolean, config = SEED_CONFIG): CircuitBreaker {
  const cur = { ...cb, totalRequests: cb.totalRequests + 1 };
  if (success) {
    const successCount = cur.successCount + 1;
    if (cur.state === "half_open" && successCount >= config.successThreshold) {
      return { ...cur, state: "closed", failureCount: 0, successCount: 0, lastSuccessTime: cur.now };
    }
    return { ...cur, successCount, lastSuccessTime: cur.now };
  }
  const failureCount = cur.failureCount + 1;
  if (failureCount >= config.failureThreshold) {
    return { ...cur, state: "open", openedAt: cur.now, failureCount: 0, successCount: 0, lastFailureTime: cur.now };
  }
  return { ...cur, failureCount, lastFailureTime: cur.now };
}

/** The passage of time: the seed's breaker has no use for it. */
export function tick(cb: CircuitBreaker, at: number): CircuitBreaker {
  return Number.isFinite(at) && at > cb.now ? { ...cb, now: at } : cb;
}

export function stuckOpen(cb: CircuitBreaker, config = SEED_CONFIG): boolean {
  return cb.state === "open" && cb.openedAt !== null && cb.now - cb.openedAt >= config.timeoutMs;
}
