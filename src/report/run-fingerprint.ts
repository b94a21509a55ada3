// Identifies one run of `check` across the CI jobs that shard it: what every
// shard must have in common for `merge` to join their reports into the report
// of one unsharded run. The spec files' text (a shard of another commit's spec
// must not be mixed in), the seed, every bound that changes what the checks
// explore, and the tool version (two versions may check differently).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import type { CheckOptions } from "../check/types.js";
import { TOOL_VERSION } from "../version.js";

/** The options that change a run's findings; progress and output paths do not. */
type RunBounds = Pick<CheckOptions, "seed" | "allCycles" | "maxCycles" | "runs" | "maxDepth" | "maxStates" | "timeBudgetMs">;

export function runFingerprint(spec: { dir: string; files: readonly string[] }, options: RunBounds): string {
  const hash = createHash("sha256");
  hash.update(`archverify ${TOOL_VERSION}\n`);
  const bounds = {
    seed: options.seed,
    allCycles: options.allCycles,
    maxCycles: options.maxCycles,
    runs: options.runs ?? null,
    maxDepth: options.maxDepth ?? null,
    maxStates: options.maxStates ?? null,
    timeBudgetMs: options.timeBudgetMs ?? null,
  };
  hash.update(`${JSON.stringify(bounds)}\n`);
  for (const file of spec.files) {
    // Named from the spec's folder: the jobs check out the repository in different places.
    const text = readFileSync(file, "utf8");
    hash.update(`${relative(spec.dir, file).split(sep).join("/")}\n${text.length}\n${text}`);
  }
  return `sha256:${hash.digest("hex").slice(0, 32)}`;
}
