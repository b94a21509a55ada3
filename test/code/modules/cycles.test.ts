import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../../src/cli/io.js";
import { main } from "../../../src/cli/main.js";
import { findCycles } from "../../../src/code/modules/cycles.js";
import { cyclesJson } from "../../../src/code/modules/cycles-output.js";
import { buildModuleGraph } from "../../../src/code/modules/graph.js";
import { fixture, fixtures } from "./helpers.js";

async function run(...argv: string[]) {
  const io = memoryIO(fixtures);
  const code = await main(["cycles", ...argv], io);
  return { code, out: io.out, err: io.err };
}

const runtimeCycles = {
  sccs: [["src/a.ts", "src/b.ts", "src/c.ts"], ["src/barrel/index.ts", "src/barrel/left.ts"], ["src/self.ts"]],
  cycles: [
    ["src/a.ts", "src/b.ts", "src/c.ts", "src/a.ts"],
    ["src/a.ts", "src/c.ts", "src/a.ts"],
    ["src/barrel/index.ts", "src/barrel/left.ts", "src/barrel/index.ts"],
    ["src/self.ts", "src/self.ts"],
  ],
};

describe("archverify cycles", () => {
  it("prints the JSON contract: runtime cycles by default, a shortest cycle through every cyclic import", async () => {
    const { code, out } = await run("cycles", "--format", "json");
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(["files", "edges", "sccs", "cycles", "durationMs"]);
    expect(json).toEqual({ files: 10, edges: 10, ...runtimeCycles, durationMs: expect.any(Number) });
  });

  it("adds the type-only cycle with --type-only include", async () => {
    const { code, out } = await run("cycles", "--format", "json", "--type-only", "include");
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.edges).toBe(11);
    expect(json.sccs).toEqual([...runtimeCycles.sccs, ["src/types/customer.ts", "src/types/order.ts"]]);
    expect(json.cycles).toEqual([...runtimeCycles.cycles, ["src/types/customer.ts", "src/types/order.ts", "src/types/customer.ts"]]);
  });

  it("prints components, cycles with the line of each import, and a summary in text", async () => {
    const { out } = await run("cycles/src/barrel");
    const lines = out.split("\n");
    expect(lines.slice(0, -2)).toEqual(["SCC 1: 2 files, 1 cycle", "  index.ts", "  left.ts", "  cycles:", "    index.ts:2 → left.ts:2 → index.ts", ""]);
    expect(lines.at(-2)).toMatch(/^3 files, 3 imports \(runtime imports; type-only imports left out\): 1 strongly connected component \(2 files\), 1 cycle \[\d+\.\d\d s\]$/);
    expect(lines.at(-1)).toBe("");
  });

  it("exits 0 when there is no cycle", async () => {
    const { code, out } = await run("paths", "--format", "json");
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ files: 5, edges: 5, sccs: [], cycles: [] });
  });

  it("exits 2 on a missing folder, a bad tsconfig (file:line:column) or a bad option", async () => {
    expect(await run("no-such-folder")).toMatchObject({ code: 2, err: expect.stringMatching(/no-such-folder does not exist/) });
    expect(await run("broken-tsconfig-syntax")).toMatchObject({ code: 2, err: expect.stringMatching(/^broken-tsconfig-syntax\/tsconfig\.json:7:1: bad tsconfig/) });
    expect(await run("cycles", "--type-only", "sometimes")).toMatchObject({ code: 2, err: expect.stringMatching(/--type-only must be include or exclude/) });
    expect(await run("cycles", "--format", "xml")).toMatchObject({ code: 2 });
    expect(await run()).toMatchObject({ code: 2, err: expect.stringMatching(/needs the folder/) });
  });

  it("honours --tsconfig for every file", async () => {
    // With the forms project's tsconfig the monorepo's path aliases are unknown: no edge, no cycle.
    const { code, out } = await run("monorepo", "--tsconfig", "forms/tsconfig.json", "--format", "json");
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ files: 3, edges: 0 });
    expect((await run("monorepo", "--format", "json")).code).toBe(1);
  });
});

