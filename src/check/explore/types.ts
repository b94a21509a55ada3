// What the explorer is asked and what it answers.
import type { StateDifference, StepResult, SystemInput, SystemState, Transition, TransitionRef } from "../../model/system/index.js";

export type SearchOrder = "bfs" | "dfs";

export interface ExploreOptions {
  /** BFS (default): the first counterexample of each kind is a shortest one. DFS: less memory. */
  order?: SearchOrder;
  maxStates?: number;
  maxDepth?: number;
  /** Stop when the JS heap exceeds this many bytes (default: `defaultHeapBound()`, leaving headroom). */
  maxHeapBytes?: number;
  /** Wall-clock bound in milliseconds. */
  timeBudgetMs?: number;
  /** Sleep-set partial-order reduction (default true). */
  por?: boolean;
  /** Look for cycles (non-termination) in the state graph (default true). */
  termination?: boolean;
  /** Progress lines, at most ~5 per second. */
  progress?: (line: string) => void;
  /** Name shown in progress lines. */
  label?: string;
  /** Observes every step taken (the key-independence check verifies steps through it). */
  onStep?: (before: SystemState, transition: Transition, result: StepResult) => void;
  /** Return paths to this many states spread over the search (and to quiescent ones). */
  samplePaths?: number;
  /** Check invariants and quiescence predicates (default true; the key reduction checks them on
   * the product instead). */
  predicates?: boolean;
  /** Observes every state when first discovered (`id` numbers states in discovery order). */
  onState?: (id: number, state: SystemState, depth: number, quiescent: boolean) => void;
}

export type ViolationKind =
  | "invariant"
  | "quiescence"
  | "divergence"
  | "lasso"
  | "dead-letter"
  | "unroutable"
  | "lost-event";

export interface Violation {
  kind: ViolationKind;
  /** Predicate name, or `service/EventType` for handler-level findings. */
  name: string;
  message: string;
  /** The transitions from the initial state, in order (shortest under BFS). */
  path: TransitionRef[];
  /** Lasso: index in `path` where the loop starts (path[loopStart..] repeats forever). */
  loopStart?: number;
  /** Divergence: the schedule of the quiescent state this one differs from. */
  reference?: TransitionRef[];
  diff?: StateDifference[];
  /** Service states at the end of `path` (plain JSON). */
  finalState?: Record<string, unknown>;
  service?: string;
  eventType?: string;
}

export type CutReason = "max-states" | "max-depth" | "memory" | "time";

export interface ExploreStats {
  /** Distinct states visited (canonical keys). */
  states: number;
  /** Transitions taken (steps computed). */
  transitions: number;
  /** Deepest BFS layer / DFS depth reached. */
  depth: number;
  quiescentStates: number;
  /** Distinct per-service outcomes among quiescent states. */
  outcomes: number;
  complete: boolean;
  cut?: CutReason;
  elapsedMs: number;
  /** Transitions the sleep sets skipped. */
  porSkipped: number;
  /** Enabled transitions that were exact copies of another (same message twice in flight). */
  copiesSkipped: number;
}

export interface ExploreResult {
  inputs: SystemInput[];
  stats: ExploreStats;
  /** Path to the first quiescent state found (a shortest one under BFS). */
  firstQuiescent?: TransitionRef[];
  /** With `samplePaths`: paths to sampled states, in discovery order. */
  samples?: { path: TransitionRef[]; quiescent: boolean }[];
  /** The first violation of each kind and name, sorted by kind then name. */
  violations: Violation[];
}
