// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run, the
// rules that ran as reporting descriptors (with help text = the fix), one
// result per finding located in the spec or the code. Locations are paths from
// the repository root, resolved against the SRCROOT base URI (SARIF 3.14.14),
// which is how code scanning maps a result to a file of the repository.
import { resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import { FINGERPRINT_KEY, fingerprint } from "../fingerprint.js";
import { pathFromRoot } from "../repo-root.js";
import type { Report, ReportFinding, ReportLocation, Reporter } from "../types.js";

const level = { error: "error", warning: "warning", info: "note" } as const;

export const sarif: Reporter = (report, options) => {
  const ruleIds = [...new Set([...(report.rules ?? []).map((r) => r.id), ...report.findings.map((f) => f.ruleId)])].sort();
  const meta = new Map((report.rules ?? []).map((r) => [r.id, r]));
  const rules = ruleIds.map((id) => {
    const m = meta.get(id);
    const description = m?.description ?? id;
    const fix = m?.fix ?? "";
    return {
      id,
      name: ruleName(id),
      shortDescription: { text: description },
      fullDescription: { text: description },
      help: { text: fix ? `${description}\nFix: ${fix}` : description, markdown: fix ? `${description}\n\n**Fix:** ${fix}` : description },
      helpUri: `https://github.com/archverify/archverify#rule-${id}`,
      defaultConfiguration: { level: level[(m?.severity as keyof typeof level) ?? "error"] ?? "error" },
    };
  });
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const root = options.root ?? options.cwd;
  const locate = locator(options.cwd, root);
  const results = report.findings.map((f) => result(f, index.get(f.ruleId) ?? 0, report, locate));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, informationUri: "https://github.com/archverify/archverify", rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(root) } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

type Locator = (l: ReportLocation) => ReturnType<typeof physical>;

function result(f: ReportFinding, ruleIndex: number, report: Report, locate: Locator) {
  const lines = [f.message];
  if (f.witness?.length) lines.push(`witness: ${f.witness.join(" -> ")}`);
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: level[f.severity],
    message: { text: lines.join("\n") },
    locations: [locate(f.location ?? { file: report.spec, line: 1, column: 1 })],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
  };
  if (f.related?.length) out.relatedLocations = f.related.map((r, id) => ({ id, ...locate(r) }));
  // SARIF `fixes` must carry file edits; a prose fix belongs in the property bag.
  if (f.fix) out.properties = { fix: f.fix };
  return out;
}

const SRCROOT = "SRCROOT";

/** A file inside the root is a relative reference against SRCROOT; one outside it (code
 * a spec reaches with ../) gets its absolute file: URI, as no base can express it. */
function locator(cwd: string, root: string): Locator {
  return (l) => {
    const fromRoot = pathFromRoot(l.file, cwd, root);
    const artifact = fromRoot === undefined ? { uri: pathToFileURL(resolvePath(cwd, l.file)).href } : { uri: relativeUri(fromRoot), uriBaseId: SRCROOT };
    return physical(artifact, l);
  };
}

function physical(artifactLocation: { uri: string; uriBaseId?: string }, l: ReportLocation) {
  return {
    physicalLocation: {
      artifactLocation,
      region: { startLine: Math.max(1, l.line), startColumn: Math.max(1, l.column) },
    },
  };
}

/** A relative URI reference (RFC 3986) for a slash-separated path: each segment
 * percent-encoded, ':' included, so a first segment like `x:y` is not read as a scheme. */
const relativeUri = (path: string) =>
  path
    .split("/")
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");

/** SARIF requires a base URI to end with a slash (3.14.14). */
function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith("/") ? href : `${href}/`;
}

/**
 * The reporting descriptor's human name (SARIF 3.49.7), which must differ from the opaque
 * `id` (sarif-multitool SARIF1001 compares them ignoring case): PascalCase words, with
 * `Rule` after a one-word id (`orphans` -> `OrphansRule`, `no-sync-cycles` -> `NoSyncCycles`).
 */
export function ruleName(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
  return pascal.toLowerCase() === id.toLowerCase() ? `${pascal}Rule` : pascal;
}
