import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("the memory guard", () => {
  it("stops a search that outgrows a small heap with a 'memory' cut instead of dying", () => {
    const child = spawnSync(process.execPath, ["--max-old-space-size=120", "--import", "tsx", join(import.meta.dirname, "memory-child.ts")], { encoding: "utf8", timeout: 120_000 });
    expect(child.stderr).not.toMatch(/heap out of memory/i);
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout.trim().split("\n").at(-1)!)).toMatchObject({ complete: false, cut: "memory" });
  }, 150_000);
});
