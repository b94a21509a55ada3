// Commands by name, loaded on demand so `archverify schema` does not pay for ts-morph.
import type { CliIO } from "../io.js";

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code: 0 clean, 1 findings at error severity, 2 bad input or usage. */
  run(args: string[], io: CliIO): Promise<number>;
}

export const commands: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => (await import("./check.js")).checkCommand,
  schema: async () => (await import("./schema.js")).schemaCommand,
  explain: async () => (await import("./explain.js")).explainCommand,
  merge: async () => (await import("./merge.js")).mergeCommand,
  cycles: async () => (await import("./cycles.js")).cyclesCommand,
  replay: async () => (await import("./replay.js")).replayCommand,
  docs: async () => (await import("./docs.js")).docsCommand,
  init: async () => (await import("./init.js")).initCommand,
};
