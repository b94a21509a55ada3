// Generated inputs that stay meaningful: a scenario run as several concurrent
// copies of itself, each copy with its own event ids and its own channel key
// values (order o1 becomes o1~2), renamed consistently wherever those values
// occur in the copy's events. A copy is a real input (a second customer
// placing the same order at the same time), so every property must still
// hold; what it adds is interference between flows that share a service.
import type { SystemInput } from "../../model/system/index.js";
import { readPath } from "../../model/system/index.js";
import type { Event } from "../../model/handler.js";
import { eventShape } from "../../model/runtime/event-shape.js";

/** The inputs of `copies` concurrent instances of a scenario (the original first). */
export function concurrentCopies(inputs: readonly SystemInput[], copies: number, keyPath: (channel: string) => string | undefined): SystemInput[] {
  const out: SystemInput[] = [...inputs];
  for (let copy = 2; copy <= copies; copy++) out.push(...renamedCopy(inputs, copy, keyPath));
  return out;
}

function renamedCopy(inputs: readonly SystemInput[], copy: number, keyPath: (channel: string) => string | undefined): SystemInput[] {
  const renames = new Map<string, string>();
  inputs.forEach((input, i) => {
    const id = eventShape.id(input.event as Event) || `input-${i + 1}`;
    renames.set(id, `${id}~${copy}`);
    const path = keyPath(input.channel);
    const key = path === undefined ? undefined : readPath(input.event, path);
    if (key !== undefined && typeof lookup(input.event, path!) === "string") renames.set(key, `${key}~${copy}`);
  });
  return inputs.map((input, i) => {
    const event = rename(input.event, renames) as Record<string, unknown>;
    if (eventShape.id(input.event as Event) === "") event.id = `input-${i + 1}~${copy}`;
    return { channel: input.channel, event };
  });
}

function lookup(event: Record<string, unknown>, path: string): unknown {
  let cur: unknown = event;
  for (const part of path.split(".")) cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}

function rename(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") return renames.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => rename(v, renames));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, renames)]));
  }
  return value;
}
