// Commands by name, loaded on demand so `archverify schema` does not pay for ts-morph.
import type { Command } from "../command.js";

export type { Command };

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
