// Service names as code spells them: `inventory`, `inventory-service`,
// `InventoryService`, `INVENTORY_SERVICE` and `inventory_svc` all name the spec's
// `inventory`. Normalising both sides to lower-case words without a trailing
// `service`/`svc` makes them compare equal.

const SUFFIXES = new Set(["service", "svc"]);

/** The comparable form of a service name. */
export function normaliseServiceName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  while (words.length > 1 && SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.join("");
}

/** Looks code spellings up among the spec's service names. */
export class ServiceNames {
  private readonly byKey = new Map<string, string[]>();
  private readonly exact = new Set<string>();

  constructor(names: Iterable<string>) {
    for (const name of names) {
      this.exact.add(name);
      const key = normaliseServiceName(name);
      const list = this.byKey.get(key) ?? [];
      list.push(name);
      this.byKey.set(key, list);
    }
  }

  /** The spec service a spelling names; undefined when none or ambiguous
   * (two spec services normalising alike, unless the spelling is exact). */
  resolve(spelling: string): string | undefined {
    if (this.exact.has(spelling)) return spelling;
    const candidates = this.byKey.get(normaliseServiceName(spelling));
    return candidates && candidates.length === 1 ? candidates[0] : undefined;
  }
}
