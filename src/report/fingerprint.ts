// What identifies a finding across runs, for baselines and SARIF's
// partialFingerprints. Only what is stable under a different --seed and under
// edits elsewhere in the files: the rule and the subject, the element the
// finding is about (a service, a scenario and predicate, a handler and its event
// types, a cycle's path). Not the message: property and model checks put the
// schedule they happened to find into it, which changes with the seed. Not the
// line: the subject already names the element, and its line moves whenever
// something above it is edited. Only a finding without a subject falls back to
// its message (the code rules, whose messages are derived from the code alone).
import type { Finding } from "../check/types.js";

type Identified = Pick<Finding, "ruleId" | "subject" | "message">;

/** The SARIF partialFingerprints key of `fingerprint` (v1 hashed the message). */
export const FINGERPRINT_KEY = "archverify/v2";

export function fingerprint(f: Identified): string {
  const identity = f.subject !== undefined && f.subject !== "" ? `subject\u0000${f.subject}` : `message\u0000${f.message}`;
  return hash(`v2\u0000${f.ruleId}\u0000${identity}`);
}

/** The fingerprint of version 1 baselines (rule, subject and message), to read them. */
export function legacyFingerprint(f: Identified): string {
  return hash(`${f.ruleId}\u0000${f.subject ?? ""}\u0000${f.message}`);
}

/** Two 32-bit FNV-style hashes side by side: 16 hex digits, no crypto needed. */
function hash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}
