// What every command is. In its own module so that the lazy registry
// (commands/index.ts) and the commands do not import each other.
import type { CliIO } from "./io.js";

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code: 0 clean, 1 findings at error severity, 2 bad input or usage. */
  run(args: string[], io: CliIO): Promise<number>;
}
