// Validation of the postal addresses orders carry (shared by the services that
// receive them, so that a malformed one is refused, never read blindly).
import type { Address } from "./events.js";
import { isRecord, isText } from "./records.js";

const FIELDS = ["name", "line1", "city", "postalCode"] as const;

/** Why `v` is not a usable address, or null. */
export function addressProblem(v: unknown): string | null {
  if (!isRecord(v)) return "missing";
  for (const f of FIELDS) if (!isText(v[f])) return `no ${f}`;
  if (typeof v["country"] !== "string" || !/^[A-Z]{2}$/.test(v["country"])) return "country must be a two-letter ISO code";
  return null;
}

/** A copy holding only the address fields (an event may carry more). */
export function copyAddress(a: Address): Address {
  return { name: a.name, line1: a.line1, city: a.city, postalCode: a.postalCode, country: a.country };
}
