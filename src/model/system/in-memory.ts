// ServiceRuntimes made from plain functions: for tests, benches and library users who
// build a system in code instead of loading handlers named by a spec.
import type { Event } from "../handler.js";
import type { ServiceRuntime } from "../runtime-types.js";

export interface InMemoryHandler<S> {
  initialState(): S;
  handle(state: S, event: Event): { state: S; emit?: Event[] };
  restart?(state: S): S;
}

export function inMemoryService<S>(name: string, handler: InMemoryHandler<S>): ServiceRuntime {
  const loc = { file: `<in-memory ${name}>`, line: 1, column: 1 };
  return {
    name,
    source: { raw: `<in-memory>#${name}`, file: loc.file, exportName: name, loc },
    shape: "handle",
    initialState: () => handler.initialState(),
    handle: (state, event) => {
      const r = handler.handle(state as S, event);
      return { state: r.state, emit: r.emit ?? [] };
    },
    ...(handler.restart ? { restart: (state: unknown) => handler.restart!(state as S) } : {}),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each service has its own state type
export function inMemoryServices(handlers: Record<string, InMemoryHandler<any>>): Map<string, ServiceRuntime> {
  return new Map(Object.entries(handlers).map(([name, h]) => [name, inMemoryService(name, h)]));
}
