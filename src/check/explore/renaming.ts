// Renaming ids for symmetry: one key's run becomes another's by swapping the names of the two
// keys (the key value and the ids of their input events) wherever they occur in strings.

/** Swaps strings: exact matches, and occurrences between non-alphanumerics (`pay-o1` <-> `pay-o2`).
 * `pairs` maps each name to its partner and must hold both directions. */
export function renamer(pairs: ReadonlyMap<string, string>): (value: unknown) => unknown {
  const names = [...pairs.keys()].sort((x, y) => y.length - x.length || (x < y ? -1 : 1));
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = names.length > 0 ? new RegExp(`(?<![A-Za-z0-9])(?:${escaped.join("|")})(?![A-Za-z0-9])`, "g") : undefined;
  const str = (s: string) => pairs.get(s) ?? (pattern ? s.replace(pattern, (m) => pairs.get(m) ?? m) : s);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return str(v);
    if (v === null || typeof v !== "object" || v instanceof Date) return v;
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Set) return new Set([...v].map(walk));
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [walk(k), walk(x)]));
    const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
    for (const k of Object.keys(v)) out[str(k)] = walk((v as Record<string, unknown>)[k]);
    return out;
  };
  return walk;
}

/** The swap of two equally long name lists (undefined when a name is in both or twice). */
export function swapOf(a: readonly string[], b: readonly string[]): Map<string, string> | undefined {
  if (a.length !== b.length) return undefined;
  const pairs = new Map<string, string>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (pairs.has(x) || pairs.has(y) || x === y) return undefined;
    pairs.set(x, y).set(y, x);
  }
  return pairs;
}
