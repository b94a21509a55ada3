// One progress line for long checks, rewritten in place on a terminal:
//
//   const progress = createProgress(io);
//   options.progress = (line) => progress.update(line);   // CheckOptions.progress
//   ...; progress.done();                                  // clears the line
//
// Quiet when the output is not a terminal, when CI is set (CI=true, CI=1: logs
// of CI systems keep every carriage return as a line), or with NO_PROGRESS=1.
// Lines go to stderr, so they never mix with a report on stdout.
import type { CliIO } from "./io.js";

export interface Progress {
  /** Show `line` (throttled; the latest line wins). */
  update(line: string): void;
  /** Clear the line (idempotent). */
  done(): void;
  readonly enabled: boolean;
}

export interface ProgressOptions {
  /** Overrides the decision from the environment (tests). */
  enabled?: boolean;
  /** Width to truncate to (default: the terminal's, else 80). */
  columns?: number;
  /** Minimum milliseconds between two redraws (default 100). */
  intervalMs?: number;
  now?: () => number;
}

const CLEAR = "\r\x1b[2K";

export function progressEnabled(io: Pick<CliIO, "isTTY" | "env">): boolean {
  const ci = io.env.CI;
  if (ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false") return false;
  if (io.env.NO_PROGRESS && io.env.NO_PROGRESS !== "0") return false;
  if (io.env.TERM === "dumb") return false;
  return io.isTTY;
}

export function createProgress(io: Pick<CliIO, "isTTY" | "env" | "stderr">, options: ProgressOptions = {}): Progress {
  const enabled = options.enabled ?? progressEnabled(io);
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  const columns = () => Math.max(20, options.columns ?? (process.stderr.columns || 80));
  let shown = false;
  let last = -Infinity;
  return {
    enabled,
    update(line: string) {
      if (!enabled) return;
      const t = now();
      if (t - last < interval) return;
      last = t;
      const width = columns() - 1;
      const text = line.replace(/[\r\n]+/g, " ");
      io.stderr(`${CLEAR}${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    },
    done() {
      if (!shown) return;
      io.stderr(CLEAR);
      shown = false;
      last = -Infinity;
    },
  };
}
