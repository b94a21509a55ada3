// A handler that reads a Date field with Date's methods throws on a JSON message (the field is
// an ISO string there): the handler-throws finding names the Date fields and what to do.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { datePaths } from "../../src/check/generate/type-shape.js";
import { scratchCli } from "../scratch-cli.js";

const { run } = scratchCli();
const dir = new URL("../fixtures/systems/wire-date/", import.meta.url).pathname;

describe("Date fields on the wire", () => {
  it("handler-throws says the Date fields arrive as ISO strings", async () => {
    const r = await run(["check", join(dir, "spec.yaml"), "--no-color", "--runs", "50"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("clock: handling Stamped throws on the traffic of scenario one: TypeError: e.at.getTime is not a function");
    expect(r.out).toContain("Stamped declares at, readings[].takenAt as Date, but messages travel as JSON, where a Date arrives as an ISO string");
  });

  it("finds Date fields through objects, arrays and unions, and nothing elsewhere", () => {
    const date = { kind: "string", format: "date-time", date: true } as const;
    const iso = { kind: "string", format: "date-time" } as const;
    expect(
      datePaths({
        kind: "object",
        fields: [
          { name: "at", type: date, optional: false },
          { name: "iso", type: iso, optional: false },
          { name: "list", type: { kind: "array", items: { kind: "union", options: [date, { kind: "null" }] } }, optional: true },
        ],
      }),
    ).toEqual(["at", "list[]"]);
    expect(datePaths(date)).toEqual([]);
  });
});
