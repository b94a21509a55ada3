// A handler that reads a Date field with Date's methods throws on a JSON message (the field is
// an ISO string there): the handler-throws finding names the Date fields and what to do.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { datePaths } from "../../src/check/generate/type-shape.js";

// Traces go to reports/ under the working folder: a scratch one, not the fixtures.
const cwd = mkdtempSync(join(tmpdir(), "archverify-fixture-run-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const dir = new URL("../fixtures/systems/wire-date/", import.meta.url).pathname;

describe("Date fields on the wire", () => {
  it("handler-throws says the Date fields arrive as ISO strings", async () => {
    const io = memoryIO(cwd);
    expect(await main(["check", join(dir, "spec.yaml"), "--no-color", "--runs", "50"], io)).toBe(1);
    expect(io.out).toContain("clock: handling Stamped throws on the traffic of scenario one: TypeError: e.at.getTime is not a function");
    expect(io.out).toContain("Stamped declares at, readings[].takenAt as Date, but messages travel as JSON, where a Date arrives as an ISO string");
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
