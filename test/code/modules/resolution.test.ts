// Resolution cases that decide whether a cycle is seen at all: project
// references, workspace packages built to dist (or not), Node built-in names
// under baseUrl, symbolic links, and tsconfigs tsc rejects.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../../src/cli/io.js";
import { main } from "../../../src/cli/main.js";
import { buildModuleGraph } from "../../../src/code/modules/graph.js";
import { displayPath } from "../../../src/util/paths.js";
import { edgeLines, fixture, fixtures } from "./helpers.js";

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempCopy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "archverify-resolution-"));
  temps.push(dir);
  cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

async function run(cwd: string, ...argv: string[]) {
  const io = memoryIO(cwd);
  const code = await main(["cycles", ...argv], io);
  return { code, out: io.out, err: io.err };
}

describe("project references", () => {
  const root = fixture("references");

  it("resolves each file with the options of the referenced project that includes it, following references recursively", () => {
    expect(edgeLines(root)).toEqual([
      "shared/format.ts -> shared/units.ts import 1:1",
      "shared/units.ts -> shared/format.ts import 1:1",
      "src/components/Button.tsx -> src/lib/utils.ts import 1:1",
      "src/lib/utils.ts -> src/components/Button.tsx import 1:1",
    ]);
    // tools/ belongs to tsconfig.node.json, which has no `@/*` alias: that import names nothing.
    const g = buildModuleGraph({ roots: [root] });
    expect(g.unresolvedLocal.map((u) => `${displayPath(u.from, root)}:${u.line} ${u.specifier}`)).toEqual(["tools/build.ts:2 @/lib/utils"]);
  });

  it("follows the references of an explicit --tsconfig too", () => {
    expect(edgeLines(root, { tsconfig: join(root, "tsconfig.json") })).toEqual(edgeLines(root));
  });

  it("says on stderr, without --debug, how many relative or aliased imports did not resolve", async () => {
    const wrong = await run(fixtures, "references", "--tsconfig", "references/tsconfig.node.json");
    expect(wrong.code).toBe(0);
    expect(wrong.out).toMatch(/no cycles/);
    expect(wrong.err).toBe(
      'note: 3 relative or aliased imports did not resolve, so their edges are missing from the graph (first: src/components/Button.tsx:1 "@/lib/utils"; --debug lists them; check --tsconfig)\n',
    );
    const right = await run(fixtures, "references", "--format", "json");
    expect(right.code).toBe(1);
    expect(right.err).toMatch(/^note: 1 relative or aliased import did not resolve, so its edge is missing .*tools\/build\.ts:2 "@\/lib\/utils"/);
    expect(JSON.parse(right.out).sccs).toEqual([
      ["shared/format.ts", "shared/units.ts"],
      ["src/components/Button.tsx", "src/lib/utils.ts"],
    ]);
    expect((await run(fixtures, "cycles")).err).toBe("");
  });
});

describe("workspace packages whose package.json points at build output", () => {
  const cycle = ["packages/app/src/index.ts -> packages/core/src/index.ts import 1:1", "packages/core/src/index.ts -> packages/app/src/index.ts import 1:1"];

  it("maps dist back to the sources, built (app) or not (core), found through package.json workspaces", () => {
    expect(edgeLines(fixture("workspaces"))).toEqual(cycle);
  });

  it("does the same through node_modules links, with both packages built, without a workspaces field", () => {
    const dir = tempCopy("workspaces");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "no-workspaces", private: true }));
    mkdirSync(join(dir, "packages/core/dist"), { recursive: true });
    writeFileSync(join(dir, "packages/core/dist/index.d.ts"), "export declare const core: () => unknown;\n");
    writeFileSync(join(dir, "packages/core/dist/index.js"), "export const core = () => 0;\n");
    mkdirSync(join(dir, "node_modules/@ws"), { recursive: true });
    symlinkSync("../../packages/app", join(dir, "node_modules/@ws/app"));
    symlinkSync("../../packages/core", join(dir, "node_modules/@ws/core"));
    expect(edgeLines(dir)).toEqual(cycle);
    // The packages' own folders as roots: one graph over both.
    const g = buildModuleGraph({ roots: [join(dir, "packages/app"), join(dir, "packages/core")] });
    expect(g.edges.map((e) => `${displayPath(e.from, dir)} -> ${displayPath(e.to, dir)}`)).toEqual(cycle.map((l) => l.replace(/ import .*/, "")));
  });

  it("maps output to sources when rootDir is unset (the sources' common folder)", () => {
    const dir = tempCopy("workspaces");
    for (const p of ["app", "core"]) {
      writeFileSync(join(dir, `packages/${p}/tsconfig.json`), JSON.stringify({ extends: "../../tsconfig.base.json", compilerOptions: { outDir: "dist", composite: false }, include: ["src"] }));
    }
    expect(edgeLines(dir)).toEqual(cycle);
  });

  it("maps dist/ back to src/ for a package a bundler builds (no tsc outDir)", () => {
    const dir = tempCopy("workspaces");
    for (const p of ["app", "core"]) {
      writeFileSync(join(dir, `packages/${p}/tsconfig.json`), JSON.stringify({ extends: "../../tsconfig.base.json", compilerOptions: { noEmit: true, composite: false }, include: ["src"] }));
    }
    expect(edgeLines(dir)).toEqual(cycle);
  });

  it("finds no workspace package without links or a workspaces field", () => {
    const dir = tempCopy("workspaces");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "no-workspaces", private: true }));
    expect(edgeLines(dir)).toEqual([]);
  });
});

