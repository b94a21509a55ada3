// The handler property checks for one service, run where the handler lives
// (inside the sandbox worker for `archverify check`, in-process for
// `checkHandler`). Each property is a fast-check search over reachable states
// (event sequences applied from initialState) and events; a failure is shrunk,
// reported for its event type (or pair), and the search goes on without that
// type so that every faulty type gets its own finding.
import { isUserError } from "../../errors.js";
import fc from "fast-check";
import type { Event } from "../../model/handler.js";
import type { ServiceRuntime } from "../../model/runtime-types.js";
import { diffValues, encodeValue, toPlainJSON } from "../../model/runtime/codec.js";
import { eventShape, idPath, setPath } from "../../model/runtime/event-shape.js";
import { deepClone, deepFreeze, isFrozenWrite, withEnvironment } from "../../model/runtime/purity.js";
import { withUniqueIds, type EventSource } from "../generate/event-source.js";
import {
  HANDLER_PROPERTIES,
  type ChannelInfo,
  type EngineOptions,
  type HandlerProperty,
  type NarrowedSearch,
  type PropertyCounterexample,
  type PropertyFailure,
  type ServiceReport,
} from "./types.js";

export interface ServiceUnderTest {
  runtime: ServiceRuntime;
  source: EventSource;
  /** The channel of an event type (undefined: at-least-once, unordered). */
  channelOf(type: string): ChannelInfo | undefined;
}

/** No name: messages then say "the channel". */
const DEFAULT_CHANNEL: ChannelInfo = { name: "", delivery: "at-least-once", ordering: "none" };

type Outcome = { ok: true; state: unknown; emit: Event[] } | { ok: false; error: unknown };
/** What a property check says about one generated case. */
type Verdict = { pass: true } | { pass: false; types: string[] } | { pass: "skip" };
const PASS: Verdict = { pass: true };
const SKIP: Verdict = { pass: "skip" };

