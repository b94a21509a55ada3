// `archverify schema`: the JSON Schema of the topology spec, for editors.
import { resolve } from "node:path";
import { usageError } from "../../errors.js";
import { specJsonSchemaText } from "../../spec/json-schema.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { parseCommandArgs } from "../args.js";
import type { CliIO } from "../io.js";
import type { Command } from "../command.js";

const usage = `archverify schema [--output FILE]
  Prints the JSON Schema (draft-07) of the topology spec, generated from the loader's zod schema.
  --output FILE           write it to FILE (atomically) instead of stdout
Editors that run yaml-language-server validate and complete a spec that starts with
  # yaml-language-server: $schema=./node_modules/archverify/schema.json`;

export const schemaCommand: Command = {
  name: "schema",
  summary: "print the JSON Schema of the topology spec (for editors)",
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, { output: { type: "string" }, debug: { type: "boolean" } }, usage);
    if (positionals.length > 0) throw usageError(`schema takes no arguments, got ${positionals.join(" ")}`, { hint: `Usage: ${usage.split("\n")[0]}` });
    const text = specJsonSchemaText();
    if (values.output) writeFileAtomic(resolve(io.cwd, values.output), text);
    else io.stdout(text);
    return 0;
  },
};
