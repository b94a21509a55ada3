// A baseline records known findings so a CI gate fails only on new ones. A
// finding is matched by its fingerprint (rule and subject, see fingerprint.ts):
// not its position, so moving lines does not resurrect it, and not its message,
// so another --seed finding the same defect through another schedule does not
// either. Matching counts, so a second copy of a known finding is new.
//
// Version 1 baselines (fingerprint of rule, subject and message) are still read:
// their entries carry rule, subject and message, from which the version 2
// fingerprint is recomputed. `--update-baseline` writes version 2.
import { existsSync, readFileSync } from "node:fs";
import type { Finding } from "../check/types.js";
import { inputError } from "../errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { fingerprint, legacyFingerprint } from "./fingerprint.js";

export interface BaselineEntry {
  ruleId: string;
  subject?: string;
  message: string;
  fingerprint: string;
}

export interface Baseline {
  baselineVersion: 2;
  findings: BaselineEntry[];
}

const EXPECTED = '{"baselineVersion": 2, "findings": [{"ruleId", "subject", "message", "fingerprint"}]} (as --update-baseline writes it)';

export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw inputError(`baseline file not found: ${file}`, { hint: "Create it with --update-baseline" });
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw inputError(`baseline is not valid JSON (${(cause as Error).message})`, { location: { file, line: 1, column: 1 }, expected: EXPECTED });
  }
  const b = data as { baselineVersion?: unknown; findings?: unknown } | null;
  const entries = b?.findings;
  const valid = b?.baselineVersion === 2 ? isEntry : (e: unknown) => typeof (e as Partial<BaselineEntry> | null)?.fingerprint === "string";
  if (!b || (b.baselineVersion !== 1 && b.baselineVersion !== 2) || !Array.isArray(entries) || !entries.every(valid)) {
    throw inputError("not an archverify baseline", { location: { file, line: 1, column: 1 }, expected: EXPECTED });
  }
  if (b.baselineVersion === 2) return { baselineVersion: 2, findings: entries as BaselineEntry[] };
  return { baselineVersion: 2, findings: (entries as BaselineEntry[]).map(migrate) };
}

const isEntry = (e: unknown): e is BaselineEntry => {
  const x = e as Partial<BaselineEntry> | null;
  return typeof x?.fingerprint === "string" && typeof x.ruleId === "string" && typeof x.message === "string" && (x.subject === undefined || typeof x.subject === "string");
};

/** A version 1 entry with its version 2 fingerprint, computed from the rule, subject and
 * message it recorded. An entry whose fields do not hash to its fingerprint (edited by hand)
 * keeps its version 1 fingerprint, the only thing version 1 matched on. */
function migrate(e: BaselineEntry): BaselineEntry {
  const recorded = typeof e.ruleId === "string" && typeof e.message === "string" && legacyFingerprint(e) === e.fingerprint;
  return { ...e, fingerprint: recorded ? fingerprint(e) : `v1:${e.fingerprint}` };
}

export function toBaseline(findings: readonly Finding[]): Baseline {
  const entries = findings.map((f) => {
    const e: BaselineEntry = { ruleId: f.ruleId, message: f.message, fingerprint: fingerprint(f) };
    if (f.subject !== undefined) e.subject = f.subject;
    return e;
  });
  entries.sort((a, b) => cmp(a.fingerprint, b.fingerprint) || cmp(a.message, b.message));
  return { baselineVersion: 2, findings: entries };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function writeBaseline(file: string, findings: readonly Finding[]): void {
  writeFileAtomic(file, `${JSON.stringify(toBaseline(findings), null, 2)}\n`);
}

export function applyBaseline(findings: readonly Finding[], baseline: Baseline): { kept: Finding[]; hidden: number } {
  const known = new Map<string, number>();
  for (const e of baseline.findings) known.set(e.fingerprint, (known.get(e.fingerprint) ?? 0) + 1);
  const take = (key: string): boolean => {
    const left = known.get(key) ?? 0;
    if (left === 0) return false;
    known.set(key, left - 1);
    return true;
  };
  const kept: Finding[] = [];
  let hidden = 0;
  for (const f of findings) {
    if (take(fingerprint(f)) || take(`v1:${legacyFingerprint(f)}`)) hidden++;
    else kept.push(f);
  }
  return { kept, hidden };
}
