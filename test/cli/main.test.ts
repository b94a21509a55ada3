import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { memoryIO } from "../../src/cli/io.js";

describe("main", () => {
  it("lists the commands on --help and exits 0", async () => {
    const io = memoryIO(process.cwd());
    expect(await main(["--help"], io)).toBe(0);
    expect(io.out).toContain("check");
  });

  it("exits 2 with a one-line message on an unknown command", async () => {
    const io = memoryIO(process.cwd());
    expect(await main(["chekc"], io)).toBe(2);
    expect(io.err).toMatch(/unknown command "chekc"/);
    expect(io.err).not.toMatch(/\n\s+at /);
  });

  it("says what a valid value is for a negative number given to a numeric flag", async () => {
    const io = memoryIO(process.cwd());
    expect(await main(["check", "--max-depth", "-1"], io)).toBe(2);
    expect(io.err).toContain('--max-depth must be an integer >= 1, got "-1"');
  });

  it("exits 2 on an unknown flag of a command", async () => {
    const io = memoryIO(process.cwd());
    expect(await main(["check", "--frobnicate"], io)).toBe(2);
    expect(io.err).toMatch(/frobnicate/);
  });
});

describe("explain", () => {
  it("lists the rules and explains one, with did-you-mean for a typo", async () => {
    const { allRules } = await import("../../src/check/rules/index.js");
    const list = memoryIO(process.cwd());
    expect(await main(["explain"], list)).toBe(0);
    for (const r of allRules) expect(list.out).toContain(r.id);
    expect(allRules.length).toBeGreaterThan(5);
    const rule = allRules[0];
    if (rule) {
      const one = memoryIO(process.cwd());
      expect(await main(["explain", rule.id], one)).toBe(0);
      expect(one.out).toContain(rule.fix);
      const typo = memoryIO(process.cwd());
      expect(await main(["explain", `${rule.id}x`], typo)).toBe(2);
      expect(typo.err).toContain(`did you mean "${rule.id}"?`);
    }
  });

  it("takes --no-color on every command, and leaves it alone after --", async () => {
    for (const args of [["explain", "layers"], ["schema"], ["cycles", "src/cli"]]) {
      const io = memoryIO(process.cwd());
      expect(await main([...args, "--no-color"], io), `${args.join(" ")}: ${io.err}`).toBe(0);
      expect(io.out.length).toBeGreaterThan(0);
      expect(io.out).not.toContain("\x1b[");
    }
    const io = memoryIO(process.cwd());
    expect(await main(["explain", "--", "--no-color"], io)).toBe(2);
    expect(io.err).toContain("--no-color");
  });
});
