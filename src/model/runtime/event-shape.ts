// Where an event keeps its id and its key. Events are either flat
// (`{type, id, orderId}`) or envelopes (`{type, data: {...}, metadata: {eventId}}`,
// as in EventStoreDB/Emmett); a channel `key:` is a dotted path that is looked
// up as written and, when absent, under `data`.
import type { Event } from "../handler.js";
import type { EventShape } from "../runtime-types.js";
import type { ChannelSpec } from "../../spec/types.js";

/** Paths tried, in order, for an event's id. */
export const ID_PATHS = ["id", "metadata.eventId", "metadata.id", "metadata.messageId", "eventId", "messageId"] as const;

export function getPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = cur instanceof Map ? cur.get(part) : (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A copy of `value` with `path` set (creating plain objects on the way). */
export function setPath<T>(value: T, path: string, field: unknown): T {
  const parts = path.split(".");
  const head = parts[0] as string;
  const base = (value !== null && typeof value === "object" ? value : {}) as Record<string, unknown>;
  if (parts.length === 1) return { ...base, [head]: field } as T;
  return { ...base, [head]: setPath(base[head], parts.slice(1).join("."), field) } as T;
}

function scalar(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

/** The path of an event's id: the first of ID_PATHS present (`id` when none is). */
export function idPath(event: unknown): string {
  return ID_PATHS.find((p) => scalar(getPath(event, p)) !== undefined) ?? "id";
}

export function keyPath(event: unknown, key: string): string | undefined {
  if (scalar(getPath(event, key)) !== undefined) return key;
  if (scalar(getPath(event, `data.${key}`)) !== undefined) return `data.${key}`;
  return undefined;
}

export const eventShape: EventShape = {
  id(event: Event): string {
    for (const p of ID_PATHS) {
      const v = scalar(getPath(event, p));
      if (v !== undefined) return v;
    }
    return "";
  },
  key(event: Event, channel: ChannelSpec): string | undefined {
    if (!channel.key) return undefined;
    const path = keyPath(event, channel.key);
    return path === undefined ? undefined : scalar(getPath(event, path));
  },
};
