// The footprint machinery the key reduction stands on: a tracked call sees exactly what an
// untracked one sees, reads are noted where they happen, and the writes a diff finds are all that
// changed (laying the written values over the old state gives the new one).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeValue } from "../../src/model/runtime/codec.js";
import { diffWrites, propPath, rootPath, Tracker, valueAt, withValuesAt, type Writes } from "../../src/model/system/footprint.js";

const leaf = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("a", "b"), fc.boolean(), fc.constant([1, 2]));
const key = fc.constantFrom("o1", "o2", "o3");
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("record"), tie("map"), tie("set")),
  record: fc.dictionary(key, tie("node"), { maxKeys: 3 }),
  map: fc.array(fc.tuple(key, tie("node")), { maxLength: 3 }).map((xs) => new Map(xs)),
  set: fc.uniqueArray(key, { maxLength: 3 }).map((xs) => new Set(xs)),
})).node;
const state = fc.record({ recs: fc.dictionary(key, value, { maxKeys: 3 }), counts: fc.array(fc.tuple(key, fc.integer({ min: 0, max: 2 })), { maxLength: 3 }).map((xs) => new Map(xs)), marks: fc.uniqueArray(key, { maxLength: 3 }).map((xs) => new Set(xs)) });

type S = { recs: Record<string, unknown>; counts: Map<string, number>; marks: Set<string> };
/** Handlers that read in every way the tracker intercepts (spread, entries, JSON, Map/Set iteration, has, size). */
const handlers: ((s: S, k: string) => S)[] = [
  (s, k) => ({ ...s, recs: { ...s.recs, [k]: { seen: Object.keys(s.recs).length } } }),
  (s, k) => ({ ...s, counts: new Map(s.counts).set(k, (s.counts.get(k) ?? 0) + s.counts.size) }),
  (s, k) => ({ ...s, marks: s.marks.has(k) ? new Set([...s.marks].filter((x) => x !== k)) : new Set([...s.marks, k]) }),
  (s, k) => ({ ...(JSON.parse(JSON.stringify({ recs: s.recs })) as Pick<S, "recs">), counts: s.counts, marks: s.marks, [k]: k in s.recs }) as S,
  (s, k) => ({ ...s, recs: Object.fromEntries(Object.entries(s.recs).filter(([x]) => x !== k)) }),
  (s) => s,
];

describe("read tracking and writes", () => {
  it("a tracked call returns what the untracked call returns", () => {
    fc.assert(
      fc.property(state, key, fc.nat(handlers.length - 1), (s, k, h) => {
        const t = new Tracker();
        const out = t.unwrap(handlers[h]!(t.wrap(s, rootPath("svc")) as S, k), rootPath("svc"));
        expect(encodeValue(out)).toBe(encodeValue(handlers[h]!(s, k)));
        expect(t.mutated).toBeUndefined();
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it("notes entry reads, key-set reads and containers passed through", () => {
    const t = new Tracker();
    const root = rootPath("svc");
    const s = t.wrap({ recs: { o1: { n: 1 } }, counts: new Map([["o1", 2]]) }, root) as { recs: Record<string, { n: number }>; counts: Map<string, number> };
    const recs = propPath(root, "recs");
    void s.recs.o2;
    void Object.keys(s.recs);
    void s.counts.size;
    const out = t.unwrap({ ...s, recs: s.recs }, root);
    expect(t.reads.has(propPath(recs, "o2"))).toBe(true);
    expect(t.keyReads.has(recs)).toBe(true);
    expect(t.keyReads.has(propPath(root, "counts"))).toBe(true);
    expect(t.passed.has(recs)).toBe(true);
    expect((out as { recs: unknown }).recs).toEqual({ o1: { n: 1 } });
    expect(() => ((s.recs as Record<string, unknown>).o3 = 1)).toThrow(TypeError);
    expect(t.mutated).toBe(recs);
  });

  it("laying the written values over the old state gives the new one", () => {
    fc.assert(
      fc.property(state, state, (before, after) => {
        const root = rootPath("svc");
        const w: Writes = { writes: new Set(), keyWrites: new Set() };
        diffWrites(before, after, root, w);
        const paths = [...w.writes].filter((p) => ![...w.writes].some((q) => q !== p && p.startsWith(q + "\u0001")));
        const laid = withValuesAt(before, paths.map((path) => ({ path, ...valueAt(after, path) })));
        expect(encodeValue(laid)).toBe(encodeValue(after));
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
