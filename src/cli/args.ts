// util.parseArgs with archverify's error style: a bad flag is a usage error (exit 2).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "../errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string, allowPositionals = true) {
  try {
    return parseArgs({ args: attachNegativeValues(args, options), options, allowPositionals, strict: true, tokens: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] ?? String(error) : String(error);
    throw usageError(message, { hint: `Usage: ${usage.split("\n")[0]}` });
  }
}

/**
 * `--max-depth -1`: parseArgs takes a value that starts with "-" for a flag and calls the
 * option ambiguous; written `--max-depth=-1` it reaches the option's own validation, which
 * says what a valid value is.
 */
function attachNegativeValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    const next = args[i + 1];
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export function intOption(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw usageError(`${flag} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** `30s`, `2m`, `500ms` or a number of seconds, as milliseconds. */
export function durationOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw usageError(`${flag} must be a duration such as 30s, 2m or 500ms, got "${value}"`);
  const n = Number(m[1]);
  return m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000;
}

/** Pairs each `--output` with the `--format` before it (text when none came before). */
export function formatOutputs(tokens: ReadonlyArray<{ kind: string; name?: string; value?: string | undefined }>): Array<{ format: string; output?: string }> {
  const pairs: Array<{ format: string; output?: string }> = [];
  for (const t of tokens) {
    if (t.kind !== "option" || t.value === undefined) continue;
    if (t.name === "format") pairs.push({ format: t.value });
    if (t.name === "output") {
      const last = pairs.at(-1);
      if (last && last.output === undefined) last.output = t.value;
      else pairs.push({ format: "text", output: t.value });
    }
  }
  const toStdout = pairs.filter((p) => p.output === undefined);
  if (toStdout.length > 1) {
    throw usageError(`${toStdout.map((p) => `--format ${p.format}`).join(" and ")} would all go to stdout, one after the other`, {
      expected: "at most one format on stdout",
      hint: "give the others --output FILE (each --output goes with the --format before it)",
    });
  }
  return pairs.length > 0 ? pairs : [{ format: "text" }];
}

/** `--shard I/N`, 1-based. */
export function shardOption(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw usageError(`--shard must be I/N with 1 <= I <= N, got "${value}"`);
  return { index, count };
}
