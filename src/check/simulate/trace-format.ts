/**
 * The counterexample / replay file format, shared by the convergence
 * simulation (`check/simulate`) and the exhaustive explorer (`check/explore`),
 * so `archverify replay FILE` re-runs a trace whichever checker found it.
 *
 * A trace is one JSON object:
 *
 * ```json
 * {
 *   "kind": "trace",
 *   "formatVersion": 1,
 *   "rule": "convergence",
 *   "spec": "../archverify.yaml",
 *   "scenario": "happy-path",
 *   "inputs": [ { "channel": "order-events", "event": { "type": "OrderPlaced", "id": "e1", "orderId": "o1" } } ],
 *   "bounds": { "duplicates": 1, "crashes": 0 },
 *   "transitions": [
 *     { "action": "deliver", "channel": "order-events", "consumer": "payment", "type": "OrderPlaced", "id": "e1", "seq": 0, "ackLost": true },
 *     { "action": "deliver", "channel": "order-events", "consumer": "payment", "type": "OrderPlaced", "id": "e1", "seq": 0, "duplicate": true }
 *   ],
 *   "seed": 1, "path": "0:1",
 *   "violation": { "kind": "divergence", "reference": [ ... ], "diff": [ { "service": "payment", "path": "charges", "actual": 2, "expected": 1 } ] }
 * }
 * ```
 *
 * - `spec` is relative to the folder holding the trace file (forward slashes),
 *   so a trace keeps working when the repository moves or is cloned elsewhere.
 * - `inputs` are the events published before the first transition, in order
 *   (a scenario's inputs, or generated ones: the trace is self-contained and
 *   does not need the generator to replay).
 * - `transitions` is the schedule, in order. A message is found by `seq` (its
 *   send number in this run, deterministic for a deterministic system); when the
 *   handlers changed since (a fix emits other events), replay falls back to
 *   the first in-flight message with the same `channel`, `consumer` and `id`.
 *   `duplicate` marks a delivery of a message delivered before (an annotation
 *   for people: replay does not need it).
 * - `violation` says what the checker saw at the end of the schedule (or at
 *   step `step`, 0-based count of transitions taken, for invariants). For a
 *   divergence, `reference` is the schedule whose final state the trace's own
 *   final state differs from (the in-order, fault-free run).
 * - `seed` and `path` are fast-check's, for re-running the search itself.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, extname, relative, resolve, sep } from "node:path";
import { z } from "zod";
import { inputError } from "../../errors.js";
import { writeFileAtomic } from "../../util/atomic-write.js";

export const TRACE_FORMAT_VERSION = 1;

// The id may live at any path the event shape reads (`id`, `metadata.eventId`, ...).
const eventSchema = z.looseObject({ type: z.string() });

const inputSchema = z.object({
  channel: z.string(),
  event: eventSchema,
});

const transitionSchema = z.object({
  action: z.enum(["deliver", "drop"]),
  channel: z.string(),
  consumer: z.string(),
  type: z.string(),
  id: z.string(),
  seq: z.number().int().nonnegative(),
  /** At-least-once: handled, but the ack is lost, so the message stays in flight. */
  ackLost: z.boolean().optional(),
  /** The consumer crashes after committing its state, before publishing/acking. */
  crash: z.boolean().optional(),
  /** Annotation: this delivers a message already delivered before. */
  duplicate: z.boolean().optional(),
});

const diffEntrySchema = z.object({
  service: z.string(),
  /** Dotted path inside the service state ("" for the whole state). */
  path: z.string(),
  actual: z.unknown(),
  expected: z.unknown(),
  /** Which side lacks the path (its value is then null). */
  absent: z.enum(["actual", "expected"]).optional(),
});

const violationSchema = z.discriminatedUnion("kind", [
  /** Two schedules of the same inputs reach different quiescent states. */
  z.object({
    kind: z.literal("divergence"),
    reference: z.array(transitionSchema),
    diff: z.array(diffEntrySchema),
  }),
  /** An invariant is broken in the state after `step` transitions. */
  z.object({ kind: z.literal("invariant"), name: z.string(), message: z.string(), step: z.number().int().nonnegative() }),
  /** A quiescence predicate is broken when nothing is in flight. */
  z.object({ kind: z.literal("quiescence"), name: z.string(), message: z.string() }),
  /** Still not quiescent after `bound` transitions (a redelivery or emission loop). */
  /** A lasso (explorer) sets `loopStart`: the state after the last transition equals the state
   * after the first `loopStart` transitions, so the tail from there repeats forever. */
  z.object({
    kind: z.literal("nontermination"),
    bound: z.number().int().nonnegative(),
    message: z.string(),
    loopStart: z.number().int().nonnegative().optional(),
  }),
  /** A handler threw, timed out, mutated its input or was nondeterministic at `step`. */
  z.object({ kind: z.literal("handler-fault"), service: z.string(), fault: z.string(), message: z.string(), step: z.number().int().nonnegative() }),
  /** A handler emitted an event whose type no channel declares. */
  z.object({ kind: z.literal("unroutable"), service: z.string(), eventType: z.string(), step: z.number().int().nonnegative() }),
]);

