import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { findCycles, type TypeOnlyMode } from "../../code/modules/cycles.js";
import { cyclesJson, cyclesText } from "../../code/modules/cycles-output.js";
import { buildModuleGraph } from "../../code/modules/graph.js";
import type { ModuleGraph } from "../../code/modules/types.js";
import { inputError, usageError } from "../../errors.js";
import { displayPath } from "../../util/paths.js";
import { parseCommandArgs } from "../args.js";
import type { CliIO } from "../io.js";
import type { Command } from "../command.js";

const usage = `archverify cycles PATH [options]
  PATH                    folder of TypeScript sources (node_modules and dot-folders are skipped,
                          symbolic links followed)
  --tsconfig FILE         tsconfig for every file (default: the nearest tsconfig.json above each file;
                          with \`references\`, the referenced project that includes the file)
  --type-only MODE        exclude (default): runtime cycles only; include: type-only imports count too
  --format text|json      output (default text)
  --debug                 time of each stage, and every relative or aliased import that did not resolve

Exit codes: 0 no cycle, 1 cycles found, 2 bad input or usage.`;

export const cyclesCommand: Command = {
  name: "cycles",
  summary: "module import cycles of a TypeScript code base, with a shortest cycle through every cyclic import",
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        tsconfig: { type: "string" },
        "type-only": { type: "string" },
        format: { type: "string" },
        debug: { type: "boolean" },
      },
      usage,
    );
    if (positionals.length !== 1) {
      throw usageError(positionals.length === 0 ? "cycles needs the folder to analyse" : `cycles takes one folder, got ${positionals.length}: ${positionals.join(" ")}`, {
        hint: `Usage: ${usage.split("\n")[0]}`,
      });
    }
    const mode = values["type-only"] ?? "exclude";
    if (mode !== "include" && mode !== "exclude") throw usageError(`--type-only must be include or exclude, got "${mode}"`);
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") throw usageError(`--format must be text or json, got "${format}"`);
    const root = resolve(io.cwd, positionals[0] as string);
    if (!existsSync(root)) throw inputError(`${positionals[0]} does not exist`, { expected: "a folder of TypeScript sources" });
    if (!statSync(root).isDirectory()) throw inputError(`${positionals[0]} is not a folder`, { expected: "a folder of TypeScript sources" });

    const started = performance.now();
    const graph = buildModuleGraph({ roots: [root], ...(values.tsconfig === undefined ? {} : { tsconfig: resolve(io.cwd, values.tsconfig) }) });
    const built = performance.now();
    const analysis = findCycles(graph, mode as TypeOnlyMode);
    const duration = performance.now() - started;
    if (values.debug) {
      const { scanMs, extractMs, resolveMs } = graph.timings;
      const cpu = process.cpuUsage();
      io.stderr(
        `[debug] scan ${scanMs.toFixed(0)} ms, extract ${extractMs.toFixed(0)} ms, resolve ${resolveMs.toFixed(0)} ms, cycles ${(performance.now() - built).toFixed(0)} ms; ` +
          `${graph.external} external and ${graph.unresolved} unresolved imports; process cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms\n`,
      );
      for (const u of graph.unresolvedLocal) io.stderr(`[debug] unresolved: ${displayPath(u.from, root)}:${u.line}:${u.column} "${u.specifier}"\n`);
    }
    const note = unresolvedNote(graph, root, values.debug === true);
    if (note) io.stderr(note);
    if (format === "json") io.stdout(`${JSON.stringify(cyclesJson(analysis, root, duration), null, 2)}\n`);
    else io.stdout(cyclesText(analysis, root, mode as TypeOnlyMode, duration));
    return analysis.cycles.length > 0 ? 1 : 0;
  },
};

/** A relative or aliased import that names no file may hide a cycle: say so, even without --debug. */
function unresolvedNote(graph: ModuleGraph, root: string, debug: boolean): string | undefined {
  const missing = graph.unresolvedLocal;
  if (missing.length === 0) return undefined;
  const first = missing[0]!;
  const more = debug ? "listed above" : "--debug lists them";
  return (
    `note: ${missing.length} relative or aliased import${missing.length === 1 ? "" : "s"} did not resolve, so ${missing.length === 1 ? "its edge is" : "their edges are"} missing from the graph ` +
    `(first: ${displayPath(first.from, root)}:${first.line} "${first.specifier}"; ${more}; check --tsconfig)\n`
  );
}
