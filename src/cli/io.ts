// Everything a command touches of the outside world, so tests can call
// `main(argv, io)` and read what it printed.
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colours, progress lines). */
  isTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: untilClosed(process.stdout),
    stderr: untilClosed(process.stderr),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** Errors that mean the reader went away (`archverify check | head -1`). */
const CLOSED_PIPE_CODES = new Set(["EPIPE", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"]);

/**
 * A writer that stops quietly once the reader has closed the pipe: the rest of
 * the output has nowhere to go, and the command still finishes and returns its
 * own exit code (a closed pipe is the reader's choice, not a failure of the check).
 * Any other write error is still thrown.
 */
export function untilClosed(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (!CLOSED_PIPE_CODES.has(error.code ?? "")) throw error;
    closed = true;
  };
  stream.on("error", onError);
  return (text) => {
    if (closed) return;
    try {
      stream.write(text);
    } catch (error) {
      onError(error as NodeJS.ErrnoException);
    }
  };
}

/** Collects output in memory (tests, library use). */
export function memoryIO(cwd: string, env: Record<string, string | undefined> = {}): CliIO & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    cwd,
    env,
    isTTY: false,
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
  };
  return io;
}

export function colorEnabled(io: CliIO, flag?: boolean): boolean {
  if (flag === false || io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== "0") return true;
  return io.isTTY;
}