export const traceSchema = z.object({
  kind: z.literal("trace"),
  formatVersion: z.literal(TRACE_FORMAT_VERSION),
  rule: z.string(),
  spec: z.string(),
  scenario: z.string().nullable(),
  inputs: z.array(inputSchema),
  bounds: z
    .object({
      duplicates: z.number().int().nonnegative().optional(),
      crashes: z.number().int().nonnegative().optional(),
    })
    .optional(),
  transitions: z.array(transitionSchema),
  seed: z.number().int().optional(),
  path: z.string().optional(),
  violation: violationSchema,
});

export type Trace = z.infer<typeof traceSchema>;
export type TraceInput = z.infer<typeof inputSchema>;
export type TraceTransition = z.infer<typeof transitionSchema>;
export type TraceViolation = z.infer<typeof violationSchema>;
export type StateDiffEntry = z.infer<typeof diffEntrySchema>;

/** Reads and validates a trace file; a bad file is an input error (exit 2). */
export function readTrace(file: string): Trace {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw inputError(`cannot read trace file ${file}`, { cause, expected: "a counterexample JSON file written by archverify check (under reports/)" });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw inputError(`${file} is not JSON: ${(cause as Error).message}`, { location: { file, line: 1, column: 1 }, cause });
  }
  const parsed = traceSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw inputError(`${file} is not an archverify trace${where}: ${issue?.message ?? "invalid"}`, {
      location: { file, line: 1, column: 1 },
      expected: `{ kind: "trace", formatVersion: ${TRACE_FORMAT_VERSION}, rule, spec, scenario, inputs, transitions, violation }`,
    });
  }
  return parsed.data;
}

/** The spec file a trace names, as an absolute path. */
export function traceSpecFile(traceFile: string, trace: Trace): string {
  return resolve(dirname(traceFile), trace.spec);
}

/** `spec` as a trace stores it: relative to the trace file's folder, forward slashes. */
export function specPathForTrace(traceFile: string, specFile: string): string {
  return relative(dirname(traceFile), specFile).split(sep).join("/");
}

/**
 * A stable file name per spec, rule and scenario (and subject, when one rule saves several per
 * scenario): `<spec-stem>--<rule>--<scenario>[--<subject>].json`, e.g.
 * `order-system--convergence--happy-path.json`. The spec's file stem keeps the traces of two
 * specs with a scenario of the same name apart; a rerun of the same check overwrites its own.
 * Scenario and subject are names from the spec, so each goes through `nameSlug`: two different
 * names never share a file (`заказ` and `оплата` both slug to nothing readable).
 * (Only the stem: the name must not depend on where the reports folder is. Two specs with the
 * same stem, scenario and rule still share a name: the last check wins, and a passing check
 * removes a trace only if it was written for its own spec, see `isTraceOf`.)
 */
export function traceFileName(specFile: string, rule: string, scenario: string | null, subject?: string): string {
  const parts = [slug(specStem(specFile)), nameSlug(rule), scenario === null ? GENERATED : nameSlug(scenario, [GENERATED]), ...(subject ? [nameSlug(subject)] : [])];
  return `${parts.join("--")}.json`;
}

/** What a trace file's name says after the spec's stem: `order-system--model-lost-event--happy-path--order-X.json`
 * of specs/order-system.yaml -> ["model-lost-event", "happy-path", "order-X"] (rule, scenario, subject). */
export function traceNameParts(file: string, specFile: string): string[] {
  const name = basename(file).replace(/\.json$/, "");
  const prefix = `${slug(specStem(specFile))}--`;
  return (name.startsWith(prefix) ? name.slice(prefix.length) : name).split("--");
}

/** The scenario part of a trace of generated inputs (a scenario of that name gets a hashed slug). */
const GENERATED = "generated";
const specStem = (specFile: string) => basename(specFile, extname(specFile));
const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "") || "x";

/** Longest readable part of a slug: file names stay well under the usual 255-byte limit. */
const MAX_SLUG = 64;

/** A name that is its own slug: ASCII letters, digits, `.`, `_`, `-`, no `--` (the part separator), no leading `.`/`-`, no trailing `.`/`-`. */
const SAFE_NAME = /^(?!.*--)[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/;

/**
 * A file-name-safe, readable and injective form of a name from a spec (scenario, service,
 * subject): the name itself when it is already safe, else its readable ASCII part (possibly
 * empty) and a short hash of the real name, so names that lose characters (`happy path`,
 * `order/OrderCreated`, `заказ`) stay apart from each other and from every safe name they
 * resemble. The same name gives the same slug on every machine and run.
 */
export function nameSlug(name: string, reserved: readonly string[] = []): string {
  if (SAFE_NAME.test(name) && name.length <= MAX_SLUG && !reserved.includes(name)) return name;
  const readable = name.replace(/[^A-Za-z0-9_]+/g, "-").slice(0, MAX_SLUG).replace(/^-+|-+$/g, "");
  const hash = createHash("sha256").update(name, "utf8").digest("hex").slice(0, 8);
  return readable ? `${readable}-${hash}` : hash;
}

/** Whether a trace file was written for this spec (another spec may share the file's name). */
export function isTraceOf(file: string, specFile: string): boolean {
  try {
    return traceSpecFile(file, readTrace(file)) === specFile;
  } catch {
    return false;
  }
}

/** Writes a trace atomically, keys in a fixed order, so the same run gives the same bytes. */
export function writeTrace(file: string, trace: Trace): void {
  writeFileAtomic(file, `${JSON.stringify(traceSchema.parse(trace), null, 2)}\n`);
}