export function checkService(sut: ServiceUnderTest, options: EngineOptions): ServiceReport {
  const started = performance.now();
  const deadline = options.timeBudgetMs === undefined ? Infinity : started + options.timeBudgetMs;
  const name = sut.runtime.name;
  let calls = 0;
  const rt = sut.runtime;
  const call = (state: unknown, event: Event): Outcome => {
    calls++;
    try {
      const r = rt.handle(state, event);
      return { ok: true, state: r.state, emit: r.emit };
    } catch (error) {
      if (isUserError(error)) throw error;
      return { ok: false, error };
    }
  };
  const excluded = new Set(options.excludeTypes ?? []);
  const types = sut.source.types.filter((t) => !excluded.has(t));
  const report: ServiceReport = { service: name, origin: sut.source.origin, failures: [], notes: [], runs: 0, calls: 0, ms: 0 };
  const wanted = new Set(options.properties ?? HANDLER_PROPERTIES);
  const channel = (t: string) => sut.channelOf(t) ?? DEFAULT_CHANNEL;

  const initial = (() => {
    try {
      rt.initialState();
      return undefined;
    } catch (error) {
      return error;
    }
  })();
  if (initial !== undefined) {
    report.failures.push({
      property: "handler-throws",
      service: name,
      eventTypes: ["initialState"],
      message: `${name}: initialState() throws: ${errorText(initial)}`,
      counterexample: { property: "handler-throws", service: name, seed: options.seed, fcSeed: 0, path: "", prefix: [], events: [], error: errorText(initial), shrinks: 0 },
    });
    return finish();
  }
  if (types.length === 0) {
    for (const p of wanted) report.notes.push({ property: p, reason: "no event type to generate" });
    return finish();
  }

  const reach = (prefix: readonly Event[]): unknown => {
    let s = rt.initialState();
    for (const e of prefix) {
      const r = call(s, e);
      // An event whose handler throws is not applied: the broker redelivers it.
      if (r.ok) s = r.state;
    }
    return s;
  };
  const anyEvent = (pool: readonly string[]) => fc.oneof(...pool.map((t) => sut.source.forType(t)));
  const prefixOf = (pool: readonly string[]) => fc.array(anyEvent(pool), { maxLength: options.maxDepth });

  /** One property: search, shrink, report, exclude the failing subject, again.
   * A narrowed search (`search`) puts its failures in `into` instead of the report. */
  const run = <T>(
    property: HandlerProperty,
    subjects: string[][],
    arbitraryFor: (subjects: string[][]) => fc.Arbitrary<T>,
    verdict: (value: T) => Verdict,
    explain: (value: T, types: string[]) => { message: string; details: Partial<PropertyCounterexample> },
    narrowed?: { search: NarrowedSearch; into: PropertyFailure[] },
  ) => {
    if (!wanted.has(property)) return;
    // A replay re-runs exactly one search: the printed property, its narrowed
    // search if any, over the subjects it had (later attempts exclude the
    // subjects that failed before), from the printed seed and path.
    const replay = options.replay;
    if (replay && (replay.property !== property || replay.search !== narrowed?.search)) return;
    let remaining = replay?.subjects ?? subjects;
    for (let attempt = 0; remaining.length > 0; attempt++) {
      const left = deadline - performance.now();
      if (left <= 0) {
        cut(property);
        return;
      }
      const fcSeed = replay?.fcSeed ?? seedFor(options.seed, name, narrowed ? `${property}/${narrowed.search}/${subjects[0]?.join("/")}` : property, attempt);
      const details = fc.check(
        fc.property(arbitraryFor(remaining), (value) => {
          const v = verdict(value);
          fc.pre(v.pass !== "skip");
          return v.pass === true;
        }),
        {
          seed: fcSeed,
          numRuns: options.runs,
          ...(replay ? { path: replay.path } : {}),
          ...(Number.isFinite(left) ? { interruptAfterTimeLimit: Math.max(1, Math.floor(left)) } : {}),
          maxSkipsPerRun: 100,
        },
      );
      report.runs += details.numRuns;
      if (details.interrupted) cut(property);
      if (!details.failed || !details.counterexample) return;
      const value = details.counterexample[0];
      const v = verdict(value);
      if (v.pass !== false) return; // not reproducible: reported by handler-nondeterministic
      const { message, details: more } = explain(value, v.types);
      // The subjects of this search, when not every subject of the property: a replay needs them.
      const searched = attempt > 0 || narrowed || replay?.subjects ? { subjects: remaining } : {};
      (narrowed?.into ?? report.failures).push({
        property,
        service: name,
        eventTypes: v.types,
        message,
        counterexample: {
          property,
          service: name,
          seed: options.seed,
          fcSeed,
          path: details.counterexamplePath ?? "",
          prefix: [],
          events: [],
          shrinks: details.numShrinks,
          ...more,
          ...(narrowed ? { search: narrowed.search } : {}),
          ...searched,
        },
      });
      if (replay) return;
      const failed = v.types.join("\u0000");
      remaining = remaining.filter((s) => s.join("\u0000") !== failed);
    }
  };
  /** The time budget stopped a search (or kept it from starting): noted once per property. */
  const cut = (property: HandlerProperty) => {
    if (!report.notes.some((n) => n.property === property && n.kind === "cut")) report.notes.push({ property, kind: "cut", reason: "the time budget cut the search" });
  };

  // idempotence: a duplicate (at-least-once) changes nothing.
  const duplicable = types.filter((t) => channel(t).delivery === "at-least-once");
  for (const t of types.filter((x) => !duplicable.includes(x))) {
    const ch = channel(t);
    report.notes.push({
      property: "idempotence",
      kind: "skip",
      eventTypes: [t],
      reason: `${t} travels on ${ch.name ? `channel ${ch.name}` : "a channel"} with ${ch.delivery} delivery, which never duplicates it: idempotence not checked for ${t}`,
    });
  }
  run(
    "idempotence",
    duplicable.map((t) => [t]),
    (subjects) => fc.tuple(prefixOf(types), anyEvent(subjects.map((s) => s[0] as string))).map(([p, e]) => numbered(p, [e])),
    ([prefix, [e]]) => {
      const s = reach(prefix);
      const once = call(s, e!);
      if (!once.ok) return SKIP;
      const onceState = encodeValue(once.state);
      const onceEmit = encodeMultiset(once.emit);
      const twice = call(once.state, e!);
      if (!twice.ok) return fail([e!.type]);
      if (encodeValue(twice.state) !== onceState) return fail([e!.type]);
      if (twice.emit.length > 0 && encodeMultiset(twice.emit) !== onceEmit) return fail([e!.type]);
      return PASS;
    },
    ([prefix, [e]]) => {
      const s = reach(prefix);
      const state = toPlainJSON(s);
      const once = call(s, e!);
      const onceJSON = once.ok ? { state: toPlainJSON(once.state), emit: toPlainJSON(once.emit) } : undefined;
      const twice = once.ok ? call(once.state, e!) : once;
      const base = { prefix, events: [e!, e!], state };
      if (!twice.ok) {
        return {
          message: `${name}: ${e!.type} delivered twice throws on the duplicate (${errorText(twice.error)}); at-least-once delivery will redeliver it`,
          details: { ...base, error: errorText(twice.error) },
        };
      }
      const twiceJSON = { state: toPlainJSON(twice.state), emit: toPlainJSON(twice.emit) };
      const diff = diffValues(onceJSON?.state, twiceJSON.state);
      const what = diff.length ? `a different state than once (${summarize(diff)})` : `new emissions on the duplicate (${twice.emit.map((x) => x.type).join(", ")})`;
      return {
        message: `${name}: ${e!.type} delivered twice gives ${what}`,
        details: { ...base, diff: diff.length ? diff : diffValues(onceJSON?.emit, twiceJSON.emit), outcomes: { once: onceJSON, twice: twiceJSON } },
      };
    },
  );

  // commutation: two events the channel may reorder give the same state in both orders.
  const pairs: string[][] = [];
  for (const [i, a] of types.entries()) {
    for (const b of types.slice(i)) {
      const ca = channel(a);
      if (ca.name !== channel(b).name) continue;
      if (ca.ordering === "total" || (ca.ordering === "per-key" && !ca.key)) continue;
      pairs.push([a, b]);
    }
  }
  if (wanted.has("commutation") && pairs.length === 0) report.notes.push({ property: "commutation", reason: "no two event types the channels may reorder" });
  const keyOf = (e: Event) => {
    const ch = channel(e.type);
    return ch.key ? eventShape.key(e, { key: ch.key } as Parameters<typeof eventShape.key>[1]) : undefined;
  };
  // One payload per entity and event type: a later event of the type and key
  // of an earlier one repeats its data under its own id.
  const onePayloadPerKey = (events: Event[]): Event[] => {
    const first = new Map<string, Event>();
    return events.map((e) => {
      const k = keyOf(e);
      if (k === undefined) return e;
      const slot = `${e.type}\u0000${k}`;
      const f = first.get(slot);
      if (!f) {
        first.set(slot, e);
        return e;
      }
      return setPath(f, idPath(f), eventShape.id(e));
    });
  };
  type Case = [Event[], Event[]];
  const commutationCases = (subjects: string[][], search?: NarrowedSearch): fc.Arbitrary<Case> => {
    const cases = fc
      .tuple(prefixOf(types), fc.constantFrom(...subjects).chain(([a, b]) => fc.tuple(sut.source.forType(a!), sut.source.forType(b!))))
      .map(([p, pair]) => numbered(p, pair));
    if (!search) return cases;
    const realistic = cases.map(([p, pair]): Case => {
      const all = onePayloadPerKey([...p, ...pair]);
      return [all.slice(0, p.length), all.slice(p.length)];
    });
    return realistic;
  };
  const commutes = ([prefix, [e1, e2]]: Case): Verdict => {
    const ch = channel(e1!.type);
    if (ch.ordering === "per-key" && sameKey(e1!, e2!, ch)) return SKIP; // the channel keeps their order
    const s = reach(prefix);
    const a1 = call(s, e1!);
    const ab = a1.ok ? call(a1.state, e2!) : a1;
    const b1 = call(s, e2!);
    const ba = b1.ok ? call(b1.state, e1!) : b1;
    if (!ab.ok || !ba.ok) return SKIP;
    return encodeValue(ab.state) === encodeValue(ba.state) ? PASS : fail([e1!.type, e2!.type].sort());
  };
  const explainCommutation = ([prefix, [e1, e2]]: Case) => {
    const s = reach(prefix);
    const after = (x: Event, y: Event) => {
      const r1 = call(s, x);
      const r2 = r1.ok ? call(r1.state, y) : r1;
      return r2.ok ? toPlainJSON(r2.state) : undefined;
    };
    const ab = after(e1!, e2!);
    const ba = after(e2!, e1!);
    const diff = diffValues(ab, ba);
    const ch = channel(e1!.type);
    const named = ch.name ? `channel ${ch.name}` : "the channel";
    const why = ch.ordering === "per-key" ? `different ${ch.key} on per-key ${named}` : `${named} does not keep order`;
    return {
      message: `${name}: ${e1!.type} then ${e2!.type} and the reverse order give different states (${summarize(diff)}); ${why}`,
      details: {
        prefix,
        events: [e1!, e2!],
        state: toPlainJSON(s),
        diff,
        outcomes: { [`${e1!.id} then ${e2!.id}`]: ab, [`${e2!.id} then ${e1!.id}`]: ba },
      },
    };
  };
  /** The second search over realistic cases (see Severity below); its failure, worded for the pair. */
  const realisticFailure = ([a, b]: [string, string]): PropertyFailure | undefined => {
    const ch = channel(a);
    if (!ch.key) return undefined;
    const sameType = a === b;
    const search: NarrowedSearch = sameType ? "distinct-keys" : "one-payload-per-key";
    const found: PropertyFailure[] = [];
    // (Distinct keys by a precondition, not a filter: a pool of one key would make a filter spin.)
    const verdict = sameType ? (c: Case) => (keyOf(c[1][0]!) === keyOf(c[1][1]!) ? SKIP : commutes(c)) : commutes;
    run("commutation", [[a, b]], (subjects) => commutationCases(subjects, search), verdict, explainCommutation, { search, into: found });
    const f = found[0];
    return f && { ...f, message: `${f.message}${sameType ? ` for two different ${ch.key}s` : ""}` };
  };
  if (options.replay?.property === "commutation" && options.replay.search) {
    // Replaying a failure of the realistic search: that search alone, on its pair.
    const pair = options.replay.subjects?.[0];
    const f = pair && pair.length === 2 ? realisticFailure(pair as [string, string]) : undefined;
    if (f) report.failures.push(f);
  } else {
    const firstCommutationFailure = report.failures.length;
    run("commutation", pairs, (subjects) => commutationCases(subjects), commutes, explainCommutation);
    // Severity. Two events of DIFFERENT types that do not commute are a bug
    // (a create racing an update). A failure that needs two events of the SAME
    // type for one entity (two creations with different totals, two status
    // updates) is real only if such events can be in flight together, which the
    // handler alone cannot tell: a warning here, unless a search over realistic
    // cases (one payload per entity and type; for a same-type pair, two
    // different entities) fails too. (`archverify check` then asks the spec's
    // scenarios whether an entity gets several such events: findings.ts.)
    for (const f of report.failures.slice(firstCommutationFailure)) {
      if (f.property !== "commutation") continue;
      const [a, b] = f.eventTypes as [string, string];
      const ch = channel(a);
      const sameType = a === b;
      if (!ch.key && !sameType) continue;
      const realistic = realisticFailure([a, b]);
      if (realistic) {
        Object.assign(f, { message: realistic.message, counterexample: realistic.counterexample });
        continue;
      }
      f.severity = "warning";
      f.sameEntityType = sameType ? a : (repeatedType(f.counterexample, keyOf) ?? a);
      f.message += sameType ? sameTypeNote(a, ch) : repeatedTypeNote(f.counterexample, ch, keyOf);
    }
  }
  // handler-throws: no reachable state and event makes the handler throw.
  run(
    "handler-throws",
    types.map((t) => [t]),
    (subjects) => {
      const pool = subjects.map((s) => s[0] as string);
      return fc.array(anyEvent(pool), { minLength: 1, maxLength: options.maxDepth + 1 }).map((events) => withUniqueIds(events));
    },
    (events) => {
      let s = rt.initialState();
      for (const e of events) {
        const r = call(s, e);
        if (!r.ok) return fail([e.type]);
        s = r.state;
      }
      return PASS;
    },
    (events) => {
      let s = rt.initialState();
      for (const [i, e] of events.entries()) {
        const before = toPlainJSON(s);
        const r = call(s, e);
        if (!r.ok) {
          return {
            message: `${name}: handling ${e.type} throws: ${errorText(r.error)}`,
            details: { prefix: events.slice(0, i), events: [e], state: before, error: errorText(r.error) },
          };
        }
        s = r.state;
      }
      return { message: `${name}: a handler call throws`, details: { events } };
    },
  );

  // handler-mutates-input: inputs are deep-frozen clones; writes throw or show in the encoding.
  const mutation = (s: unknown, e: Event): string | undefined => {
    const state = deepFreeze(deepClone(s));
    const event = deepFreeze(deepClone(e));
    const before = [encodeValue(state), encodeValue(event)];
    const r = call(state, event);
    if (!r.ok && isFrozenWrite(r.error)) return `it writes to a frozen input: ${errorText(r.error)}`;
    if (encodeValue(state) !== before[0]) return "it changes the state it was given";
    if (encodeValue(event) !== before[1]) return "it changes the event it was given";
    return undefined;
  };
  run(
    "handler-mutates-input",
    types.map((t) => [t]),
    (subjects) => fc.tuple(prefixOf(types), anyEvent(subjects.map((s) => s[0] as string))).map(([p, e]) => numbered(p, [e])),
    ([prefix, [e]]) => (mutation(reach(prefix), e!) ? fail([e!.type]) : PASS),
    ([prefix, [e]]) => {
      const s = reach(prefix);
      const what = mutation(s, e!) ?? "it mutates its input";
      return { message: `${name}: handling ${e!.type} mutates its input: ${what}`, details: { prefix, events: [e!], state: toPlainJSON(s) } };
    },
  );

  // handler-nondeterministic: the same input twice (clock and randomness varied) gives the same output.
  const twoRuns = (s: unknown, e: Event) =>
    ([0, 1] as const).map((variant) => withEnvironment(variant, () => call(deepClone(s), deepClone(e))));
  const outcomeCode = (o: Outcome) => (o.ok ? `${encodeValue(o.state)}|${encodeValue(o.emit)}` : `throws ${errorText(o.error)}`);
  run(
    "handler-nondeterministic",
    types.map((t) => [t]),
    (subjects) => fc.tuple(prefixOf(types), anyEvent(subjects.map((s) => s[0] as string))).map(([p, e]) => numbered(p, [e])),
    ([prefix, [e]]) => {
      const [x, y] = twoRuns(reach(prefix), e!) as [Outcome, Outcome];
      return outcomeCode(x) === outcomeCode(y) ? PASS : fail([e!.type]);
    },
    ([prefix, [e]]) => {
      const s = reach(prefix);
      const [x, y] = twoRuns(s, e!).map((o) => (o.ok ? { state: toPlainJSON(o.state), emit: toPlainJSON(o.emit) } : { error: errorText(o.error) }));
      const diff = diffValues(x, y);
      return {
        message: `${name}: handling ${e!.type} twice with the same input gives different results (${summarize(diff)}); does it read the clock, Math.random or module state?`,
        details: { prefix, events: [e!], state: toPlainJSON(s), diff, outcomes: { "run 1": x, "run 2": y } },
      };
    },
  );

  return finish();

  function finish(): ServiceReport {
    for (const reason of sut.source.notes) report.notes.push({ property: "handler-throws", kind: "generation", reason });
    report.calls = calls;
    report.ms = Math.round(performance.now() - started);
    return report;
  }
}

