// Typed errors: anything the user can fix (bad input, bad usage) is an
// ArchverifyError and becomes a one-paragraph message with exit code 2.
// Everything else is a bug in archverify and is re-thrown with its stack.
import type { SourceLocation } from "./spec/types.js";

export type ErrorKind = "input" | "usage" | "environment";

export interface ErrorDetails {
  location?: SourceLocation;
  /** What the input should have been ("a list of service names"). */
  expected?: string;
  /** "did you mean X?" or another short hint. */
  hint?: string;
  cause?: unknown;
}

export class ArchverifyError extends Error {
  readonly kind: ErrorKind;
  readonly location?: SourceLocation;
  readonly expected?: string;
  readonly hint?: string;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ArchverifyError";
    this.kind = kind;
    if (details.location) this.location = details.location;
    if (details.expected) this.expected = details.expected;
    if (details.hint) this.hint = details.hint;
  }
}

/** Several input problems found at once (e.g. every bad reference in a spec). */
export class ArchverifyErrors extends Error {
  readonly errors: ArchverifyError[];
  constructor(errors: ArchverifyError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "ArchverifyErrors";
    this.errors = errors;
  }
}

export const inputError = (message: string, details?: ErrorDetails) =>
  new ArchverifyError("input", message, details);

export const usageError = (message: string, details?: ErrorDetails) =>
  new ArchverifyError("usage", message, details);

export function isUserError(e: unknown): e is ArchverifyError | ArchverifyErrors {
  return e instanceof ArchverifyError || e instanceof ArchverifyErrors;
}
