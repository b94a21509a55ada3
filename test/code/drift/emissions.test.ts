// Emission sites built in array callbacks and through constant objects are
// read; a site whose type still cannot be told is reported at info level.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyseDrift } from "../../../src/code/drift/analysis.js";
import { createCodeProject } from "../../../src/code/project.js";
import { loadSpecSync } from "../../../src/spec/load.js";
import { FIXTURES, runFixture } from "./run-fixture.js";
import { analyseSnippet } from "./snippet.js";

describe("emission-callbacks fixture", () => {
  it("reads map, flatMap and filter callbacks; names the site it cannot read", async () => {
    const spec = loadSpecSync(join(FIXTURES, "drift/emission-callbacks/spec.yaml"));
    const picker = analyseDrift(createCodeProject(spec)!, spec).services.get("picker")!;
    expect(picker.emissions.emissions.map((e) => `${e.eventType}:${e.certainty}:${e.loc.line}`)).toEqual([
      "ItemPicked:definite:20", // items.map(...), then .filter(...)
      "GiftWrapped:definite:21", // items.flatMap(...)
      "OrderPacked:definite:24", // packed(event), at the site
    ]);
    expect(picker.emissions.unresolved.map((l) => l.line)).toEqual([8]); // items.map(auditEntry): a configured prefix

    const { findings, lines } = await runFixture("drift/emission-callbacks");
    expect(lines).toEqual(["undeclared-emission error src/picker/handler.ts:21", "unresolved-emission info src/picker/handler.ts:8"]);
    const info = findings.find((f) => f.ruleId === "unresolved-emission")!;
    expect(info.message).toBe(
      "picker emits an event here whose `type` archverify cannot tell (neither its type nor the code names a literal): undeclared-emission did not judge it, and unused-emission does not judge picker",
    );
    expect(info.subject).toBe("picker emits at src/picker/handler.ts:8");
  });
});

describe("emission forms", () => {
  const cases: [string, string, string[], number][] = [
    ["map with a block body", `return { state: s, emit: ids.map((id) => { return { type: "A", id }; }) };`, ["A"], 0],
    ["map with a named callback", `return { state: s, emit: ids.map(toB) };`, ["B"], 0],
    ["flatMap to arrays and empties", `return { state: s, emit: ids.flatMap((id) => (id ? [{ type: "A", id }, { type: "B", id }] : [])) };`, ["A", "B"], 0],
    ["slice and reverse of a literal array", `return { state: s, emit: [{ type: "A", id: "1" }].slice(0).reverse() };`, ["A"], 0],
    ["a const object's member without as const", `return { state: s, emit: [{ type: Loose.C, id: "1" }] };`, ["C"], 0],
    ["a string built at run time", `return { state: s, emit: [{ type: ids.join("."), id: "1" }] };`, [], 1],
  ];
  for (const [name, body, types, unresolved] of cases) {
    it(name, () => {
      const f = analyseSnippet(`
type Out = { type: string; id: string };
const ids: string[] = ["1"];
const Loose = { C: "C" };
function toB(id: string): Out { return { type: "B", id }; }
export const svc = { initialState: () => 0, handle(s: number, e: { type: "Go"; id: string }): { state: number; emit: Out[] } { ${body} } };`);
      expect([...new Set(f.emissions.emissions.map((x) => x.eventType))].sort()).toEqual(types);
      expect(f.emissions.unresolved.length).toBe(unresolved);
    });
  }
});
