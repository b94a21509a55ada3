// "did you mean X?": the closest known name within a small edit distance.
// Only called for names that are unknown, so a large spec pays nothing for it.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions),
 * giving up early once it exceeds `max` (returns max + 1 then). */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return Math.min(prev[b.length] ?? max + 1, max + 1);
}

/** The known name closest to `name`, if one is close enough to be a typo. */
export function closest(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const max = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const candidate of known) {
    if (candidate === name) continue;
    const d = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase(), Math.min(max, bestDistance));
    // Ties go to the alphabetically first candidate so the hint is deterministic.
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= max ? best : undefined;
}

export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const match = closest(name, known);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

/** "one of a, b, c" for short lists; a description of where names come from otherwise. */
export function oneOf(names: readonly string[], whereDefined: string): string {
  if (names.length === 0) return `a name defined under ${whereDefined} (none is defined)`;
  if (names.length <= 8) return `one of ${[...names].sort().join(", ")}`;
  return `a name defined under ${whereDefined} (${names.length} are defined)`;
}
