// The graph rules, in the order they run.
import type { Rule } from "../../types.js";
import { contextMap } from "./context-map.js";
import { datastoreOwnership } from "./datastore-ownership.js";
import { layers } from "./layers.js";
import { noEventLoops } from "./no-event-loops.js";
import { noSyncCycles } from "./no-sync-cycles.js";
import { orphans } from "./orphans.js";

export const graphRules: readonly Rule[] = [noSyncCycles, noEventLoops, layers, contextMap, datastoreOwnership, orphans];