// Property: random graphs written out as files; the oracle is brute-force reachability.
describe("cycles on random graphs", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const graphArb = fc.integer({ min: 1, max: 8 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.boolean()), { selector: ([a, b]) => `${a}-${b}`, maxLength: n * 3 }),
    }),
  );

  test.prop([graphArb, fc.constantFrom("include", "exclude") as fc.Arbitrary<"include" | "exclude">], { numRuns: 60 })(
    "finds exactly the SCC members and a shortest cycle through every SCC edge",
    ({ n, edges }, mode) => {
      const dir = mkdtempSync(join(tmpdir(), "archverify-cycles-"));
      dirs.push(dir);
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler" } }));
      const name = (i: number) => `m${i}.ts`;
      for (let i = 0; i < n; i++) {
        const lines = edges
          .filter(([a]) => a === i)
          .map(([, b, typeOnly]) => (typeOnly ? `import type { T${b} } from "./m${b}";` : `import { v${b} } from "./m${b}";`));
        writeFileSync(join(dir, name(i)), `${lines.join("\n")}\nexport const v${i} = ${i};\nexport type T${i} = number;\n`);
      }
      const analysed = edges.filter(([, , typeOnly]) => mode === "include" || !typeOnly).map(([a, b]) => [a, b] as const);
      const json = cyclesJson(findCycles(buildModuleGraph({ roots: [dir] }), mode), dir, 0);

      // Oracle: reachability by brute force, shortest distances by BFS.
      const adj = Array.from({ length: n }, (_, i) => analysed.filter(([a]) => a === i).map(([, b]) => b));
      const dist = (from: number, to: number): number => {
        const d = new Map([[from, 0]]);
        const queue = [from];
        for (let k = 0; k < queue.length; k++) {
          const v = queue[k] as number;
          for (const w of adj[v] as number[]) if (!d.has(w)) (d.set(w, (d.get(v) as number) + 1), queue.push(w));
        }
        return d.get(to) ?? Infinity;
      };
      const reach = (a: number, b: number) => dist(a, b) < Infinity;
      const cyclicMember = (i: number) => adj[i]!.includes(i) || Array.from({ length: n }, (_, j) => j).some((j) => j !== i && reach(i, j) && reach(j, i));
      const expectedSccs = new Set<string>();
      for (let i = 0; i < n; i++) {
        if (!cyclicMember(i)) continue;
        const comp = Array.from({ length: n }, (_, j) => j).filter((j) => j === i || (reach(i, j) && reach(j, i)));
        expectedSccs.add(comp.map(name).sort().join(","));
      }
      expect(new Set(json.sccs.map((c) => c.join(",")))).toEqual(expectedSccs);
      expect(json.edges).toBe(analysed.length);

      const idx = (f: string) => Number(f.slice(1, -3));
      // Every reported cycle is a real closed walk without repeated files.
      for (const c of json.cycles) {
        expect(c[0]).toBe(c.at(-1));
        expect(new Set(c.slice(0, -1)).size).toBe(c.length - 1);
        for (let k = 0; k + 1 < c.length; k++) expect(adj[idx(c[k]!)]).toContain(idx(c[k + 1]!));
      }
      // Every edge inside a component lies on a reported cycle as long as a shortest cycle through it.
      for (const [a, b] of analysed) {
        if (!(a === b || (reach(a, b) && reach(b, a)))) continue;
        const shortest = a === b ? 1 : 1 + dist(b, a);
        const through = json.cycles.filter((c) => c.some((f, k) => k + 1 < c.length && idx(f) === a && idx(c[k + 1]!) === b));
        expect(through.length).toBeGreaterThan(0);
        expect(Math.min(...through.map((c) => c.length - 1))).toBe(shortest);
      }
      // Cycles are deduplicated and sorted.
      const keys = json.cycles.map((c) => c.join(">"));
      expect(new Set(keys).size).toBe(keys.length);
      expect([...json.cycles].sort((x, y) => (x.join("\0") < y.join("\0") ? -1 : 1))).toEqual(json.cycles);
    },
  );
});
