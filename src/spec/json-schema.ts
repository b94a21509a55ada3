// The JSON Schema of a spec file, generated from the zod schema, for editors
// (yaml-language-server) and the `schema.json` shipped in the package.
import { z } from "zod";
import { SpecFileSchema } from "./schema.js";


export function specJsonSchema(): Record<string, unknown> {
  // Input mode: fields with defaults are optional to write, and the defaults are shown.
  return z.toJSONSchema(SpecFileSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

/** The text of `schema.json`: stable key order, two-space indent, final newline. */
export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
