import { usageError } from "../../errors.js";
import { allRules, findRule } from "../../check/rules/index.js";
import { closest } from "../../spec/suggest.js";
import { parseCommandArgs } from "../args.js";
import type { CliIO } from "../io.js";
import type { Command } from "../command.js";

const usage = `archverify explain [RULE]
  RULE   a rule id (without one: list every rule)`;

export const explainCommand: Command = {
  name: "explain",
  summary: "describe a rule: what it guarantees, its default severity and how to fix a violation",
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { positionals } = parseCommandArgs(args, {}, usage);
    const id = positionals[0];
    if (id === undefined) {
      const width = Math.max(...allRules.map((r) => r.id.length));
      for (const r of [...allRules].sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id))) {
        io.stdout(`${r.id.padEnd(width)}  ${r.defaultSeverity.padEnd(7)}  ${r.category.padEnd(8)}  ${r.description}\n`);
      }
      return 0;
    }
    const rule = findRule(id);
    if (!rule) {
      const near = closest(id, allRules.map((r) => r.id));
      throw usageError(`unknown rule "${id}"`, { hint: near ? `did you mean "${near}"?` : "Run `archverify explain` for the list" });
    }
    const lines = [
      `${rule.id} (${rule.category}, default severity: ${rule.defaultSeverity})`,
      "",
      rule.description,
      ...(rule.details ? ["", rule.details] : []),
      "",
      `Fix: ${rule.fix}`,
      "",
      `Configure it in the spec:  rules: [ { name: ${rule.id}, severity: error|warning|info|off } ]`,
    ];
    io.stdout(`${lines.join("\n")}\n`);
    return 0;
  },
};
