// SARIF and GitHub annotations locate findings from the repository root, not from
// the folder archverify ran in: code scanning and pull-request diffs only know
// repository paths.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { allRules } from "../../src/check/rules/index.js";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { pathFromRoot, repositoryRoot } from "../../src/report/repo-root.js";
import { github } from "../../src/report/reporters/github.js";
import { ruleName, sarif } from "../../src/report/reporters/sarif.js";
import type { Report } from "../../src/report/types.js";

const require = createRequire(import.meta.url);
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validateSarif = ajv.compile(JSON.parse(readFileSync(require.resolve("@microsoft/sarif-multitool-linux/sarif-2.1.0.json"), "utf8")) as object);

const example = join(import.meta.dirname, "../../specs/examples/logistics-calls-order.yaml");

/** A repository (with .git) holding specs/ and models/, as a user's would. */
function repository(withGit = true): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "av-repo-")));
  if (withGit) mkdirSync(join(root, ".git"));
  mkdirSync(join(root, "specs"));
  mkdirSync(join(root, "models/x:y/src"), { recursive: true });
  copyFileSync(example, join(root, "specs/cycle.yaml"));
  writeFileSync(join(root, "models/x:y/src/handler.ts"), "export {};\n");
  return root;
}

type SarifLog = {
  runs: Array<{
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }>;
  }>;
};

/** A report as `check` run in `cwd` writes it: paths relative to cwd. */
function reportFrom(specPath: string, codePath: string): Report {
  return {
    reportVersion: 1,
    tool: { name: "archverify", version: "0.0.0" },
    spec: specPath,
    summary: { errors: 2, warnings: 0, info: 0, durationMs: 1 },
    findings: [
      { ruleId: "no-sync-cycles", severity: "error", message: "cycle", location: { file: specPath, line: 13, column: 9 }, related: [{ file: specPath, line: 8, column: 9 }] },
      { ruleId: "handler-throws", severity: "error", message: "throws", location: { file: codePath, line: 1, column: 1 } },
    ],
    rules: [],
  };
}

describe("repository root", () => {
  it("is the nearest folder with .git above the spec, else GITHUB_WORKSPACE, else the working directory", () => {
    const root = repository();
    expect(repositoryRoot(join(root, "specs/cycle.yaml"), {}, "/elsewhere")).toBe(root);
    expect(repositoryRoot("cycle.yaml", { GITHUB_WORKSPACE: "/ws" }, join(root, "specs"))).toBe(root);
    // worktrees and submodules have a .git file
    const sub = join(root, "specs/sub");
    mkdirSync(sub);
    writeFileSync(join(sub, ".git"), "gitdir: ../../.git/modules/sub\n");
    expect(repositoryRoot(join(sub, "a.yaml"), {}, root)).toBe(sub);

    const bare = repository(false);
    expect(repositoryRoot(join(bare, "specs/cycle.yaml"), { GITHUB_WORKSPACE: bare }, join(bare, "specs"))).toBe(bare);
    expect(repositoryRoot(join(bare, "specs/cycle.yaml"), {}, join(bare, "specs"))).toBe(join(bare, "specs"));
  });

  it("turns working-directory paths into repository paths, and says when a file is outside", () => {
    expect(pathFromRoot("cycle.yaml", "/r/specs", "/r")).toBe("specs/cycle.yaml");
    expect(pathFromRoot("../models/a.ts", "/r/specs", "/r")).toBe("models/a.ts");
    expect(pathFromRoot("../../other/a.ts", "/r/specs", "/r")).toBeUndefined();
    expect(pathFromRoot("..x/a.ts", "/r", "/r")).toBe("..x/a.ts");
  });
});

describe("sarif locations", () => {
  it("are relative to SRCROOT, the repository root, from whatever folder check ran in", () => {
    const root = repository();
    const cwd = join(root, "specs");
    const log = JSON.parse(sarif(reportFrom("cycle.yaml", "../models/x:y/src/handler.ts"), { color: false, cwd, root })) as SarifLog;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const run = log.runs[0]!;
    expect(run.originalUriBaseIds.SRCROOT?.uri).toBe(`${pathToFileURL(root).href}/`);
    const artifacts = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    // ':' encoded, or `x:y/...` would read as a URI with scheme "x"
    expect(artifacts).toEqual([
      { uri: "specs/cycle.yaml", uriBaseId: "SRCROOT" },
      { uri: "models/x%3Ay/src/handler.ts", uriBaseId: "SRCROOT" },
    ]);
    // every relative reference resolves against SRCROOT to the real file
    for (const a of artifacts) expect(readFileSync(new URL(a.uri, run.originalUriBaseIds.SRCROOT!.uri), "utf8").length).toBeGreaterThan(0);
  });

  it("gives a file outside the repository its absolute URI, with no base", () => {
    const root = repository();
    const log = JSON.parse(sarif(reportFrom("specs/cycle.yaml", "/opt/shared/handler.ts"), { color: false, cwd: root, root })) as SarifLog;
    expect(validateSarif(log)).toBe(true);
    expect(log.runs[0]!.results[1]!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: "file:///opt/shared/handler.ts" });
  });

  it("names every rule differently from its id, ignoring case (sarif-multitool SARIF1001)", () => {
    for (const { id } of allRules) {
      expect(ruleName(id).toLowerCase()).not.toBe(id.toLowerCase());
      expect(ruleName(id)).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    }
    expect(ruleName("no-sync-cycles")).toBe("NoSyncCycles");
    expect(ruleName("orphans")).toBe("OrphansRule");
  });
});

describe("github annotations", () => {
  it("name files from the repository root", () => {
    const root = repository();
    const out = github(reportFrom("cycle.yaml", "../models/x:y/src/handler.ts"), { color: false, cwd: join(root, "specs"), root });
    expect(out).toContain("::error file=specs/cycle.yaml,line=13,col=9,");
    expect(out).toContain("::error file=models/x%3Ay/src/handler.ts,line=1,col=1,");
  });

  it("check run in a subfolder annotates repository paths, and SARIF points into the repository", async () => {
    const root = repository();
    const io = memoryIO(join(root, "specs"));
    expect(await main(["check", "cycle.yaml", "--format", "github", "--format", "sarif", "--output", "out.sarif"], io)).toBe(1);
    expect(io.err).toBe("");
    expect(io.out).toMatch(/^::error file=specs\/cycle\.yaml,line=\d+,col=\d+,title=archverify no-sync-cycles::/m);
    const log = JSON.parse(readFileSync(join(root, "specs/out.sarif"), "utf8")) as SarifLog;
    expect(validateSarif(log)).toBe(true);
    expect(log.runs[0]!.originalUriBaseIds.SRCROOT?.uri).toBe(`${pathToFileURL(root).href}/`);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: "specs/cycle.yaml", uriBaseId: "SRCROOT" });
  });
});
