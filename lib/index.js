// The package entry for plain Node: archverify ships TypeScript sources, so the
// entry registers tsx before loading them (the CLI in bin/ does the same).
import "./register.js";
const api = await import("../src/index.ts");

export const {
  ArchverifyError,
  ArchverifyErrors,
  main,
  loadSpec,
  runRules,
  checkSystem,
  checkHandler,
  assertHandler,
  syncCallGraph,
  eventFlowGraph,
  serviceNodeId,
  channelNodeId,
} = api;
