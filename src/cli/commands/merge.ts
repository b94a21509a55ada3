import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { inputError, usageError } from "../../errors.js";
import { mergeReports } from "../../report/merge.js";
import { reporterNames, reporters } from "../../report/registry.js";
import { outputLinks } from "../../report/output-links.js";
import { repositoryRoot } from "../../report/repo-root.js";
import type { Report } from "../../report/types.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { formatOutputs, parseCommandArgs } from "../args.js";
import { colorEnabled, type CliIO } from "../io.js";
import type { Command } from "../command.js";

const usage = `archverify merge REPORT.json... [--format NAME [--output FILE]]...
  REPORT.json   JSON reports of the shards of one run (check --shard i/n --format json --output ...)
  --format      ${reporterNames().join("|")} (repeatable; default text)
  --output      write the preceding --format to FILE
Exits 1 when the merged report has errors, like check.`;

export const mergeCommand: Command = {
  name: "merge",
  summary: "merge the JSON reports of sharded checks into one report",
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { positionals, tokens, values } = parseCommandArgs(
      args,
      { format: { type: "string", multiple: true }, output: { type: "string", multiple: true }, "no-color": { type: "boolean" }, debug: { type: "boolean" } },
      usage,
    );
    if (positionals.length === 0) throw usageError("merge needs the JSON reports to merge", { hint: `Usage: ${usage.split("\n")[0]}` });
    const outputs = formatOutputs(tokens);
    for (const o of outputs) {
      if (!Object.hasOwn(reporters, o.format)) throw usageError(`unknown format "${o.format}"`, { expected: `one of ${reporterNames().join(", ")}` });
    }
    const inputs = positionals.map((p) => ({ file: p, report: readReport(resolve(io.cwd, p)) }));
    const merged = mergeReports(inputs);
    const color = colorEnabled(io, values["no-color"] ? false : undefined);
    // The shards' paths are relative to the folder they ran in, which merge assumes is this one.
    const root = repositoryRoot(merged.spec, io.env, io.cwd);
    for (const { format, output } of outputs) {
      const reporter = reporters[format];
      if (!reporter) continue;
      const text = reporter(merged, { color: output ? false : color, cwd: io.cwd, root, ...outputLinks(format, outputs, io.env) });
      if (output) writeFileAtomic(resolve(io.cwd, output), text);
      else io.stdout(text);
    }
    return merged.summary.errors > 0 ? 1 : 0;
  },
};

function readReport(file: string): Report {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw inputError(`cannot read report ${file}`, { expected: "a JSON report written by check --format json" });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw inputError(`report is not valid JSON (${(cause as Error).message})`, { location: { file, line: 1, column: 1 }, expected: "a JSON report written by check --format json" });
  }
  const r = data as Partial<Report>;
  if (r?.reportVersion !== 1 || !Array.isArray(r.findings) || typeof r.spec !== "string" || typeof r.summary !== "object") {
    throw inputError("not an archverify JSON report (reportVersion 1)", { location: { file, line: 1, column: 1 }, expected: '{"reportVersion": 1, "spec": ..., "summary": ..., "findings": [...]}' });
  }
  return r as Report;
}
