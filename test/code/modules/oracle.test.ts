// Property: on generated code bases, the graph's edges are exactly those that
// TypeScript's own resolver (ts.resolveModuleName with the tsconfig as tsc
// parses it) gives for the imports the generator wrote, followed to the real
// file as Node loads it. The generated code bases mix what used to go wrong:
// folders named like Node built-ins under baseUrl, `paths` aliases, `.js`
// specifiers, folder index files, a linked folder and linked files.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { ts } from "ts-morph";
import { afterAll, describe, expect } from "vitest";
import { buildModuleGraph } from "../../../src/code/modules/graph.js";
import { displayPath } from "../../../src/util/paths.js";

const BUILTIN_FOLDERS = ["events", "util", "domain", "buffer"];
type Place = "src" | "lib" | "shared" | "builtin";
type Style = "relative" | "relative-js" | "alias" | "base" | "node" | "linked" | "file-link";

interface Module {
  place: Place;
  imports: { to: number; style: Style; typeOnly: boolean }[];
}

const codeBase = fc.integer({ min: 2, max: 9 }).chain((n) =>
  fc.record({
    baseUrl: fc.boolean(),
    paths: fc.boolean(),
    links: fc.boolean(),
    modules: fc.array(
      fc.record({
        place: fc.constantFrom<Place>("src", "lib", "shared", "builtin"),
        imports: fc.array(
          fc.record({
            to: fc.nat(n - 1),
            style: fc.constantFrom<Style>("relative", "relative-js", "alias", "base", "node", "linked", "file-link"),
            typeOnly: fc.boolean(),
          }),
          { maxLength: 4 },
        ),
      }),
      { minLength: n, maxLength: n },
    ),
  }),
);

const posix = (p: string) => p.split("\\").join("/");
const dotted = (p: string) => (p.startsWith(".") ? p : `./${p}`);

describe("module graph against ts.resolveModuleName", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test.prop([codeBase], { numRuns: 60 })("has exactly TypeScript's edges, to real files", ({ baseUrl, paths, links, modules }) => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), "archverify-oracle-")));
    dirs.push(root);
    // Where module i lives (its real file) and the folder/extension-less path it is imported by.
    const fileOf = (i: number): string => {
      const m = modules[i] as Module;
      if (m.place === "builtin" && i < BUILTIN_FOLDERS.length) return join(root, "src", BUILTIN_FOLDERS[i] as string, "index.ts");
      if (m.place === "lib") return join(root, "src/lib", `m${i}.ts`);
      if (m.place === "shared") return join(root, "shared", `m${i}.ts`);
      return join(root, "src", `m${i}.ts`);
    };
    const importPath = (file: string) => (file.endsWith("/index.ts") ? dirname(file) : file.slice(0, -3));
    const specifier = (from: number, to: number, style: Style): string => {
      const fromDir = dirname(fileOf(from));
      const target = fileOf(to);
      const underSrc = posix(relative(join(root, "src"), importPath(target)));
      const name = target.endsWith("/index.ts") ? (BUILTIN_FOLDERS[to] as string) : `m${to}`;
      switch (style) {
        case "relative":
          return dotted(posix(relative(fromDir, importPath(target))));
        case "relative-js":
          return target.endsWith("/index.ts") ? dotted(posix(relative(fromDir, target.replace(/\.ts$/, ".js")))) : dotted(posix(relative(fromDir, `${importPath(target)}.js`)));
        case "alias":
          return `@/${underSrc}`;
        case "base":
          return underSrc;
        case "node":
          return `node:${name}`;
        case "linked":
          return dotted(posix(relative(fromDir, join(root, "src/linked", `m${to}`))));
        case "file-link":
          return dotted(posix(relative(fromDir, join(root, "src", `alias${to}`))));
      }
    };

    const compilerOptions: Record<string, unknown> = { module: "esnext", moduleResolution: "bundler" };
    if (baseUrl) compilerOptions.baseUrl = "./src";
    if (paths) compilerOptions.paths = { "@/*": ["./src/*"] };
    writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions }));
    const written = new Map<string, { specifier: string; typeOnly: boolean }[]>();
    modules.forEach((m, i) => {
      const file = fileOf(i);
      if (written.has(file)) return; // two modules placed in one built-in folder: the first one wins
      const imports = m.imports.map((imp) => ({ specifier: specifier(i, imp.to, imp.style), typeOnly: imp.typeOnly }));
      written.set(file, imports);
      const lines = imports.map((imp, k) => (imp.typeOnly ? `import type { T as T${k} } from "${imp.specifier}";` : `import { v as v${k} } from "${imp.specifier}";`));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${lines.join("\n")}\nexport const v = 1;\nexport type T = number;\n`);
    });
    if (links) {
      mkdirSync(join(root, "src"), { recursive: true });
      symlinkSync("../shared", join(root, "src/linked"));
      modules.forEach((m, i) => {
        if (m.place === "src" && written.has(fileOf(i))) symlinkSync(`m${i}.ts`, join(root, "src", `alias${i}.ts`));
      });
    }

    // Oracle: TypeScript's resolver from each real file, results followed to real paths.
    const parsed = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    const options = parsed!.options;
    const realFiles = new Set(written.keys());
    const expected = new Map<string, boolean>();
    for (const [file, imports] of written) {
      for (const imp of imports) {
        if (imp.specifier.startsWith("node:")) continue; // always Node's built-in
        const resolved = ts.resolveModuleName(imp.specifier, file, options, ts.sys).resolvedModule?.resolvedFileName;
        if (resolved === undefined) continue;
        let to: string;
        try {
          to = realpathSync(resolved);
        } catch {
          continue;
        }
        if (!realFiles.has(to)) continue;
        const key = `${displayPath(file, root)} -> ${displayPath(to, root)}`;
        expected.set(key, (expected.get(key) ?? true) && imp.typeOnly);
      }
    }

    const g = buildModuleGraph({ roots: [root] });
    expect(g.files.map((f) => displayPath(f, root))).toEqual([...realFiles].map((f) => displayPath(f, root)).sort());
    const actual = g.edges.map((e) => `${displayPath(e.from, root)} -> ${displayPath(e.to, root)}${e.typeOnly ? " type" : ""}`);
    const want = [...expected].map(([k, typeOnly]) => `${k}${typeOnly ? " type" : ""}`).sort();
    expect(actual).toEqual(want);
  });
});
