// Sharded checks merged with `archverify merge` give the report of one unsharded run.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
    // each shard says which it is, and that both come from one run; the whole report is no shard
    expect(shards.map((s) => [s.shard?.index, s.shard?.count])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(shards[0]?.shard?.run).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(shards[1]?.shard?.run).toBe(shards[0]?.shard?.run);
    expect(whole.shard).toBeUndefined();
    expect((JSON.parse(merged.out) as Report).shard).toBeUndefined();

    // refused, exit 2 with what is wrong: a shard twice, a missing shard, a whole report
    const refused = async (files: string[], message: RegExp) => {
      const io = memoryIO(root);
      expect(await main(["merge", ...files.map(out)], io)).toBe(2);
      expect(io.out).toBe("");
      expect(io.err).toMatch(message);
      expect(io.err).not.toMatch(/\n\s+at /);
    };
    await refused(["s1.json", "s1.json"], /s1\.json and .*s1\.json are both shard 1\/2: merging them would count its findings twice/);
    await refused(["s2.json"], /shard 1\/2 missing \(given: 2\/2 .*s2\.json\)/);
    await refused(["s1.json", "s2.json", "whole.json"], /whole\.json is not the report of a shard/);
    await refused(["whole.json"], /whole\.json is not the report of a shard/);
    // a shard of a 3-way split among 2-way ones
    const three = { ...shards[1], shard: { ...shards[1]?.shard, index: 3, count: 3 } };
    writeFileSync(out("s3of3.json"), JSON.stringify(three));
    await refused(["s1.json", "s3of3.json"], /s3of3\.json is shard 3\/3, but .*s1\.json is shard 1\/2/);
    // another seed, and other bounds
    await check(["--shard", "2/2", "--seed", "4", "--format", "json", "--output", out("seed4.json")]);
    await refused(["s1.json", "seed4.json"], /seed4\.json ran with seed 4, but .*s1\.json with seed 3/);
    await check(["--shard", "2/2", "--max-states", "500", "--format", "json", "--output", out("bounded.json")]);
    await refused(["s1.json", "bounded.json"], /bounded\.json and .*s1\.json come from different runs/);
  });

  it("refuses to merge the shards of two versions of the spec", async () => {
    const dir = mkdtempSync(join(tmpdir(), "av-shard-spec-"));
    for (const f of ["spec.yaml", "handlers.ts"]) copyFileSync(join(root, "test/fixtures/shard", f), join(dir, f));
    const run = async (shard: string) => {
      const io = memoryIO(dir);
      await main(["check", "spec.yaml", "--runs", "20", "--shard", shard, "--format", "json", "--output", `s${shard[0]}.json`], io);
      expect(io.err).toBe("");
    };
    await run("1/2");
    writeFileSync(join(dir, "spec.yaml"), readFileSync(join(dir, "spec.yaml"), "utf8").replace("amount: 7", "amount: 8"));
    await run("2/2");
    const io = memoryIO(dir);
    expect(await main(["merge", "s1.json", "s2.json"], io)).toBe(2);
    expect(io.err).toMatch(/s2\.json and s1\.json come from different runs: the spec files/);
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
