// A last-writer-wins register: a value with the version that wrote it. Merging
// keeps the higher version (ties broken by the value's JSON text), so merges
// are idempotent and commute: updates need no ordered channel.

export interface Register<T> {
  value: T;
  version: number;
}

export function isVersion(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

export function merge<T>(current: Register<T> | undefined, next: Register<T>): Register<T> {
  if (current === undefined || next.version > current.version) return next;
  if (next.version < current.version) return current;
  return JSON.stringify(next.value) > JSON.stringify(current.value) ? next : current;
}