describe("Node built-in names", () => {
  it("are modules of the graph where baseUrl maps them to files; node: names and unmapped ones are external", () => {
    const root = fixture("builtin-names");
    expect(edgeLines(root)).toEqual([
      "src/domain/index.ts -> src/events/index.ts import 1:1",
      "src/domain/index.ts -> src/util/index.ts import 2:1",
      "src/events/index.ts -> src/domain/index.ts import 1:1",
    ]);
    const g = buildModuleGraph({ roots: [root] });
    expect({ external: g.external, unresolved: g.unresolved }).toEqual({ external: 2, unresolved: 0 }); // node:events, fs
  });
});

describe("symbolic links", () => {
  // src/alias.ts -> realfile.ts, src/linked -> ../shared, src/loop -> .. (a loop), src/dangling -> nowhere.
  function linkedTree(): string {
    const dir = mkdtempSync(join(tmpdir(), "archverify-links-"));
    temps.push(dir);
    mkdirSync(join(dir, "src"));
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler" } }));
    writeFileSync(join(dir, "src/realfile.ts"), 'import { af } from "./alias-user";\nexport const rf = af;\n');
    writeFileSync(join(dir, "src/alias-user.ts"), 'import { rf } from "./alias";\nexport const af = () => rf;\n');
    writeFileSync(join(dir, "src/link-user.ts"), 'import { s } from "./linked/s";\nexport const viaLink = () => s;\n');
    // Relative to its real folder, as Node resolves it: ../src is the sibling of shared/.
    writeFileSync(join(dir, "shared/s.ts"), 'import { viaLink } from "../src/link-user";\nexport const s = viaLink;\n');
    symlinkSync("realfile.ts", join(dir, "src/alias.ts"));
    symlinkSync("../shared", join(dir, "src/linked"));
    symlinkSync("..", join(dir, "src/loop"));
    symlinkSync("missing.ts", join(dir, "src/dangling.ts"));
    return dir;
  }

  it("are followed: each file once, by its real path, imports resolved from where the file really is", () => {
    const dir = linkedTree();
    const g = buildModuleGraph({ roots: [dir] });
    expect(g.files.map((f) => displayPath(f, dir))).toEqual(["shared/s.ts", "src/alias-user.ts", "src/link-user.ts", "src/realfile.ts"]);
    expect(edgeLines(dir)).toEqual([
      "shared/s.ts -> src/link-user.ts import 1:1",
      "src/alias-user.ts -> src/realfile.ts import 1:1",
      "src/link-user.ts -> shared/s.ts import 1:1",
      "src/realfile.ts -> src/alias-user.ts import 1:1",
    ]);
  });

  it("list a file reached only through a link under the linked path", () => {
    const dir = linkedTree();
    const src = join(dir, "src");
    expect(buildModuleGraph({ roots: [src] }).files.map((f) => displayPath(f, src))).toEqual(["alias-user.ts", "link-user.ts", "linked/s.ts", "realfile.ts"]);
    expect(edgeLines(src)).toEqual([
      "alias-user.ts -> realfile.ts import 1:1",
      "link-user.ts -> linked/s.ts import 1:1",
      "linked/s.ts -> link-user.ts import 1:1",
      "realfile.ts -> alias-user.ts import 1:1",
    ]);
  });
});

describe("tsconfigs tsc rejects", () => {
  it("exit 2 with the tsconfig's file:line:column", async () => {
    expect(await run(fixtures, "broken-tsconfig-paths")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^broken-tsconfig-paths\/tsconfig\.json:5:23: bad tsconfig: Substitutions for pattern '@\/\*' should be an array\. \(TS5063\)/),
    });
    expect(await run(fixtures, "broken-tsconfig-reference")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^broken-tsconfig-reference\/tsconfig\.json:5:5: bad tsconfig: cannot read the referenced project packages\/missing\/tsconfig\.json/),
    });
  });

  it("but accept options this TypeScript only deprecates (baseUrl, moduleResolution node10)", () => {
    const dir = mkdtempSync(join(tmpdir(), "archverify-deprecated-"));
    temps.push(dir);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node", baseUrl: ".", types: ["not-installed"] } }));
    writeFileSync(join(dir, "a.ts"), 'import { b } from "b";\nexport const a = b;\n');
    writeFileSync(join(dir, "b.ts"), 'import { a } from "./a";\nexport const b = a;\n');
    expect(edgeLines(dir)).toEqual(["a.ts -> b.ts import 1:1", "b.ts -> a.ts import 1:1"]);
  });
});
