// The library API: what users import in their own tests and scripts.
export type { Spec, SourceLocation, Severity } from "./spec/types.js";
export type { Finding, Rule, CheckOptions } from "./check/types.js";
export type { Report } from "./report/types.js";
export type { Event, Handler, HandlerResult, Predicate, Predicates } from "./model/handler.js";
export { ArchverifyError, ArchverifyErrors } from "./errors.js";
export { main } from "./cli/main.js";
export { loadSpec } from "./spec/load.js";
export { runRules } from "./check/runner.js";
export { checkSystem, type CheckSystemOptions, type CheckSystemResult } from "./api/check-system.js";
export { checkHandler, assertHandler, type CheckHandlerOptions, type CheckHandlerResult } from "./api/check-handler.js";
export { syncCallGraph, eventFlowGraph, serviceNodeId, channelNodeId, type SyncCallEdge, type EventFlowNode, type EventFlowEdge } from "./model/topology-graphs.js";
