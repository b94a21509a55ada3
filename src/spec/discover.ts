// `archverify check` with no argument looks for the spec from the current folder upward.
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { usageError } from "../errors.js";

export const SPEC_FILE_NAMES = ["archverify.yaml", "archverify.yml"] as const;

export function findSpecFile(from: string): string {
  let dir = from;
  for (;;) {
    for (const name of SPEC_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw usageError(`no ${SPEC_FILE_NAMES[0]} found in ${from} or any folder above it`, {
    hint: "Pass the spec as an argument (archverify check path/to/spec.yaml) or create one with `archverify init`",
  });
}
