// What a handler handles when it dispatches on the event's type: the keys of
// the map actually assigned (not the optional keys of its type), comparisons
// with a literal only, factories' maps bound to their arguments, Deciders'
// evolve, and handlers that act on every type they are given.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyseDrift, type DriftAnalysis } from "../../../src/code/drift/analysis.js";
import { createCodeProject } from "../../../src/code/project.js";
import { loadSpecSync } from "../../../src/spec/load.js";
import { FIXTURES, runFixture } from "./run-fixture.js";
import { analyseSnippet } from "./snippet.js";

describe("dispatch fixture: code and spec agree", () => {
  let a: DriftAnalysis;
  beforeAll(() => {
    const spec = loadSpecSync(join(FIXTURES, "drift/dispatch/spec.yaml"));
    a = analyseDrift(createCodeProject(spec)!, spec);
  });
  const handled = (s: string) => a.services.get(s)!.subscriptions!.handled.map((x) => `${x.eventType}:${x.loc.line}`);

  it("no drift finding", async () => {
    const { lines } = await runFixture("drift/dispatch");
    expect(lines).toEqual([]);
  });

  it("a class property map typed Partial<Record<every type, ...>> handles the keys it holds, at the key", () => {
    expect(handled("labeler")).toEqual(["OrderPacked:18"]);
  });

  it("a map assigned in the constructor from what a factory returns", () => {
    expect(handled("packer")).toEqual(["OrderPlaced:9"]);
  });

  it("comparing two events' types branches on no type", () => {
    expect(handled("audit")).toEqual([]);
  });

  it("a Decider: decide's commands are handled; evolve's events are accepted, not handled", () => {
    const subs = a.services.get("basket")!.subscriptions!;
    expect(subs.handled.map((x) => x.eventType)).toEqual(["AddItem", "CheckOut"]);
    expect(subs.accepted?.map((x) => x.eventType)).toEqual(["AddItem", "CheckOut", "CheckedOut", "ItemAdded"]);
    expect(a.services.get("basket")!.entry!.inputs.map((i) => i.eventParamIndex)).toEqual([0, 1]);
  });

  it("a `type: string` handler that records every event acts on types it does not branch on", () => {
    const subs = a.services.get("dock")!.subscriptions!;
    expect(subs.accepted).toBeUndefined();
    expect(subs.actsOnUnhandled).toBe(true);
  });

  it("a map built at run time is an opaque dispatch", () => {
    const subs = a.services.get("router")!.subscriptions!;
    expect(subs.opaqueDispatch).toBe(true);
    expect(subs.handled.map((x) => x.eventType)).toEqual(["Heartbeat"]);
  });
});

describe("dispatch-factory fixture", () => {
  it("a map passed to a handler factory: its keys are handled, one not consumed is reported at its key", async () => {
    const { findings, lines } = await runFixture("drift/dispatch-factory");
    expect(lines).toEqual(["undeclared-subscription error src/billing/handler.ts:12"]);
    expect(findings[0]!.message).toBe(
      "billing handles RefundRequested, which channel refunds carries, but billing is not a consumer of refunds (consumers: ledger)",
    );
  });
});

const EVENTS = `
type A = { type: "A"; id: string };
type B = { type: "B"; id: string };
type C = { type: "C"; id: string };
type E = A | B | C;
type Loose = { type: string; id: string };
const enum Kind { A = "A", B = "B" }
const TYPE_B = "B";
const Types = { C: "C" } as const;
`;

describe("branches on the event's type", () => {
  const cases: [string, string, string[]][] = [
    ["=== a literal", `if (e.type === "A") return { state: s + 1 }; return { state: s };`, ["A"]],
    ["!== a const", `if (e.type !== TYPE_B) return { state: s }; return { state: s + 1 };`, ["B"]],
    ["an enum member, either side", `if (Kind.A === e.type) return { state: s + 1 }; return { state: s };`, ["A"]],
    ["an `as const` property in a case", `switch (e.type) { case Types.C: return { state: s + 1 }; default: return { state: s }; }`, ["C"]],
    ["includes of literals", `return ["A", "C"].includes(e.type) ? { state: s + 1 } : { state: s };`, ["A", "C"]],
    ["another event's type (a dedupe check)", `return last && last.type === e.type ? { state: s } : { state: s + 1 };`, []],
    ["a union-typed variable", `const k: "A" | "B" = s > 0 ? "A" : "B"; return { state: e.type === k ? s + 1 : s };`, []],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => {
      const f = analyseSnippet(`${EVENTS}
declare const last: E | undefined;
export const svc = { initialState: () => 0, handle(s: number, e: E) { ${body} } };`);
      expect(f.subscriptions!.handled.map((x) => x.eventType)).toEqual(expected);
    });
  }
});

