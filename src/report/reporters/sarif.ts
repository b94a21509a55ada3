// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run, the
// rules that ran as reporting descriptors (with help text = the fix), one
// result per finding located in the spec or the code.
import type { Report, ReportFinding, ReportLocation, Reporter } from "../types.js";

const level = { error: "error", warning: "warning", info: "note" } as const;

export const sarif: Reporter = (report) => {
  const ruleIds = [...new Set([...(report.rules ?? []).map((r) => r.id), ...report.findings.map((f) => f.ruleId)])].sort();
  const meta = new Map((report.rules ?? []).map((r) => [r.id, r]));
  const rules = ruleIds.map((id) => {
    const m = meta.get(id);
    const description = m?.description ?? id;
    const fix = m?.fix ?? "";
    return {
      id,
      name: toPascal(id),
      shortDescription: { text: description },
      fullDescription: { text: description },
      help: { text: fix ? `${description}\nFix: ${fix}` : description, markdown: fix ? `${description}\n\n**Fix:** ${fix}` : description },
      helpUri: `https://github.com/archverify/archverify#rule-${id}`,
      defaultConfiguration: { level: level[(m?.severity as keyof typeof level) ?? "error"] ?? "error" },
    };
  });
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const results = report.findings.map((f) => result(f, index.get(f.ruleId) ?? 0, report));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, informationUri: "https://github.com/archverify/archverify", rules } },
        originalUriBaseIds: { SRCROOT: { uri: "file:///" } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function result(f: ReportFinding, ruleIndex: number, report: Report) {
  const lines = [f.message];
  if (f.witness?.length) lines.push(`witness: ${f.witness.join(" -> ")}`);
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: level[f.severity],
    message: { text: lines.join("\n") },
    locations: [physical(f.location ?? { file: report.spec, line: 1, column: 1 })],
    partialFingerprints: { "archverify/v1": fingerprint(f) },
  };
  if (f.related?.length) out.relatedLocations = f.related.map((r, id) => ({ id, ...physical(r) }));
  // SARIF `fixes` must carry file edits; a prose fix belongs in the property bag.
  if (f.fix) out.properties = { fix: f.fix };
  return out;
}

function physical(l: ReportLocation) {
  return {
    physicalLocation: {
      artifactLocation: { uri: l.file.split("/").map(encodeURIComponent).join("/") },
      region: { startLine: Math.max(1, l.line), startColumn: Math.max(1, l.column) },
    },
  };
}

/** Stable across line moves: rule, subject and message, not positions. */
export function fingerprint(f: Pick<ReportFinding, "ruleId" | "subject" | "message">): string {
  const text = `${f.ruleId}\u0000${f.subject ?? ""}\u0000${f.message}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}

const toPascal = (id: string) => id.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());
