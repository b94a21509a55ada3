// Generated events must be values their type or schema admits: an invalid
// value makes a correct handler throw (a false alarm) and hides real bugs
// (a duplicate that throws is skipped). Oracles: the TypeScript checker for
// types, safeParse for zod schemas.
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { z as z3 } from "zod/v3";
import { arbitraryOf } from "../../src/check/generate/arbitrary.js";
import { buildEventSource } from "../../src/check/generate/event-source.js";
import { analyzeHandlerTypes, createTypeProject } from "../../src/check/generate/from-ts.js";
import { shapesByEventType, type TypeShape } from "../../src/check/generate/type-shape.js";
import { findUserEvents, zodShape } from "../../src/check/generate/user-exports.js";

const fixture = fileURLToPath(new URL("./deep-types-fixture.ts", import.meta.url));

describe("TypeScript types: every generated value type-checks", () => {
  const project = createTypeProject();
  const info = analyzeHandlerTypes(project, { raw: "x", file: fixture, exportName: "deep", loc: { file: fixture, line: 1, column: 1 } });
  const byType = shapesByEventType(info.events!);

  it("describes every event type (none cut away)", () => {
    expect(info.accepts).toEqual(["Deep", "Recursive", "Templated"]);
  });

  it("the checker accepts every sampled event of every type", () => {
    const lines = ['import type { DeepEvent } from "./deep-types-fixture.js";'];
    let n = 0;
    for (const type of ["Deep", "Recursive", "Templated"]) {
      for (const seed of [1, 2, 3]) {
        for (const v of fc.sample(arbitraryOf(byType.get(type)!), { numRuns: 40, seed })) lines.push(`export const v${n++}: DeepEvent = ${JSON.stringify(v)};`);
      }
    }
    const sf = project.createSourceFile(fixture.replace(/deep-types-fixture\.ts$/, "deep-types-values.ts"), lines.join("\n"), { overwrite: true });
    const errors = sf.getPreEmitDiagnostics().map((d) => `${d.getLineNumber()}: ${String(d.getMessageText()).slice(0, 300)}`);
    project.removeSourceFile(sf);
    expect(errors).toEqual([]);
  });

  it("a required field deep inside unions, arrays and optional wrappers is generated, never null", () => {
    const values = fc.sample(arbitraryOf(byType.get("Deep")!), { numRuns: 200, seed: 9 }) as { data: { order: { lines: { product: { sku: unknown; price: { amount: unknown } } }[] } } }[];
    const lines = values.flatMap((v) => v.data.order.lines);
    expect(lines.length).toBeGreaterThan(50);
    for (const l of lines) {
      expect(typeof l.product.sku).toBe("string");
      expect(typeof l.product.price.amount).toBe("number");
    }
  });

  it("recursion is unfolded, then cut where the type allows (optional field, empty array, null member)", () => {
    const values = fc.sample(arbitraryOf(byType.get("Recursive")!), { numRuns: 200, seed: 4 }) as { data: { tree: { children: unknown[] }; chain: { next: unknown } } }[];
    expect(values.some((v) => v.data.tree.children.length > 0)).toBe(true);
    expect(values.some((v) => v.data.chain.next !== null)).toBe(true);
  });
});

const tip = z.object({
  type: z.literal("TipAdded"),
  id: z.string(),
  waiterId: z.string(),
  cents: z.number().int().min(1).max(500),
  email: z.string().email().optional(),
});

/** Schemas whose JSON form says everything safeParse checks (no refinements). */
const schemas: Record<string, { safeParse(v: unknown): { success: boolean } }> = {
  tip,
  bounds: z.object({
    type: z.literal("Measured"),
    ratio: z.number().gt(0).lt(1),
    step: z.number().multipleOf(0.5).min(-3).max(3),
    big: z.number().int().min(10_000),
    neg: z.number().int().max(-5000),
    narrow: z.number().gt(0.1).lt(0.2),
  }),
  strings: z.object({
    type: z.literal("Named"),
    code: z.string().min(3).max(5).regex(/^[a-z]+$/),
    uuid: z.string().uuid(),
    at: z.string().datetime(),
    day: z.string().date(),
    url: z.string().url(),
    sku: z.string().regex(/^SKU-\d{3}$/),
    fixed: z.string().length(4),
  }),
  collections: z.object({
    type: z.literal("Listed"),
    tags: z.array(z.enum(["a", "b", "c"])).min(1).max(2),
    pair: z.tuple([z.string(), z.number().int().nonnegative()]),
    counts: z.record(z.string(), z.number().int().positive()),
    maybe: z.string().nullable(),
    status: z.literal(["open", "closed"]),
  }),
  union: z.discriminatedUnion("type", [
    z.object({ type: z.literal("A"), n: z.number().int().min(1) }),
    z.object({ type: z.literal("B"), s: z.string().min(2) }),
  ]),
  v3: z3.object({
    type: z3.literal("Deposited"),
    id: z3.string(),
    accountId: z3.string().uuid(),
    cents: z3.number().int().min(100).max(10_000),
    rate: z3.number().positive().lt(1),
    email: z3.string().email(),
    code: z3.string().regex(/^[A-Z]{3}$/),
    lines: z3.array(z3.object({ sku: z3.string().min(2), qty: z3.number().int().min(1) })).min(1),
    kind: z3.enum(["x", "y"]),
    note: z3.string().optional(),
    nested: z3.discriminatedUnion("k", [z3.object({ k: z3.literal("p") }), z3.object({ k: z3.literal("q"), v: z3.number().multipleOf(5) })]),
  }),
};

