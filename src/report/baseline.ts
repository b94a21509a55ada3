// A baseline records known findings so a CI gate fails only on new ones. Matching
// ignores positions (rule, subject and message), so moving lines does not
// resurrect old findings; it counts, so a second copy of a known finding is new.
import { existsSync, readFileSync } from "node:fs";
import type { Finding } from "../check/types.js";
import { inputError } from "../errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { fingerprint } from "./reporters/sarif.js";

export interface BaselineEntry {
  ruleId: string;
  subject?: string;
  message: string;
  fingerprint: string;
}

export interface Baseline {
  baselineVersion: 1;
  findings: BaselineEntry[];
}

export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw inputError(`baseline file not found: ${file}`, { hint: "Create it with --update-baseline" });
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw inputError(`baseline is not valid JSON (${(cause as Error).message})`, { location: { file, line: 1, column: 1 }, expected: 'a JSON object {"baselineVersion": 1, "findings": [...]}' });
  }
  const b = data as Partial<Baseline>;
  if (!b || b.baselineVersion !== 1 || !Array.isArray(b.findings) || !b.findings.every((f) => typeof f?.fingerprint === "string")) {
    throw inputError("not an archverify baseline", { location: { file, line: 1, column: 1 }, expected: '{"baselineVersion": 1, "findings": [{"ruleId", "message", "fingerprint"}]}' });
  }
  return b as Baseline;
}

export function toBaseline(findings: readonly Finding[]): Baseline {
  const entries = findings.map((f) => {
    const e: BaselineEntry = { ruleId: f.ruleId, message: f.message, fingerprint: fingerprint(f) };
    if (f.subject !== undefined) e.subject = f.subject;
    return e;
  });
  entries.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { baselineVersion: 1, findings: entries };
}

export function writeBaseline(file: string, findings: readonly Finding[]): void {
  writeFileAtomic(file, `${JSON.stringify(toBaseline(findings), null, 2)}\n`);
}

export function applyBaseline(findings: readonly Finding[], baseline: Baseline): { kept: Finding[]; hidden: number } {
  const known = new Map<string, number>();
  for (const e of baseline.findings) known.set(e.fingerprint, (known.get(e.fingerprint) ?? 0) + 1);
  const kept: Finding[] = [];
  let hidden = 0;
  for (const f of findings) {
    const key = fingerprint(f);
    const left = known.get(key) ?? 0;
    if (left > 0) {
      known.set(key, left - 1);
      hidden++;
    } else kept.push(f);
  }
  return { kept, hidden };
}
