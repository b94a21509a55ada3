// `archverify schema` and the committed schema.json agree with the zod schema.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { specJsonSchema, specJsonSchemaText } from "../../src/spec/json-schema.js";
import { SpecFileSchema } from "../../src/spec/schema.js";

describe("JSON Schema of the spec", () => {
  it("schema.json at the repository root is up to date (regenerate with npm run schema:write)", () => {
    expect(readFileSync("schema.json", "utf8")).toBe(specJsonSchemaText());
  });

  it("is printed by `archverify schema`", async () => {
    const io = memoryIO(process.cwd());
    expect(await main(["schema"], io)).toBe(0);
    expect(io.out).toBe(specJsonSchemaText());
  });

  it("describes every top-level section, rejects unknown keys and documents each field", () => {
    const schema = specJsonSchema() as { properties: Record<string, { description?: string }>; additionalProperties: boolean; title: string };
    expect(Object.keys(schema.properties)).toEqual(Object.keys(SpecFileSchema.shape));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.title).toBe("archverify topology spec");
    for (const [key, value] of Object.entries(schema.properties)) expect(value.description, key).toBeTruthy();
    type Fields = { properties: Record<string, { description?: string; default?: unknown }> };
    const entry = (schema.properties.services as { additionalProperties: Fields | { anyOf: Fields[] } }).additionalProperties;
    const service = "anyOf" in entry ? (entry.anyOf.find((s) => "properties" in s) as Fields) : entry;
    for (const [key, value] of Object.entries(service.properties)) expect(value.description, `services.*.${key}`).toBeTruthy();
    expect(service.properties.outbox?.default).toBe(true);
  });

  it("refuses arguments", async () => {
    const io = memoryIO(process.cwd());
    expect(await main(["schema", "extra"], io)).toBe(2);
    expect(io.err).toMatch(/schema takes no arguments/);
  });
});
