import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { noSyncCycles } from "../../src/check/rules/graph/no-sync-cycles.js";
import { buildSpec, callLoc, type ServiceInput } from "./spec-builder.js";
import { findingsOf } from "./helpers.js";

const name = (i: number) => `svc${i}`;

/** Random call graphs on up to `max` services (self-calls included). */
const callGraph = (max: number) =>
  fc.integer({ min: 1, max }).chain((n) =>
    fc
      .uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 2, selector: ([a, b]) => `${a},${b}` })
      .map((edges) => ({ n, edges })),
  );

function specOf({ n, edges }: { n: number; edges: [number, number][] }) {
  const services: Record<string, ServiceInput> = {};
  for (let i = 0; i < n; i++) services[name(i)] = { calls: edges.filter(([a]) => a === i).map(([, b]) => name(b)) };
  return buildSpec({ services });
}

function distances(n: number, edges: [number, number][]): number[][] {
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (const [a, b] of edges) if (a !== b) d[a]![b] = 1;
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i]![j] = Math.min(d[i]![j]!, d[i]![k]! + d[k]![j]!);
  return d;
}

describe("no-sync-cycles", () => {
  it("reports logistics calling order back, with the spec line of each call", async () => {
    const spec = buildSpec({ services: { order: { calls: ["logistics"] }, logistics: { calls: ["order"] }, user: { calls: ["order"] } } });
    const [f, ...rest] = await findingsOf(noSyncCycles, spec);
    expect(rest).toEqual([]);
    expect(f?.severity).toBe("error");
    expect(f?.witness).toEqual(["logistics", "order", "logistics"]);
    expect(f?.message).toBe("synchronous call cycle of 2 services: logistics -> order -> logistics");
    expect(f?.location).toEqual(callLoc(spec, "logistics", "order"));
    expect(f?.related).toEqual([callLoc(spec, "logistics", "order"), callLoc(spec, "order", "logistics")]);
    expect(f?.fix).toBe(noSyncCycles.fix);
  });

  it("counts a self-call", async () => {
    const spec = buildSpec({ services: { audit: { calls: ["audit"] } } });
    const [f] = await findingsOf(noSyncCycles, spec);
    expect(f?.message).toBe("audit calls itself synchronously: audit -> audit");
    expect(f?.witness).toEqual(["audit", "audit"]);
  });

  it("names the whole component when the witness is only part of it", async () => {
    const spec = buildSpec({ services: { a: { calls: ["b"] }, b: { calls: ["a", "c"] }, c: { calls: ["d"] }, d: { calls: ["a"] } } });
    const findings = await findingsOf(noSyncCycles, spec);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toBe(
      "synchronous call cycle of 2 services: a -> b -> a; the cycle is part of a group of 4 services that all reach each other: a, b, c, d",
    );
  });

  it("follows the spec's rules: severity and off", async () => {
    const cyclic = { a: { calls: ["b"] }, b: { calls: ["a"] } };
    const warn = buildSpec({ services: cyclic, rules: { "no-sync-cycles": { severity: "warning" } } });
    expect((await findingsOf(noSyncCycles, warn)).map((f) => f.severity)).toEqual(["warning"]);
    const off = buildSpec({ services: cyclic, rules: { "no-sync-cycles": { severity: "off" } } });
    expect(await findingsOf(noSyncCycles, off)).toEqual([]);
  });

  it("rejects options it does not have", async () => {
    const spec = buildSpec({ services: {}, rules: { "no-sync-cycles": { options: { maxCycle: 3 } } } });
    await expect(findingsOf(noSyncCycles, spec)).rejects.toThrow(/unknown option "maxCycle"/);
  });

  test.prop([callGraph(8)], { numRuns: 200 })("one finding per cyclic component, its witness a shortest real cycle", async (g) => {
    const spec = specOf(g);
    const d = distances(g.n, g.edges);
    const findings = await findingsOf(noSyncCycles, spec);
    // Oracle: components by mutual reachability; cyclic when larger than one or with a self-call.
    const comp = (i: number) => Array.from({ length: g.n }, (_, j) => j).filter((j) => d[i]![j]! < Infinity && d[j]![i]! < Infinity);
    const cyclic = new Set<string>();
    for (let i = 0; i < g.n; i++) {
      const c = comp(i);
      if (c.length > 1 || g.edges.some(([a, b]) => a === i && b === i)) cyclic.add(c.join(","));
    }
    expect(findings).toHaveLength(cyclic.size);
    const seen = new Set<string>();
    for (const f of findings) {
      const w = f.witness!.map((s) => Number(s.slice(3)));
      expect(w[0]).toBe(w[w.length - 1]);
      for (let i = 0; i + 1 < w.length; i++) expect(g.edges.some(([a, b]) => a === w[i] && b === w[i + 1])).toBe(true);
      const members = comp(w[0]!);
      seen.add(members.join(","));
      let girth = Infinity;
      for (const [a, b] of g.edges) if (members.includes(a) && members.includes(b)) girth = Math.min(girth, a === b ? 1 : 1 + d[b]![a]!);
      expect(w.length - 1).toBe(girth);
      expect(f.location).toEqual(callLoc(spec, f.witness![0]!, f.witness![1]!));
      expect(f.related).toHaveLength(w.length - 1);
    }
    expect(seen).toEqual(cyclic);
  });

  test.prop([callGraph(6), fc.integer({ min: 1, max: 8 })], { numRuns: 150 })(
    "--all-cycles lists every elementary cycle up to the bound and says when it cut the list",
    async (g, maxCycles) => {
      const spec = specOf(g);
      const findings = await findingsOf(noSyncCycles, spec, { allCycles: true, maxCycles });
      const cycles = findings.filter((f) => f.witness);
      const notes = findings.filter((f) => !f.witness);
      // Oracle: simple cycles by brute force, grouped by component (the bound applies per component).
      const d = distances(g.n, g.edges);
      const has = (a: number, b: number) => g.edges.some(([x, y]) => x === a && y === b);
      const all: number[][] = [];
      const extend = (seq: number[]) => {
        const s = seq[0]!;
        const last = seq[seq.length - 1]!;
        if (has(last, s)) all.push([...seq, s]);
        for (let v = s + 1; v < g.n; v++) if (!seq.includes(v) && has(last, v)) extend([...seq, v]);
      };
      for (let s = 0; s < g.n; s++) extend([s]);
      const byComponent = new Map<string, number>();
      for (const c of all) {
        const key = Array.from({ length: g.n }, (_, j) => j).filter((j) => d[c[0]!]![j]! < Infinity && d[j]![c[0]!]! < Infinity).join(",");
        byComponent.set(key, (byComponent.get(key) ?? 0) + 1);
      }
      let expectedListed = 0;
      let expectedNotes = 0;
      for (const count of byComponent.values()) {
        expectedListed += Math.min(count, maxCycles);
        if (count > maxCycles) expectedNotes++;
      }
      expect(cycles).toHaveLength(expectedListed);
      expect(notes).toHaveLength(expectedNotes);
      for (const n of notes) expect(n.message).toMatch(/more exist and were not listed \(raise --max-cycles/);
      const keys = new Set(all.map((c) => c.map(name).join(" -> ")));
      for (const f of cycles) expect(keys.has(f.witness!.join(" -> "))).toBe(true);
    },
  );
});
