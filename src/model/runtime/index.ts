// Handler loading and sandboxing: what the checkers import.
export { loadSystemRuntime, loadServiceRuntime, loadExport, importModule, type LoadOptions } from "./load.js";
export { normalizeHandler, HandlerContractError, type HandlerTypeHints } from "./normalize.js";
export { valueCodec, encodeValue, toPlainJSON, diffValues, type ValueDifference } from "./codec.js";
export { eventShape, getPath, setPath, idPath, keyPath, ID_PATHS } from "./event-shape.js";
export { runInSandbox, warmSandbox, closeSandbox, type SandboxOptions, type SandboxResult, type SandboxTimeout, type SandboxJobContext, type SandboxJob } from "./sandbox.js";
export { guardedCall, serviceIndex, type CallLabel } from "./guard.js";
