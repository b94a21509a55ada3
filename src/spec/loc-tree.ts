// The parsed spec's shape of locations, shared by both YAML readers (yaml-tree.ts
// and fast-yaml.ts) and the stages that point at nodes.
import type { SourceLocation } from "./types.js";

export interface LocEntry {
  /** Where the key is written. */
  key: SourceLocation;
  value: LocNode;
}

export interface LocNode {
  loc: SourceLocation;
  /** Mapping: key -> its location and its value's node. */
  entries?: Map<string, LocEntry>;
  /** Sequence: one node per item. */
  items?: LocNode[];
}

export interface YamlTree {
  value: unknown;
  node: LocNode;
}
