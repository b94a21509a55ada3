// The bad specs under test/fixtures/specs/bad/ and the exact messages they give
// (the README shows them). Regenerate on purpose with UPDATE_GOLDEN=1.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

const dir = "test/fixtures/specs/bad";
const cases = readdirSync(dir)
  .map((name) => (statSync(join(dir, name)).isDirectory() ? join(dir, name, "archverify.yaml") : join(dir, name)))
  .filter((path) => path.endsWith(".yaml"))
  .sort();

describe("bad spec fixtures", () => {
  it("has fixtures", () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  for (const spec of cases) {
    it(`${spec} exits 2 with the expected messages`, async () => {
      const io = memoryIO(process.cwd());
      const code = await main(["check", spec], io);
      expect(code).toBe(2);
      expect(io.out).toBe("");
      const golden = spec.replace(/\.yaml$/, ".expected.txt");
      // One line per problem, whatever spacing the CLI puts between them.
      const text = io.err.replace(/\n+/g, "\n");
      if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, "utf8"));
    });
  }
});
