// The spec loader: root file -> its includes -> YAML with positions -> zod
// validation -> the resolved Spec. Every problem found is collected and
// thrown together (ArchverifyErrors), each with file:line:column.
import { dirname, resolve } from "node:path";
import { allRules } from "../check/rules/index.js";
import { ArchverifyError } from "../errors.js";
import { displayPath } from "../util/paths.js";
import { Problems } from "./problems.js";
import { readSpecText } from "./read.js";
import { resolveSpec, type ValidatedFile } from "./resolve.js";
import { SpecFileSchema } from "./schema.js";
import type { SourceLocation, Spec } from "./types.js";
import { parseYamlTree, type LocNode } from "./yaml-tree.js";
import { describeValue, reportZodIssues } from "./zod-issues.js";

export interface LoadOptions {
  /** Largest spec file in bytes (default: ARCHVERIFY_MAX_SPEC_SIZE or 16 MB). */
  maxBytes?: number;
  /** Rule ids `rules:` may name (default: every registered rule). */
  ruleIds?: readonly string[];
}

/** Loads the spec at `file` (an absolute path) and every file it includes. */
export async function loadSpec(file: string, options: LoadOptions = {}): Promise<Spec> {
  return loadSpecSync(file, options);
}

export function loadSpecSync(file: string, options: LoadOptions = {}): Spec {
  const absolute = resolve(file);
  const text = readSpecText(absolute, withMax({}, options));
  return loadSpecText(text, absolute, options);
}

/** Loads a spec from its text; `file` is where it claims to live (includes and paths are resolved from its folder). */
export function loadSpecText(text: string, specFile: string, options: LoadOptions = {}): Spec {
  const file = resolve(specFile);
  const problems = new Problems();
  problems.noteFile(file);
  const files: ValidatedFile[] = [];
  const root = parseFile(text, file, problems);
  if (root) {
    if (root.data.archverify === undefined) {
      problems.add(root.node.loc, "the spec does not say its format version", { expected: "`archverify: 1` at the top of the root spec file" });
    }
    files.push(root);
    readIncludes(root, [file], new Set([file]), files, problems, options);
  }
  problems.throwIfAny();
  const spec = resolveSpec(files, problems, options.ruleIds ?? allRules.map((r) => r.id));
  problems.throwIfAny();
  return spec;
}

/** One file: YAML tree, top-level shape, zod validation. */
function parseFile(text: string, file: string, problems: Problems): ValidatedFile | undefined {
  const tree = parseYamlTree(text, file, problems);
  if (!tree) return undefined;
  if (tree.value === null || typeof tree.value !== "object" || Array.isArray(tree.value)) {
    problems.add(tree.node.loc, `the top level of the spec is ${describeValue(tree.value)}`, {
      expected: "a mapping with `archverify: 1` and sections such as services and channels",
    });
    return undefined;
  }
  const result = SpecFileSchema.safeParse(tree.value);
  if (!result.success) {
    reportZodIssues(result.error.issues, tree, SpecFileSchema, problems);
    return undefined;
  }
  return { file, data: result.data, node: tree.node };
}

/** Depth-first, in the order written; a file included twice is read once; a cycle is an error showing the chain. */
function readIncludes(
  from: ValidatedFile,
  chain: string[],
  seen: Set<string>,
  files: ValidatedFile[],
  problems: Problems,
  options: LoadOptions,
): void {
  const includeNode: LocNode | undefined = from.node.entries?.get("include")?.value;
  (from.data.include ?? []).forEach((raw, i) => {
    const loc: SourceLocation = includeNode?.items?.[i]?.loc ?? from.node.loc;
    const target = resolve(dirname(from.file), raw);
    if (chain.includes(target)) {
      const cycle = [...chain.slice(chain.indexOf(target)), target].map((f) => displayPath(f, dirname(chain[0] ?? f)));
      problems.add(loc, `include cycle: ${cycle.join(" -> ")}`, { expected: "includes that form no cycle" });
      return;
    }
    if (seen.has(target)) return;
    seen.add(target);
    problems.noteFile(target);
    let text: string;
    try {
      text = readSpecText(target, withMax({ referencedAt: loc, shownAs: raw }, options));
    } catch (error) {
      if (error instanceof ArchverifyError) {
        problems.add(error.location ?? loc, `include ${raw}: ${error.message}`, {
          ...(error.expected ? { expected: error.expected } : {}),
          ...(error.hint ? { hint: error.hint } : {}),
        });
        return;
      }
      throw error;
    }
    const included = parseFile(text, target, problems);
    if (!included) return;
    files.push(included);
    readIncludes(included, [...chain, target], seen, files, problems, options);
  });
}

function withMax<T extends object>(base: T, options: LoadOptions): T & { maxBytes?: number } {
  return options.maxBytes === undefined ? base : { ...base, maxBytes: options.maxBytes };
}
