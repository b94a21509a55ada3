// Text, Markdown and HTML say what the exhaustive search explored, and never
// "passed" without qualification when a search was cut at a bound.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { explorationLine, explorationSummary } from "../../src/report/exploration.js";
import { html } from "../../src/report/reporters/html.js";
import { markdown } from "../../src/report/reporters/markdown.js";
import { text } from "../../src/report/reporters/text.js";
import type { Report } from "../../src/report/types.js";

const root = join(import.meta.dirname, "../..");
const spec = "test/report/fixtures/bounded/spec.yaml";
const options = { color: false, cwd: "/repo" };

/** A scenario's stats as the explorer records them (src/check/explore/run.ts). */
const scenario = (explored: string, states: number, transitions: number, depth: number, porSkipped: number, keys?: object) => ({
  explored,
  states,
  transitions,
  depth,
  quiescentStates: 1,
  porSkipped,
  ms: 3,
  ...(keys ? { keys } : {}),
});

function reportWith(stats: Record<string, unknown> | undefined, errors = 0): Report {
  return {
    reportVersion: 1,
    tool: { name: "archverify", version: "0.0.0" },
    spec: "spec.yaml",
    summary: { errors, warnings: 0, info: 0, durationMs: 5 },
    findings: [],
    ...(stats ? { stats } : {}),
  };
}

const explore = (scenarios: Record<string, unknown>) => ({ explore: { bounds: { duplicates: 1, crashes: 1 }, search: "bfs", scenarios, elapsedMs: 9 } });

describe("exploration summary", () => {
  it("adds up the scenarios of one run, or of every shard of a merged one", () => {
    const a = scenario("fully", 10, 30, 4, 5);
    const b = scenario("cut (max-states)", 1000, 2500, 9, 700);
    const c = scenario("fully", 7, 9, 2, 0, { applied: true, keys: 3, searched: 1, productStates: 343, productTransitions: 999 });
    const whole = explorationSummary(reportWith(explore({ a, b, c })));
    const merged = explorationSummary(reportWith({ shards: [explore({ a, c }), explore({ b }), {}] }));
    expect(merged).toEqual(whole);
    expect(whole?.states).toBe(1017);
    expect(whole?.transitions).toBe(2539);
    expect(whole?.depth).toBe(9);
    expect(whole?.cut.map((s) => [s.scenario, s.cut])).toEqual([["b", "max-states"]]);
    expect(explorationLine(whole!)).toBe(
      "exhaustive search: 1 of 3 scenarios cut (b: max-states), 2 fully explored; 1,017 states, 2,539 transitions, depth up to 9; " +
        "partial-order reduction skipped 705 transitions; key independence searched 7 states for a product of 343 states (1 scenario)",
    );
  });

  it("is absent when no exhaustive search ran", () => {
    expect(explorationSummary(reportWith(undefined))).toBeUndefined();
    expect(explorationSummary(reportWith({ convergence: { runs: 3 } }))).toBeUndefined();
    expect(markdown(reportWith(undefined), options)).toContain("✅ **archverify: passed**");
    expect(text(reportWith(undefined), options)).not.toContain("exhaustive search");
  });
});

describe("verdicts", () => {
  const full = reportWith(explore({ a: scenario("fully", 10, 30, 4, 5) }));
  const cut = reportWith(explore({ a: scenario("fully", 10, 30, 4, 5), b: scenario("cut (max-depth)", 50, 60, 1000, 0), c: scenario("cut (time)", 5, 6, 2, 0) }));

  it("pass without qualification only when every search was complete", () => {
    expect(markdown(full, options)).toContain("✅ **archverify: passed**");
    expect(markdown(full, options)).toContain("exhaustive search: 1 scenario fully explored; 10 states, 30 transitions, depth up to 4");
    expect(text(full, options)).toMatch(/exhaustive search: 1 scenario fully explored.*\n✔ spec\.yaml: 0 errors/);
  });

  it("say 'passed within bounds' and how many scenarios were cut", () => {
    const md = markdown(cut, options);
    expect(md).toContain("⚠️ **archverify: passed within bounds: 2 scenarios cut**");
    expect(md).not.toContain("✅");
    expect(md).toContain("| b | cut (max-depth) | 50 | 60 | 1,000 | 0 |");
    expect(text(cut, options)).toContain("⚠ spec.yaml: passed within bounds: 2 scenarios cut; 0 errors");
    expect(html(cut, options)).toContain("<h1>archverify: Passed within bounds: 2 scenarios cut</h1>");
    const failed = reportWith(cut.stats, 2);
    expect(markdown(failed, options)).toContain("❌ **archverify: 2 errors** (2 scenarios cut by a bound)");
    expect(text(failed, options)).toContain("✖ spec.yaml: 2 errors");
  });

  it("come from a real check cut by --max-states, sharded and merged too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "av-bounded-"));
    const run = async (args: string[]) => {
      const io = memoryIO(root);
      const code = await main(args, io);
      expect(io.err).toBe("");
      return { code, out: io.out };
    };
    const whole = await run(["check", spec, "--format", "markdown"]);
    expect(whole.code).toBe(0);
    expect(whole.out).toContain("✅ **archverify: passed**");
    expect(whole.out).toMatch(/exhaustive search: 2 scenarios fully explored; \d+ states/);

    const markdownFile = join(dir, "bounded.md");
    const bounded = await run(["check", spec, "--max-states", "20", "--format", "markdown", "--output", markdownFile, "--format", "text"]);
    expect(bounded.code).toBe(0);
    const markdown = readFileSync(markdownFile, "utf8");
    expect(markdown).toContain("⚠️ **archverify: passed within bounds: 1 scenario cut**");
    expect(bounded.out).toContain("exhaustive search: 1 of 2 scenarios cut (three-deposits: max-states), 1 fully explored");
    expect(bounded.out).toContain("passed within bounds: 1 scenario cut; 0 errors, 1 warning");

    for (const i of [1, 2]) await run(["check", spec, "--max-states", "20", "--shard", `${i}/2`, "--format", "json", "--output", join(dir, `s${i}.json`)]);
    const merged = await run(["merge", join(dir, "s1.json"), join(dir, "s2.json"), "--format", "markdown"]);
    expect(merged.out).toContain("⚠️ **archverify: passed within bounds: 1 scenario cut**");
    expect(JSON.parse(readFileSync(join(dir, "s1.json"), "utf8")).shard).toMatchObject({ index: 1, count: 2 });
  });
});
