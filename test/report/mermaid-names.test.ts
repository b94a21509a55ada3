// Names from a spec become file names and diagram ids: trace files, docs pages, SVGs. Two
// different names must never share one (the second would overwrite the first), and a name
// that is already a good file name stays readable.
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nameSlug, traceFileName } from "../../src/check/simulate/trace-format.js";
import { pageNames } from "../../src/report/mermaid/docs.js";

const FILE_SAFE = /^[A-Za-z0-9._-]+$/;
/** Names as specs write them: ASCII, punctuation, unicode, lookalikes of each other. */
const specName = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."ab-._ /#:;\"'`|<>[]{}()%&~"), maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  fc.string({ maxLength: 90 }),
);

describe("nameSlug", () => {
  it("gives distinct names distinct, file-safe slugs, and the same name the same slug (brute force over random sets)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(specName, { maxLength: 40 }), (names) => {
        const slugs = names.map((n) => nameSlug(n));
        expect(new Set(slugs).size).toBe(names.length);
        for (const s of slugs) {
          expect(s).toMatch(FILE_SAFE);
          expect(s).not.toContain("--");
          expect(s.length).toBeLessThanOrEqual(64 + 9);
        }
        expect(names.map((n) => nameSlug(n))).toEqual(slugs);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a name that is already a good file name, and hashes one that loses characters", () => {
    for (const n of ["happy-path", "order.v2", "OrderCreatedEvent", "a_b"]) expect(nameSlug(n)).toBe(n);
    expect(nameSlug("happy path")).toMatch(/^happy-path-[0-9a-f]{8}$/);
    expect(nameSlug("order/OrderCreatedEvent")).toMatch(/^order-OrderCreatedEvent-[0-9a-f]{8}$/);
    expect(nameSlug("заказ")).toMatch(/^[0-9a-f]{8}$/);
    expect(nameSlug("заказ")).not.toBe(nameSlug("оплата"));
    expect(nameSlug("a--b")).not.toBe("a--b"); // `--` separates the parts of a trace name
  });
});

describe("trace file names", () => {
  const spec = join("specs", "shop.yaml");
  it("keep scenarios whose names slug alike apart", () => {
    const a = traceFileName(spec, "convergence", "заказ");
    const b = traceFileName(spec, "convergence", "оплата");
    expect(a).not.toBe(b);
    expect(traceFileName(spec, "convergence", "happy path")).not.toBe(traceFileName(spec, "convergence", "happy-path"));
    // a scenario called "generated" is not the generated inputs
    expect(traceFileName(spec, "termination", "generated")).not.toBe(traceFileName(spec, "termination", null));
    expect(traceFileName(spec, "model-lost-event", "s", "a/b-c")).not.toBe(traceFileName(spec, "model-lost-event", "s", "a-b/c"));
  });
});

describe("docs page names", () => {
  it("are the spec's file stem when it is the only one with that stem", () => {
    expect(pageNames(["specs/order-system.yaml", "specs/order-system-seed.yaml"])).toEqual(["order-system", "order-system-seed"]);
    expect(pageNames(["specs/x.yaml", "specs/x.yaml"])).toEqual(["x", "x"]);
  });

  it("tell specs of the same file name apart by their folders", () => {
    expect(pageNames(["awk3/archverify.yaml", "awk4/archverify.yaml", "other.yaml"])).toEqual(["awk3-archverify", "awk4-archverify", "other"]);
    expect(pageNames(["a/x/s.yaml", "b/x/s.yaml"])).toEqual(["a-x-s", "b-x-s"]);
    expect(pageNames(["x/s.yaml", "a/x/s.yaml"])).toEqual(["x-s", "a-x-s"]);
  });

  it("never give two different spec paths one page (brute force over random path sets), and do not depend on the checkout's location", () => {
    const segment = fc.constantFrom("a", "b", "a b", "a-b", "a.b", "x", "заказ", "s");
    const path = fc.tuple(fc.array(segment, { maxLength: 3 }), fc.constantFrom("s", "t", "s s")).map(([dirs, stem]) => [...dirs, `${stem}.yaml`].join("/"));
    fc.assert(
      fc.property(fc.array(path, { minLength: 1, maxLength: 8 }), (paths) => {
        const names = pageNames(paths);
        for (let i = 0; i < paths.length; i++) {
          for (let j = 0; j < paths.length; j++) expect(names[i] === names[j], `${paths[i]} / ${paths[j]}: ${names[i]}`).toBe(paths[i] === paths[j]);
        }
        expect(pageNames(paths.map((p) => join("/elsewhere/checkout", p)))).toEqual(names);
      }),
      { numRuns: 300 },
    );
  });
});
