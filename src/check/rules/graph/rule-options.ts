// Reading a graph rule's options from the spec's `rules:` entry. A wrong
// option is the user's input error: it points at the rule's entry in the spec.
import { inputError } from "../../../errors.js";
import { didYouMean } from "../../../spec/suggest.js";
import type { SourceLocation } from "../../../spec/types.js";
import type { CheckContext } from "../../types.js";

export interface RuleOptionReader {
  /** A list of names (each one of `known`, when given); [] when absent. */
  names(key: string, known?: ReadonlySet<string> | ((name: string) => boolean), what?: string, candidates?: () => Iterable<string>): string[];
  /** A list of `{from, to}` pairs whose ends are names from `known`. */
  pairs(key: string, known: (name: string) => boolean, what: string, candidates: () => Iterable<string>): { from: string; to: string }[];
  boolean(key: string, fallback: boolean): boolean;
  /** Throws on keys the rule does not know (catches typos such as `ignroe:`). */
  onlyKeys(...keys: string[]): void;
}

export function ruleOptions(ctx: CheckContext, ruleId: string): RuleOptionReader {
  const options = ctx.ruleOptions(ruleId);
  const loc: SourceLocation = ctx.spec.rules.get(ruleId)?.loc ?? { file: ctx.spec.file, line: 1, column: 1 };
  const fail = (message: string, expected: string, hint?: string) =>
    inputError(`rule ${ruleId}: ${message}`, { location: loc, expected, ...(hint ? { hint } : {}) });
  const check = (name: string, key: string, known: ReadonlySet<string> | ((name: string) => boolean) | undefined, what: string, candidates?: () => Iterable<string>) => {
    if (!known) return;
    const ok = typeof known === "function" ? known(name) : known.has(name);
    if (!ok) {
      const pool = candidates ? candidates() : typeof known === "function" ? [] : known;
      throw fail(`option ${key} names unknown ${what} "${name}"`, `the name of a ${what} in this spec`, didYouMean(name, pool));
    }
  };
  return {
    names(key, known, what = "element", candidates) {
      const value = options[key];
      if (value === undefined) return [];
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw fail(`option ${key} must be a list of names`, `a list of strings, e.g. ${key}: [a, b]`);
      for (const name of value as string[]) check(name, key, known, what, candidates);
      return value as string[];
    },
    pairs(key, known, what, candidates) {
      const value = options[key];
      if (value === undefined) return [];
      const isPair = (v: unknown): v is { from: string; to: string } =>
        typeof v === "object" && v !== null && typeof (v as { from?: unknown }).from === "string" && typeof (v as { to?: unknown }).to === "string";
      if (!Array.isArray(value) || !value.every(isPair)) throw fail(`option ${key} must be a list of {from, to} pairs`, `e.g. ${key}: [{ from: a, to: b }]`);
      for (const p of value) {
        check(p.from, key, known, what, candidates);
        check(p.to, key, known, what, candidates);
      }
      return value.map((p) => ({ from: p.from, to: p.to }));
    },
    boolean(key, fallback) {
      const value = options[key];
      if (value === undefined) return fallback;
      if (typeof value !== "boolean") throw fail(`option ${key} must be true or false`, "a boolean");
      return value;
    },
    onlyKeys(...keys) {
      for (const key of Object.keys(options)) {
        if (!keys.includes(key)) throw fail(`unknown option "${key}"`, keys.length > 0 ? `one of ${keys.join(", ")}` : "no options", didYouMean(key, keys));
      }
    },
  };
}

/** "a, b, c and 7 more": long lists (a 10k-service component) stay readable. */
export function listNames(names: readonly string[], max = 8): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}
