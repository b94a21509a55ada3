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
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
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
