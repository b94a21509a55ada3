import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryOf } from "../../src/check/generate/arbitrary.js";
import { withUniqueIds } from "../../src/check/generate/event-source.js";
import { analyzeHandlerTypes, createTypeProject } from "../../src/check/generate/from-ts.js";
import { zodShape } from "../../src/check/generate/user-exports.js";
import { shapesByEventType } from "../../src/check/generate/type-shape.js";
import { z } from "zod";

const typesFile = fileURLToPath(new URL("./types-fixture.ts", import.meta.url));
const project = createTypeProject();
const info = analyzeHandlerTypes(project, { raw: "x", file: typesFile, exportName: "shapes", loc: { file: typesFile, line: 1, column: 1 } });

describe("TypeScript type -> arbitrary", () => {
  it("splits a discriminated union by literal type", () => {
    expect(info.accepts).toEqual(["Created", "Moved", "Tagged"]);
  });

  it("generates JSON values that fit the type", () => {
    const byType = shapesByEventType(info.events!);
    const values = fc.sample(arbitraryOf(byType.get("Created")!), { numRuns: 200, seed: 3 }) as Record<string, unknown>[];
    for (const v of values) {
      expect(JSON.parse(JSON.stringify(v))).toEqual(v);
      expect(["low", "high"]).toContain(v.priority);
      expect(typeof v.itemId).toBe("string");
      expect(["a", "b"]).toContain((v.meta as { kind: string }).kind);
      if ("note" in v) expect(typeof v.note).toBe("string");
    }
    expect(values.some((v) => "note" in v)).toBe(true);
    expect(values.some((v) => !("note" in v))).toBe(true);
    expect(new Set(values.map((v) => v.itemId)).size).toBeLessThanOrEqual(3); // a small pool: events interact
  });

  it("bounds recursive types and covers enums, records and arrays", () => {
    const byType = shapesByEventType(info.events!);
    for (const v of fc.sample(arbitraryOf(byType.get("Tagged")!), { numRuns: 100, seed: 5 }) as Record<string, unknown>[]) {
      expect(JSON.parse(JSON.stringify(v))).toEqual(v);
      expect(["red", "green"]).toContain(v.color);
      expect(Array.isArray(v.tags)).toBe(true);
      expect(typeof v.counts).toBe("object");
    }
    expect(fc.sample(arbitraryOf(byType.get("Moved")!), { numRuns: 50, seed: 1 }).length).toBe(50);
  });
});

describe("zod and ids", () => {
  it("generates from a zod schema", () => {
    const schema = z.object({ type: z.literal("Paid"), id: z.string(), amount: z.number().int(), method: z.enum(["card", "bank"]) });
    for (const v of fc.sample(arbitraryOf(zodShape(schema)), { numRuns: 100, seed: 2 })) expect(schema.safeParse(v).success).toBe(true);
  });

  it("gives every event of a run its own id, where the event keeps it", () => {
    const events = withUniqueIds([{ type: "A", id: "x" }, { type: "B", id: "x" }, { type: "C", metadata: { eventId: "x" } } as never]);
    expect(events.map((e) => (e.id as string | undefined) ?? (e as unknown as { metadata: { eventId: string } }).metadata.eventId)).toEqual(["e1", "e2", "e3"]);
  });
});
