// Collects every problem found in a spec, so the user sees them all at once,
// sorted by where they are. Hints (edit-distance searches) are computed only
// for the problems that are actually shown.
import { ArchverifyError, ArchverifyErrors, inputError } from "../errors.js";
import type { SourceLocation } from "./types.js";

/** At most this many problems are reported; the rest are counted. */
export const MAX_REPORTED_PROBLEMS = 200;

export interface ProblemDetails {
  /** What was expected, or a function computing it when the problem is shown
   * (listing the known names costs O(names), too much to pay for every unknown reference). */
  expected?: string | (() => string);
  /** A hint, or a function computing it when the problem is shown. */
  hint?: string | (() => string | undefined);
}

interface Problem {
  location: SourceLocation;
  message: string;
  details: ProblemDetails;
  seq: number;
}

export class Problems {
  private readonly list: Problem[] = [];
  /** Files in reading order: problems in earlier files come first. */
  private readonly fileOrder = new Map<string, number>();

  noteFile(file: string): void {
    if (!this.fileOrder.has(file)) this.fileOrder.set(file, this.fileOrder.size);
  }

  add(location: SourceLocation, message: string, details: ProblemDetails = {}): void {
    this.noteFile(location.file);
    this.list.push({ location, message, details, seq: this.list.length });
  }

  get size(): number {
    return this.list.length;
  }

  /** Throws the collected problems (if any) as one ArchverifyError or ArchverifyErrors. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const order = (file: string) => this.fileOrder.get(file) ?? Number.MAX_SAFE_INTEGER;
    const sorted = [...this.list].sort(
      (a, b) =>
        order(a.location.file) - order(b.location.file) ||
        a.location.line - b.location.line ||
        a.location.column - b.location.column ||
        a.seq - b.seq,
    );
    const shown = sorted.slice(0, MAX_REPORTED_PROBLEMS).map(toError);
    const hidden = sorted.length - shown.length;
    if (hidden > 0) {
      const next = sorted[MAX_REPORTED_PROBLEMS];
      shown.push(inputError(`${hidden} more problem${hidden === 1 ? "" : "s"} not shown`, next ? { location: next.location, hint: "fix the ones above and run again" } : {}));
    }
    const [first] = shown;
    throw shown.length === 1 && first ? first : new ArchverifyErrors(shown);
  }
}

function toError(p: Problem): ArchverifyError {
  const hint = typeof p.details.hint === "function" ? p.details.hint() : p.details.hint;
  const expected = typeof p.details.expected === "function" ? p.details.expected() : p.details.expected;
  return inputError(p.message, {
    location: p.location,
    ...(expected === undefined ? {} : { expected }),
    ...(hint === undefined ? {} : { hint }),
  });
}
