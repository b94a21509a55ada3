// GitHub Actions workflow commands: each finding becomes an annotation on the
// pull request's diff (`::error file=...,line=...::message`). GitHub matches
// `file` against the repository's paths, so it is given from the repository root.
import { pathFromRoot } from "../repo-root.js";
import type { Reporter } from "../types.js";

const command = { error: "error", warning: "warning", info: "notice" } as const;

export const github: Reporter = (report, options) => {
  const root = options.root ?? options.cwd;
  const lines = report.findings.map((f) => {
    const loc = f.location ?? { file: report.spec, line: 1, column: 1 };
    // A file outside the repository cannot be annotated; its path as reported still says where it is.
    const file = pathFromRoot(loc.file, options.cwd, root) ?? loc.file;
    const props = `file=${escapeProperty(file)},line=${loc.line},col=${loc.column},title=${escapeProperty(`archverify ${f.ruleId}`)}`;
    const body = [f.message, f.witness?.length ? `witness: ${f.witness.join(" -> ")}` : "", f.fix ? `fix: ${f.fix}` : ""].filter(Boolean).join("\n");
    return `::${command[f.severity]} ${props}::${escapeData(body)}`;
  });
  const { errors, warnings, info } = report.summary;
  lines.push(`archverify: ${errors} error(s), ${warnings} warning(s), ${info} info${report.summary.hidden ? `, ${report.summary.hidden} hidden by the baseline` : ""}`);
  return `${lines.join("\n")}\n`;
};

// Escaping as GitHub's @actions/core does it.
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