function fail(types: string[]): Verdict {
  return { pass: false, types };
}

/** Numbers the events of one case: the prefix first, then the events under test. */
function numbered(prefix: Event[], tested: Event[]): [Event[], Event[]] {
  const all = withUniqueIds([...prefix, ...tested]);
  return [all.slice(0, prefix.length), all.slice(prefix.length)];
}

/** Same key, or a key the event lacks: the per-key channel may keep their order. */
function sameKey(a: Event, b: Event, ch: ChannelInfo): boolean {
  const channel = { key: ch.key } as Parameters<typeof eventShape.key>[1];
  const ka = eventShape.key(a, channel);
  const kb = eventShape.key(b, channel);
  return ka === undefined || kb === undefined || ka === kb;
}

/** Why a failing pair of one event type is a warning. */
function sameTypeNote(type: string, ch: ChannelInfo): string {
  const entity = ch.key ? `one ${ch.key}` : "one entity";
  return (
    `\nonly two ${type} events for ${entity} fail (with different data): this matters only if two such events for one entity can be in flight together` +
    ` (e.g. updates sent without waiting for each other); if each entity gets one ${type}, or its ${type} events are sent one after another, convergence on the scenarios is the proof`
  );
}

/** The event type a counterexample has twice, with different data, for one entity. */
function repeatedType(cx: PropertyCounterexample, keyOf: (e: Event) => string | undefined): string | undefined {
  const seen = new Map<string, string>();
  let repeated: string | undefined;
  for (const e of [...cx.prefix, ...cx.events]) {
    const k = keyOf(e);
    if (k === undefined) continue;
    const code = encodeValue(setPath(e, idPath(e), ""));
    const slot = `${e.type}\u0000${k}`;
    const before = seen.get(slot);
    if (before !== undefined && before !== code) repeated ??= e.type;
    seen.set(slot, code);
  }
  return repeated;
}

