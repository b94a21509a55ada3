// contract-compat judges an emitted object literal as written: its literal
// values keep their literal types even when a loosely typed `emit` array
// widens them. The oracle is TypeScript itself: the same literal assigned to
// the consumer's type (`const check: Accepted = { ... }`), where the literals
// keep their types by context.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contractFindings } from "../../../src/code/contracts/check.js";
import { analyseDrift } from "../../../src/code/drift/analysis.js";
import { createCodeProject } from "../../../src/code/project.js";
import { loadSpecText } from "../../../src/spec/load.js";
import { runFixture, FIXTURES } from "../drift/run-fixture.js";

describe("literal-fields fixture", () => {
  it("a loosely typed emit keeps its literals: only the site sending a channel the consumer lacks is reported", async () => {
    const { findings, lines } = await runFixture("contracts/literal-fields");
    expect(lines).toEqual(["contract-compat error src/notify/handler.ts:22", "contract-compat error src/notify/handler.ts:22"]);
    const mailer = findings.find((f) => f.subject === "notifications: NotificationRequested notify -> mailer")!;
    expect(mailer.message).toContain('first incompatible property: channel is "fax", expected "email" | "sms"');
    expect(mailer.message).toContain('Emitted: { type: "NotificationRequested"; id: string; channel: "fax"; to: string; options: { priority: "high" } }');
    expect(mailer.related?.map((l) => l.line)).toEqual([12]); // one site: the email one fits
  });

  it("a Decider consumer is judged by the type of evolve, which the runtime hands the events it names", async () => {
    const { findings } = await runFixture("contracts/literal-fields");
    const ledger = findings.find((f) => f.subject === "notifications: NotificationRequested notify -> ledger")!;
    expect(ledger.message).toContain("(2 emission sites)");
    expect(ledger.message).toContain("first incompatible property: cost is missing (expected number)");
    expect(ledger.related?.map((l) => `${l.file.split("/").slice(-2).join("/")}:${l.line}`)).toEqual(["notify/handler.ts:24", "ledger/handler.ts:14"]);
  });
});

// A small grammar of field types and of values written for them.
type FieldType =
  | { kind: "literals"; values: string[] }
  | { kind: "string" }
  | { kind: "number"; literal?: number }
  | { kind: "boolean"; literal?: boolean }
  | { kind: "object"; fields: [string, FieldType][] }
  | { kind: "array"; of: FieldType };

const WORDS = ["email", "sms", "fax"];

const fieldType: fc.Arbitrary<FieldType> = fc.letrec<{ t: FieldType }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.subarray(WORDS, { minLength: 1 }).map((values): FieldType => ({ kind: "literals", values })),
    fc.constant<FieldType>({ kind: "string" }),
    fc.option(fc.constantFrom(1, 2), { nil: undefined }).map((literal): FieldType => (literal === undefined ? { kind: "number" } : { kind: "number", literal })),
    fc.option(fc.boolean(), { nil: undefined }).map((literal): FieldType => (literal === undefined ? { kind: "boolean" } : { kind: "boolean", literal })),
    fc.tuple(tie("t"), tie("t")).map(([a, b]): FieldType => ({ kind: "object", fields: [["a", a], ["b", b]] })),
    tie("t").map((of): FieldType => ({ kind: "array", of })),
  ),
})).t;

function typeText(t: FieldType): string {
  switch (t.kind) {
    case "literals":
      return t.values.map((v) => JSON.stringify(v)).join(" | ");
    case "string":
      return "string";
    case "number":
      return t.literal === undefined ? "number" : String(t.literal);
    case "boolean":
      return t.literal === undefined ? "boolean" : String(t.literal);
    case "object":
      return `{ ${t.fields.map(([k, v]) => `${k}: ${typeText(v)}`).join("; ")} }`;
    case "array":
      return `(${typeText(t.of)})[]`;
  }
}

/** A value written for a type, each leaf possibly off (another literal, another
 * kind), an object key possibly dropped: never an extra key, which the
 * oracle's fresh literal would reject and a consumer ignores. */
