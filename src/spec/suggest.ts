// "did you mean X?": the closest known name within a small edit distance, or
// else the one known name that the unknown one is a prefix of (or extends).
// Only called for the problems that are shown (at most a few hundred), each
// search over a NameIndex built once per set of known names (lower-cased and
// sorted), walked as a trie so that 100,000 names cost a fraction of a scan.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions),
 * giving up early once it exceeds `max` (returns max + 1 then). */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Int32Array(Math.max(3 * width, 2 * rows.length));
  // Three rolling rows in one buffer: the row before the previous one (transpositions), the previous one, the current one.
  let prev2 = 0;
  let prev = width;
  let cur = 2 * width;
  for (let j = 0; j <= b.length; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[cur] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min((rows[prev + j] as number) + 1, (rows[cur + j - 1] as number) + 1, (rows[prev + j - 1] as number) + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, (rows[prev2 + j - 2] as number) + 1);
      rows[cur + j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(rows[prev + b.length] as number, max + 1);
}

let rows = new Int32Array(96);

/** How many edits still count as a typo of a name this long: none for one- and
 * two-letter names (any other short name is "one edit away"), then a third of the length. */
export function typoBudget(length: number): number {
  return length < 3 ? 0 : Math.max(1, Math.floor(length / 3));
}

/** The shortest name a prefix match may rest on. */
const MIN_PREFIX = 3;

/** Known names, prepared once for many searches. */
export class NameIndex {
  /** Lower-cased names, sorted, each with the original names that lower-case to it. */
  private readonly sortedLower: string[];
  private readonly originals = new Map<string, string[]>();

  constructor(names: Iterable<string>) {
    for (const name of new Set(names)) {
      const lower = name.toLowerCase();
      const same = this.originals.get(lower);
      if (same) same.push(name);
      else this.originals.set(lower, [name]);
    }
    this.sortedLower = [...this.originals.keys()].sort();
  }

  /** The known name closest to `name`, if one is close enough to be a typo. */
  closest(name: string): string | undefined {
    return this.nearest(name) ?? this.prefixMatch(name);
  }

  /**
   * The nearest name within the typo budget, ties to the alphabetically first
   * (so the hint is deterministic). The sorted names are walked as a trie: the
   * distance rows of a shared prefix are computed once, and every name under a
   * prefix whose row already exceeds the budget is skipped with one binary search.
   */
  private nearest(name: string): string | undefined {
    const query = name.toLowerCase();
    const m = query.length;
    const max = typoBudget(name.length);
    const width = m + 1;
    // Row r holds the distances from the first r letters of the candidate to every prefix of the query;
    // no row past m + max is needed (its every cell exceeds max).
    const matrix = new Int32Array((m + max + 2) * width);
    for (let j = 0; j <= m; j++) matrix[j] = j;
    let bestDistance = max + 1;
    let best: string | undefined;
    let previous = "";
    let validRows = 0;
    const sorted = this.sortedLower;
    let index = 0;
    while (index < sorted.length) {
      const candidate = sorted[index] as string;
      let shared = 0;
      const limit = Math.min(validRows, candidate.length, previous.length);
      while (shared < limit && candidate.charCodeAt(shared) === previous.charCodeAt(shared)) shared++;
      previous = candidate;
      const cutoff = Math.min(max, bestDistance);
      let pruned = -1;
      for (let r = shared + 1; r <= candidate.length; r++) {
        if (r > m + cutoff) {
          pruned = r;
          break;
        }
        const row = r * width;
        const c = candidate.charCodeAt(r - 1);
        matrix[row] = r;
        let rowMin = r;
        for (let j = 1; j <= m; j++) {
          const q = query.charCodeAt(j - 1);
          let d = Math.min((matrix[row - width + j] as number) + 1, (matrix[row + j - 1] as number) + 1, (matrix[row - width + j - 1] as number) + (c === q ? 0 : 1));
          if (r > 1 && j > 1 && c === query.charCodeAt(j - 2) && candidate.charCodeAt(r - 2) === q) {
            d = Math.min(d, (matrix[row - 2 * width + j - 2] as number) + 1);
          }
          matrix[row + j] = d;
          if (d < rowMin) rowMin = d;
        }
        if (rowMin > cutoff) {
          pruned = r;
          break;
        }
      }
      if (pruned >= 0) {
        // Every name starting with these `pruned` letters is at least as far: skip them all.
        validRows = pruned - 1;
        const prefix = candidate.slice(0, pruned);
        index = lowerBound(sorted, `${prefix}\uffff`, index + 1);
        while (index < sorted.length && (sorted[index] as string).startsWith(prefix)) index++;
        continue;
      }
      validRows = candidate.length;
      const d = matrix[candidate.length * width + m] as number;
      if (d <= cutoff) {
        const choice = this.firstOriginal(candidate, name);
        if (choice !== undefined && (d < bestDistance || best === undefined || choice < best)) {
          best = choice;
          bestDistance = d;
        }
      }
      index++;
    }
    return bestDistance <= max ? best : undefined;
  }

  /** The alphabetically first original spelling of `lower`, other than `name` itself. */
  private firstOriginal(lower: string, name: string): string | undefined {
    let first: string | undefined;
    for (const original of this.originals.get(lower) ?? []) if (original !== name && (first === undefined || original < first)) first = original;
    return first;
  }

  /** The one known name that starts with `name` or that `name` starts with (`order` for `ordering`, or the reverse). */
  private prefixMatch(name: string): string | undefined {
    const lower = name.toLowerCase();
    const found = new Set<string>();
    const add = (key: string) => {
      for (const original of this.originals.get(key) ?? []) if (original !== name) found.add(original);
    };
    if (lower.length >= MIN_PREFIX) {
      // Names extending `name`: a contiguous range of the sorted list; two are enough to know it is not unique.
      for (let i = lowerBound(this.sortedLower, lower); i < this.sortedLower.length && found.size < 2; i++) {
        const key = this.sortedLower[i] as string;
        if (!key.startsWith(lower)) break;
        if (key !== lower) add(key);
      }
      // Names that `name` extends.
      for (let end = MIN_PREFIX; end < lower.length && found.size < 2; end++) add(lower.slice(0, end));
    }
    const [only] = found;
    return found.size === 1 ? only : undefined;
  }
}

function lowerBound(sorted: readonly string[], key: string, from = 0): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The known name closest to `name`, if one is close enough to be a typo. */
export function closest(name: string, known: Iterable<string> | NameIndex): string | undefined {
  return (known instanceof NameIndex ? known : new NameIndex(known)).closest(name);
}

export function didYouMean(name: string, known: Iterable<string> | NameIndex): string | undefined {
  const match = closest(name, known);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

/** "one of a, b, c" for short lists; a description of where names come from otherwise. */
export function oneOf(names: readonly string[] | ReadonlySet<string> | ReadonlyMap<string, unknown>, whereDefined: string): string {
  const count = "size" in names ? names.size : names.length;
  if (count === 0) return `a name defined under ${whereDefined} (none is defined)`;
  if (count <= 8) return `one of ${("size" in names ? [...names.keys()] : [...names]).sort().join(", ")}`;
  return `a name defined under ${whereDefined} (${count} are defined)`;
}