/** Why a failing pair of two types is a warning: it needs one of them twice, with different data, for one entity. */
function repeatedTypeNote(cx: PropertyCounterexample, ch: ChannelInfo, keyOf: (e: Event) => string | undefined): string {
  const repeated = repeatedType(cx, keyOf);
  const what = repeated ? `two ${repeated} events for one ${ch.key} with different data` : `two events of one type for one ${ch.key} with different data`;
  return (
    `\nthe failure needs ${what}; with one payload per ${ch.key} and event type the pair commutes (searched): this matters only if one entity can get two different ${repeated ?? "events of one type"}`
  );
}

function encodeMultiset(events: readonly Event[]): string {
  return events.map((e) => encodeValue(e)).sort().join("|");
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`;
  return String(error);
}

function summarize(diff: { path: string; left: unknown; right: unknown }[]): string {
  if (diff.length === 0) return "no visible difference";
  const shown = diff.slice(0, 2).map((d) => `${d.path}: ${short(d.left)} vs ${short(d.right)}`);
  return diff.length > 2 ? `${shown.join("; ")}; ${diff.length - 2} more` : shown.join("; ");
}

function short(v: unknown): string {
  const s = v === undefined ? "absent" : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** A per-property seed derived from the check's seed: same seed, same search. */
export function seedFor(seed: number, service: string, property: string, attempt: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of `${service}\u0000${property}\u0000${attempt}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
