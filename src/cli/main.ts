// The whole CLI as a function: `main(argv, io) => exitCode`. bin/ stays thin.
import { isUserError } from "../errors.js";
import { TOOL_VERSION } from "../version.js";
import { commands } from "./commands/index.js";
import { formatUserError } from "./format-error.js";
import type { CliIO } from "./io.js";

export async function main(argv: string[], io: CliIO): Promise<number> {
  const debug = argv.includes("--debug");
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(await helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(`${TOOL_VERSION}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load || !Object.hasOwn(commands, name)) {
    io.stderr(`archverify: unknown command "${name}"; expected one of ${Object.keys(commands).join(", ")}. Run \`archverify --help\`.\n`);
    return 2;
  }
  try {
    const command = await load();
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(`${command.usage}\n`);
      return 0;
    }
    return await command.run(...withoutColorFlag(rest, io));
  } catch (error) {
    if (isUserError(error)) {
      io.stderr(formatUserError(error, io.cwd));
      if (debug && error.stack) io.stderr(`${error.stack}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * `--no-color` is accepted by every command, as scripts pass it to a whole tool: it is taken out
 * of the arguments (before a `--`) and turned into NO_COLOR, which the commands that colour read.
 */
function withoutColorFlag(args: string[], io: CliIO): [string[], CliIO] {
  const end = args.indexOf("--");
  const options = end < 0 ? args : args.slice(0, end);
  if (!options.includes("--no-color")) return [args, io];
  const kept = [...options.filter((a) => a !== "--no-color"), ...(end < 0 ? [] : args.slice(end))];
  return [kept, { ...io, env: { ...io.env, NO_COLOR: "1" } }];
}

async function helpText(): Promise<string> {
  const lines = ["archverify: verify event-driven microservices against their topology spec", "", "Usage: archverify <command> [options]", "", "Commands:"];
  for (const load of Object.values(commands)) {
    const c = await load();
    lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  }
  lines.push("", "Run `archverify <command> --help` for a command's options.");
  return `${lines.join("\n")}\n`;
}
