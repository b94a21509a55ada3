// The difference between two system states, per service, as dotted paths: what a
// divergence report shows instead of two whole states.
import type { ValueCodec } from "../runtime-types.js";

export interface StateDifference {
  service: string;
  /** Dotted path inside the service state ("" for the whole state). */
  path: string;
  actual: unknown;
  expected: unknown;
  /** Which side lacks the path (its value is then null, as JSON has no undefined). */
  absent?: "actual" | "expected";
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function diffJSON(service: string, path: string, actual: unknown, expected: unknown, out: StateDifference[], limit: number): void {
  if (out.length >= limit) return;
  if (JSON.stringify(actual) === JSON.stringify(expected)) return;
  if (isRecord(actual) && isRecord(expected)) {
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
    for (const k of keys) diffJSON(service, path === "" ? k : `${path}.${k}`, actual[k], expected[k], out, limit);
    return;
  }
  if (Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length) {
    actual.forEach((a, i) => diffJSON(service, path === "" ? String(i) : `${path}.${i}`, a, expected[i], out, limit));
    return;
  }
  const absent = actual === undefined ? { absent: "actual" as const } : expected === undefined ? { absent: "expected" as const } : {};
  out.push({ service, path, actual: actual === undefined ? null : actual, expected: expected === undefined ? null : expected, ...absent });
}

/** Differences between `actual` and `expected` service states (sorted by service, then path). */
export function diffServices(
  codec: ValueCodec,
  services: readonly string[],
  actual: Readonly<Record<string, unknown>>,
  expected: Readonly<Record<string, unknown>>,
  limit = 20,
): StateDifference[] {
  const out: StateDifference[] = [];
  for (const s of services) {
    if (codec.equal(actual[s], expected[s])) continue;
    diffJSON(s, "", codec.toJSON(actual[s]), codec.toJSON(expected[s]), out, limit);
  }
  return out;
}