function valueFor(t: FieldType, pick: () => number): string {
  const off = pick() < 0.25;
  const other = () => [JSON.stringify(WORDS[Math.floor(pick() * 3)]), "1", "2", "true", "false"][Math.floor(pick() * 5)]!;
  switch (t.kind) {
    case "literals":
      return off ? other() : JSON.stringify(t.values[Math.floor(pick() * t.values.length)]);
    case "string":
      return off ? other() : JSON.stringify(WORDS[Math.floor(pick() * 3)]);
    case "number":
      return off ? other() : String(t.literal ?? 1 + Math.floor(pick() * 2));
    case "boolean":
      return off ? other() : String(t.literal ?? pick() < 0.5);
    case "object": {
      const kept = t.fields.filter(() => !(pick() < 0.1));
      return off ? other() : `{ ${kept.map(([k, v]) => `${k}: ${valueFor(v, pick)}`).join(", ")} }`;
    }
    case "array":
      return off ? other() : `[${valueFor(t.of, pick)}, ${valueFor(t.of, pick)}]`;
  }
}

interface Case {
  fields: [FieldType, FieldType];
  seed: number;
}

describe("verdicts against TypeScript's own on contextually typed literals", () => {
  it("agree on random event shapes (a loosely typed emit on one side, an exact type on the other)", () => {
    const cases = fc.sample(fc.record({ fields: fc.tuple(fieldType, fieldType), seed: fc.integer({ min: 1, max: 2 ** 30 }) }), { numRuns: 60, seed: 20240611 }) as Case[];
    const dir = mkdtempSync(join(tmpdir(), "archverify-literal-fields-"));
    try {
      mkdirSync(join(dir, "src"));
      writeFileSync(join(dir, "tsconfig.json"), readFileSync(join(FIXTURES, "contracts", "tsconfig.json"), "utf8"));
      const lines: string[] = ["export interface Outbound { type: string; id: string; [field: string]: unknown }"];
      const spec: string[] = ["archverify: 1", "services:", "  source: {}"];
      const channels: string[] = ["channels:"];
      cases.forEach((c, i) => {
        let state = c.seed;
        const pick = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
        const literal = `{ type: "E${i}", id: "x", f: ${valueFor(c.fields[0], pick)}, g: ${valueFor(c.fields[1], pick)} }`;
        lines.push(
          `export type Accepted${i} = { type: "E${i}"; id: string; f: ${typeText(c.fields[0])}; g: ${typeText(c.fields[1])} };`,
          `export const p${i} = { initialState: () => 0, handle: (s: number, e: { type: "Go${i}"; id: string }): { state: number; emit: Outbound[] } => ({ state: s, emit: [${literal}] }) };`,
          `export const c${i} = { initialState: () => 0, handle: (s: number, e: Accepted${i}) => ({ state: s + (e.id ? 1 : 0) }) };`,
          `export const check${i}: Accepted${i} = ${literal};`,
        );
        spec.push(`  p${i}: { handler: src/events.ts#p${i} }`, `  c${i}: { handler: src/events.ts#c${i} }`);
        channels.push(`  ch${i}: { events: [ E${i} ], producers: [ p${i} ], consumers: [ c${i} ] }`, `  in${i}: { events: [ Go${i} ], producers: [ source ], consumers: [ p${i} ] }`);
      });
      writeFileSync(join(dir, "src", "events.ts"), lines.join("\n") + "\n");
      const parsed = loadSpecText([...spec, ...channels].join("\n"), join(dir, "spec.yaml"));
      const cp = createCodeProject(parsed)!;
      const findings = contractFindings(analyseDrift(cp, parsed), parsed);
      const flagged = new Set(findings.map((f) => f.subject!.split(":")[0]!));

      // The oracle: which `check<i>` declarations TypeScript rejects.
      const sf = cp.program.getSourceFiles().find((f) => f.fileName.endsWith("events.ts"))!;
      const rejected = new Set<number>();
      for (const d of cp.program.getSemanticDiagnostics(sf)) {
        const line = sf.getLineAndCharacterOfPosition(d.start!).line;
        const m = /^export const check(\d+):/.exec(sf.text.split("\n")[line]!);
        if (m) rejected.add(Number(m[1]));
      }
      const disagreements = cases
        .map((_, i) => i)
        .filter((i) => flagged.has(`ch${i}`) !== rejected.has(i))
        .map((i) => `${sf.text.split("\n").find((l) => l.startsWith(`export const check${i}:`))} (archverify: ${flagged.has(`ch${i}`) ? "flagged" : "clean"})`);
      expect(disagreements).toEqual([]);
      // Both verdicts occur, so the comparison means something.
      expect(rejected.size).toBeGreaterThan(5);
      expect(rejected.size).toBeLessThan(cases.length - 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