describe("dispatch maps", () => {
  const cases: [string, string, string[], boolean][] = [
    ["a const object literal", `const m = { A: inc, B: inc };`, ["A", "B"], false],
    ["Partial<Record<...>> with one key", `const m: Partial<Record<E["type"], F>> = { C: inc };`, ["C"], false],
    ["a spread and a computed key", `const base = { A: inc }; const m = { ...base, [Types.C]: inc };`, ["A", "C"], false],
    ["what a factory returns", `function make(): Partial<Record<E["type"], F>> { return { B: inc }; } const m = make();`, ["B"], false],
    ["a factory's argument", `function make(h: Partial<Record<E["type"], F>>) { return h; } const m = make({ A: inc });`, ["A"], false],
    ["unknown keys, optional in the type", `const m: Partial<Record<E["type"], F>> = Object.fromEntries([["A", inc]]);`, [], true],
    ["unknown keys, required in the type", `const m: Record<"A" | "B", F> = Object.fromEntries([["A", inc], ["B", inc]]) as Record<"A" | "B", F>;`, ["A", "B"], true],
  ];
  for (const [name, decl, expected, opaque] of cases) {
    it(name, () => {
      const f = analyseSnippet(`${EVENTS}
type F = (s: number, e: E) => number;
const inc: F = (s) => s + 1;
${decl}
export const svc = { initialState: () => 0, handle(s: number, e: E) { return { state: m[e.type]?.(s, e) ?? s }; } };`);
      expect(f.subscriptions!.handled.map((x) => x.eventType)).toEqual(expected);
      expect(f.subscriptions!.opaqueDispatch).toBe(opaque);
    });
  }
});

describe("acting on types the handler does not branch on", () => {
  const cases: [string, string, boolean][] = [
    ["a guard returning the state", `if (e.type !== "A") return { state: s }; return { state: s + 1 };`, false],
    ["includes guard", `if (!["A", "B"].includes(e.type)) return { state: s, emit: [] }; return { state: s + 1 };`, false],
    ["a switch whose default returns the state", `switch (e.type) { case "A": return { state: s + 1 }; default: return { state: s }; }`, false],
    ["a switch without default, then the state", `switch (e.type) { case "A": return { state: s + 1 }; } return { state: s };`, false],
    ["a known map's miss", `const h = m[e.type]; return h ? { state: h(s) } : { state: s };`, false],
    ["throwing on other types", `if (e.type === "A") return { state: s + 1 }; throw new Error("unexpected " + e.type);`, false],
    ["counting every event", `if (e.type === "A") return { state: s + 10 }; return { state: s + 1 };`, true],
    ["recording the type", `const seen = [e.type]; return { state: s + seen.length };`, true],
    ["delegating the event", `return { state: apply(s, e) };`, true],
    ["a switch whose default acts", `switch (e.type) { case "A": return { state: s }; default: return { state: s + 1 }; }`, true],
    ["a condition on something else", `if (s > 3) return { state: s }; return { state: s - 1 };`, true],
  ];
  for (const [name, body, acts] of cases) {
    it(`${name}: ${acts ? "acts" : "leaves them alone"}`, () => {
      const f = analyseSnippet(`
type Loose = { type: string; id: string };
const m: Record<string, (s: number) => number> = { A: (s) => s + 1 };
declare function apply(s: number, e: Loose): number;
export const svc = { initialState: () => 0, handle(s: number, e: Loose) { ${body} } };`);
      expect(f.subscriptions!.actsOnUnhandled).toBe(acts);
    });
  }
});
