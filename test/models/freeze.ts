// Deep-freezes test inputs, as the checkers do: a handler that mutates its
// state or event then throws (ES modules run in strict mode).
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** Applies events one after the other from `initial`, freezing every input; returns the final state and all emissions. */
export function applyAll<S, E>(
  handler: { handle(state: S, event: E): { state: S; emit?: unknown[] } },
  initial: S,
  events: readonly E[],
): { state: S; emit: unknown[] } {
  let state = initial;
  const emit: unknown[] = [];
  for (const e of events) {
    const r = handler.handle(deepFreeze(state), deepFreeze(structuredClone(e)));
    state = r.state;
    emit.push(...(r.emit ?? []));
  }
  return { state, emit };
}

export const types = (emit: readonly unknown[]): string[] => emit.map((e) => (e as { type: string }).type);
