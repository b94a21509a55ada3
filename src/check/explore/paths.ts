// Paths through the state graph are stored as indexes into a canonical list of enabled
// transitions (deduplicated, sorted by label), so an index means the same transition in every
// representative of a state, whatever order its messages were sent in.
import {
  diffServices,
  type StateDifference,
  type SystemInput,
  type SystemModel,
  type SystemState,
  type Transition,
  type TransitionRef,
} from "../../model/system/index.js";

export interface Labeled {
  transition: Transition;
  label: number;
}

/** What identifies a transition across states of one model: the message's content and counters
 * (its interned `entry`), and the kind. */
export function transitionLabel(t: Transition): number {
  const kind = t.action === "drop" ? 3 : t.crash ? 2 : t.ackLost ? 1 : 0;
  return t.message.entry * 4 + kind;
}

/** The canonical enabled list as two parallel arrays (the explorer's hot path: no objects per transition). */
export interface CanonicalEnabled {
  transitions: Transition[];
  labels: number[];
}

/** `model.enabled`, without exact copies (the same message twice in flight), sorted by label. */
export function canonicalEnabled(model: SystemModel, s: SystemState, stats?: { copiesSkipped: number }): CanonicalEnabled {
  const transitions = model.enabled(s);
  const n = transitions.length;
  const labels: number[] = new Array(n);
  for (let i = 0; i < n; i++) labels[i] = transitionLabel(transitions[i]!);
  // Insertion sort of both arrays by label (short lists, usually almost sorted).
  for (let i = 1; i < n; i++) {
    const l = labels[i]!;
    const t = transitions[i]!;
    let j = i - 1;
    while (j >= 0 && labels[j]! > l) {
      labels[j + 1] = labels[j]!;
      transitions[j + 1] = transitions[j]!;
      j--;
    }
    labels[j + 1] = l;
    transitions[j + 1] = t;
  }
  // Copies of one message have equal labels, now adjacent: keep the first.
  let w = 0;
  for (let i = 0; i < n; i++) {
    if (w > 0 && labels[w - 1] === labels[i]) {
      if (stats) stats.copiesSkipped++;
      continue;
    }
    labels[w] = labels[i]!;
    transitions[w] = transitions[i]!;
    w++;
  }
  if (w < n) {
    labels.length = w;
    transitions.length = w;
  }
  return { transitions, labels };
}

/** `model.enabled`, without exact copies (the same message twice in flight), sorted by label. */
export function enabledLabeled(model: SystemModel, s: SystemState, stats?: { copiesSkipped: number }): Labeled[] {
  const { transitions, labels } = canonicalEnabled(model, s, stats);
  return transitions.map((transition, i) => ({ transition, label: labels[i]! }));
}

export interface ReplayedPath {
  refs: TransitionRef[];
  last: SystemState;
  /** Plain JSON service states at the end. */
  finalServices: Record<string, unknown>;
  diff(expected: SystemState): StateDifference[];
  /** After a crash lost event `id`: does a fault-free continuation to quiescence never publish it
   * again? (If it does, the loss is repaired by redelivery.) Extends `refs` to that quiescent state. */
  staysLost(id: string, type: string): boolean;
}

/** Replays canonical transition indexes from the inputs, marking deliveries of messages delivered before. */
export function replayPath(model: SystemModel, inputs: readonly SystemInput[], indexes: readonly number[]): ReplayedPath {
  let s = model.initialState(inputs);
  const refs: TransitionRef[] = [];
  const delivered = new Set<string>();
  const take = (t: Transition) => {
    const ref = model.toRef(t);
    const who = `${ref.channel}\u0000${ref.consumer}\u0000${ref.id}`;
    if (ref.action === "deliver" && delivered.has(who)) ref.duplicate = true;
    const r = model.step(s, t);
    if (r.outcome === "handled" && ref.action === "deliver") delivered.add(who);
    refs.push(ref);
    s = r.state;
    return r;
  };
  for (const i of indexes) {
    const e = enabledLabeled(model, s)[i];
    if (!e) throw new Error(`internal: replay found no transition ${i} (${refs.length} steps in)`);
    take(e.transition);
  }
  const services = () => Object.fromEntries(model.serviceNames.map((n) => [n, model.codec.toJSON(s.services[n])]));
  const result: ReplayedPath = {
    refs,
    last: s,
    finalServices: services(),
    diff: (expected) => diffServices(model.codec, model.serviceNames, s.services, expected.services),
    staysLost(id, type) {
      for (let n = 0; n < 10_000 && !model.isQuiescent(s); n++) {
        const plain = enabledLabeled(model, s).find((e) => e.transition.action === "deliver" && !e.transition.ackLost && !e.transition.crash);
        if (!plain) break;
        const r = take(plain.transition);
        if (r.published.some((e) => e.type === type && model.eventId(e) === id)) return false;
      }
      result.last = s;
      result.finalServices = services();
      return true;
    },
  };
  return result;
}