describe("zod schemas: constraints are honoured by the generation itself", () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(`every value generated from ${name} passes safeParse (no filter)`, () => {
      const arb = arbitraryOf(zodShape(schema));
      const rejected = fc.sample(arb, { numRuns: 300, seed: 5 }).filter((v) => !schema.safeParse(v).success);
      expect(rejected.slice(0, 3)).toEqual([]);
    });
  }

  it("a zod 3 schema is read (not mistaken for something else)", () => {
    const shape = zodShape(schemas.v3) as Extract<TypeShape, { kind: "object" }>;
    expect(shape.kind).toBe("object");
    expect(shape.fields.find((f) => f.name === "cents")?.type).toEqual({ kind: "number", integer: true, minimum: 100, maximum: 10_000 });
  });
});

describe("zod schemas: events go through safeParse", () => {
  const plan = (types: string[]) => ({ types, keys: {}, examples: {} });

  it("a refinement the JSON form cannot say is enforced, and the parsed form is delivered", () => {
    const schema = z
      .object({ type: z.literal("Ranged"), id: z.string(), low: z.number().int(), high: z.number().int(), unit: z.string().transform((u) => `${u.toUpperCase()}!`) })
      .refine((e) => e.low < e.high);
    const source = buildEventSource(plan(["Ranged"]), findUserEvents("x", {}, { eventSchema: schema }));
    const events = fc.sample(source.forType("Ranged"), { numRuns: 200, seed: 2 }) as unknown as { low: number; high: number; unit: string }[];
    for (const e of events) {
      expect(e.low).toBeLessThan(e.high);
      expect(e.unit).toMatch(/!$/);
    }
    expect(source.notes).toEqual([]);
  });

  it("a schema no generated event passes is used unfiltered, with a note", () => {
    const schema = z.object({ type: z.literal("Dated"), id: z.string(), at: z.date() });
    const source = buildEventSource(plan(["Dated"]), findUserEvents("x", {}, { eventSchema: schema }));
    expect(fc.sample(source.forType("Dated"), { numRuns: 5, seed: 1 })).toHaveLength(5);
    expect(source.notes).toEqual([expect.stringContaining("zod schema eventSchema accepts none of 100 Dated events")]);
  });
});

describe("numbers shrink to the simplest value that still fails", () => {
  const shrunk = (shape: TypeShape, fails: (x: number) => boolean, seed: number) =>
    fc.check(fc.property(arbitraryOf(shape), (x) => !fails(x as number)), { seed, numRuns: 500 }).counterexample?.[0];

  it("a failure beyond a threshold shrinks to the integer nearest 0 past it, not to a fraction", () => {
    fc.assert(
      fc.property(fc.double({ min: -900, max: 900, noNaN: true }), fc.integer(), (t, seed) => {
        const up = shrunk({ kind: "number" }, (x) => x > t, seed);
        if (up !== undefined) expect(up).toBe(t < 0 ? 0 : Math.floor(t) + 1);
        const down = shrunk({ kind: "number" }, (x) => x < t, seed);
        if (down !== undefined) expect(down).toBe(t > 0 ? 0 : Math.ceil(t) - 1);
      }),
      { numRuns: 60, seed: 1 },
    );
  });

  it("a bounded integer shrinks to the bound the failure needs (cents >= 100 of 1..500 gives 100)", () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(shrunk({ kind: "number", integer: true, minimum: 1, maximum: 500 }, (x) => x >= 100, seed)).toBe(100);
    for (const seed of [1, 2, 3]) expect(shrunk({ kind: "number", multipleOf: 0.5, minimum: -3, maximum: 3 }, (x) => x > 1.2, seed)).toBe(1.5);
  });
});

describe("a zod schema the module exports under another name", () => {
  const opened = z.object({ type: z.literal("Opened"), id: z.string(), walletId: z.string() });
  const credited = z.object({ type: z.literal("Credited"), id: z.string(), walletId: z.string(), cents: z.number().int().min(1) });
  const frozen = z.object({ type: z.literal("Frozen"), id: z.string(), walletId: z.string() });
  const exports = {
    auditSchema: z.object({ type: z.literal("Audited"), id: z.string() }),
    walletEvents: z.discriminatedUnion("type", [opened, credited]),
    allEvents: z.discriminatedUnion("type", [opened, credited, frozen]),
  };

  it("is used when it describes every event type the service receives (the closest one)", () => {
    expect(findUserEvents("wallet", {}, exports, ["Credited", "Opened"])?.name).toBe("walletEvents");
    expect(findUserEvents("wallet", {}, exports, ["Frozen", "Opened"])?.name).toBe("allEvents");
    expect(findUserEvents("wallet", {}, exports, ["Closed"])).toBeUndefined();
    expect(findUserEvents("wallet", {}, exports)).toBeUndefined();
  });

  it("its constraints reach the generated events", () => {
    const source = buildEventSource({ types: ["Credited", "Opened"], keys: {}, examples: {} }, findUserEvents("wallet", {}, exports, ["Credited", "Opened"]));
    for (const e of fc.sample(source.forType("Credited"), { numRuns: 100, seed: 3 }) as unknown as { cents: number }[]) expect(e.cents).toBeGreaterThanOrEqual(1);
  });
});
