import { resolve } from "node:path";
import { usageError } from "../../errors.js";
import { runInSandbox } from "../../model/runtime/sandbox.js";
import { formatReplay, type ReplayOutcome } from "../../check/simulate/replay.js";
import type { ReplayJobInput } from "../../check/simulate/replay-job.js";
import { readTrace, traceSpecFile } from "../../check/simulate/trace-format.js";
import { loadSpec } from "../../spec/load.js";
import { displayPath } from "../../util/paths.js";
import { parseCommandArgs } from "../args.js";
import type { CliIO } from "../io.js";
import type { Command } from "../command.js";

const usage = `archverify replay FILE [options]
  FILE                    a counterexample trace written by archverify check (reports/*.json)
  --call-timeout MS       longest one handler call may take (default 1000)
  --debug                 stack traces
Re-runs the trace's schedule against the current handlers in one run and prints it step by step.
Exit 1 when it still breaks a property, 0 when it no longer does.`;

const JOB = new URL("../../check/simulate/replay-job.ts", import.meta.url).href;

export const replayCommand: Command = {
  name: "replay",
  summary: "re-run a counterexample trace (reports/*.json) against the current handlers",
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, { "call-timeout": { type: "string" }, debug: { type: "boolean" } }, usage);
    if (positionals.length !== 1) throw usageError(`replay takes one trace file, got ${positionals.length}`, { hint: `Usage: ${usage.split("\n")[0]}` });
    const file = resolve(io.cwd, positionals[0]!);
    const trace = readTrace(file);
    const spec = await loadSpec(traceSpecFile(file, trace));
    const callTimeoutMs = values["call-timeout"] === undefined ? 1000 : Number(values["call-timeout"]);
    if (!Number.isFinite(callTimeoutMs) || callTimeoutMs <= 0) throw usageError(`--call-timeout must be a positive number of milliseconds, got "${values["call-timeout"]}"`);
    const result = await runInSandbox<ReplayJobInput, ReplayOutcome>(JOB, { spec, trace }, { callTimeoutMs });
    if (!result.ok) {
      const t = result.timeout;
      io.stdout(`still fails: the handler of ${t.service} did not return within ${t.timeoutMs} ms${t.event ? ` on ${JSON.stringify(t.event)}` : ""}\n`);
      return 1;
    }
    io.stdout(formatReplay(trace, displayPath(file, io.cwd), result.value));
    return result.value.fails ? 1 : 0;
  },
};
