// The handler contract of PRODUCT.md. User code does not import this: it only
// has to have the same shape. Loaders normalise other shapes (Decider,
// reducer) into it.

/** A plain JSON event. A redelivered duplicate carries the same `id`. */
export interface Event {
  type: string;
  id: string;
  [field: string]: unknown;
}

export interface HandlerResult<S> {
  state: S;
  emit?: Event[];
}

export interface Handler<S = unknown, E extends Event = Event> {
  initialState(): S;
  handle(state: S, event: E): HandlerResult<S>;
}

/** A named predicate over the states of all services (keyed by service name):
 * `true` when it holds, `false` or a message when it is broken. */
export type Predicate = (states: Record<string, unknown>) => boolean | string;
export type Predicates = Record<string, Predicate>;
