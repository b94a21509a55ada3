// Sharded checks merged with `archverify merge` give the report of one unsharded run.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { memoryIO } from "../../src/cli/io.js";
import type { Report } from "../../src/report/types.js";

const root = join(import.meta.dirname, "../..");
const spec = "test/fixtures/shard/spec.yaml";

/** Durations vary run to run; everything else must be identical. */
function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !/(^ms$|Ms$|elapsed|duration|perSecond|setup)/i.test(k))
      .map(([k, v]) => [k, timeless(v)]),
  );
}

async function check(args: string[]): Promise<number> {
  const io = memoryIO(root);
  const code = await main(["check", spec, "--seed", "3", "--runs", "50", ...args], io);
  expect(io.err).toBe("");
  return code;
}

describe("--shard and merge", () => {
  it("merging the shards of a run gives the unsharded report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "av-shard-"));
    const out = (name: string) => join(dir, name);
    expect(await check(["--format", "json", "--output", out("whole.json")])).toBe(1);
    expect(await check(["--shard", "1/2", "--format", "json", "--output", out("s1.json")])).toBe(1);
    await check(["--shard", "2/2", "--format", "json", "--output", out("s2.json")]);
    const merged = memoryIO(root);
    expect(await main(["merge", out("s1.json"), out("s2.json"), "--format", "json"], merged)).toBe(1);
    const read = (f: string) => JSON.parse(readFileSync(f, "utf8")) as Report;
    const whole = read(out("whole.json"));
    const shards = [read(out("s1.json")), read(out("s2.json"))];
    // each shard really did part of the work
    for (const s of shards) expect(s.findings.length).toBeLessThan(whole.findings.length);
    expect(shards[1]?.findings.some((f) => f.ruleId === "no-sync-cycles")).toBe(false);
    const { stats: mergedStats, ...mergedRest } = JSON.parse(merged.out) as Report;
    const { stats: wholeStats, ...wholeRest } = whole;
    expect(timeless(mergedRest)).toEqual(timeless(wholeRest));
    expect((mergedStats as { shards: unknown[] }).shards).toHaveLength(2);
    expect(wholeStats).toBeDefined();
  });

  it("rejects a malformed shard and reports that are not from one run", async () => {
    const io = memoryIO(root);
    expect(await main(["check", spec, "--shard", "3/2"], io)).toBe(2);
    expect(io.err).toMatch(/--shard must be I\/N/);
    const bad = memoryIO(root);
    expect(await main(["merge", "package.json"], bad)).toBe(2);
    expect(bad.err).toMatch(/not an archverify JSON report/);
  });
});
