import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { extractImports } from "../../../src/code/modules/imports.js";
import { CachedFileSystem, createResolver, relativeCandidates } from "../../../src/code/modules/resolver.js";
import { scanSourceFiles } from "../../../src/code/modules/scan.js";
import { DEFAULT_TSCONFIG, findTsconfigUpward, loadTsconfig } from "../../../src/code/modules/tsconfig.js";
import { fixture } from "./helpers.js";

describe("relative resolution fast path", () => {
  it("lists TypeScript's first-pass candidates in TypeScript's order", () => {
    expect(relativeCandidates("/p/x")).toEqual({ files: ["/p/x.ts", "/p/x.tsx", "/p/x.d.ts"], folder: "/p/x" });
    expect(relativeCandidates("/p/x.js")).toEqual({ files: ["/p/x.ts", "/p/x.tsx", "/p/x.d.ts"] });
    expect(relativeCandidates("/p/x.mjs")).toEqual({ files: ["/p/x.mts", "/p/x.d.mts"] });
    expect(relativeCandidates("/p/x.cjs")).toEqual({ files: ["/p/x.cts", "/p/x.d.cts"] });
    expect(relativeCandidates("/p/x.service")).toEqual({ files: ["/p/x.service.ts", "/p/x.service.tsx", "/p/x.service.d.ts"], folder: "/p/x.service" });
    expect(relativeCandidates("/p/x.json")).toEqual({ files: [] });
  });

  const repo = fileURLToPath(new URL("../../../", import.meta.url));
  const roots = ["forms", "paths", "cycles", "verbatim", "declarations", "allowjs", "monorepo", "services", "nodenext"].map(fixture);
  roots.push(join(repo, "src"), join(repo, "test"));

  it.each(roots.map((r) => [r.slice(repo.length), r]))("answers like TypeScript on every import of %s", (_, root) => {
    const fsCache = new CachedFileSystem();
    const known = new Set(scanSourceFiles(root, { includeJs: () => true }).map((f) => f.path));
    let compared = 0;
    for (const file of known) {
      const configFile = findTsconfigUpward(dirname(file));
      if (configFile?.includes("broken-tsconfig")) continue; // fixtures of bad input
      const options = configFile ? loadTsconfig(configFile).options : DEFAULT_TSCONFIG.options;
      const fast = createResolver(options, fsCache, known);
      const reference = createResolver(options, new CachedFileSystem());
      for (const imp of extractImports(file, readFileSync(file, "utf8"), { verbatimModuleSyntax: false })) {
        const mode = imp.kind === "require" || imp.kind === "import-equals" ? "require" : imp.kind === "dynamic-import" ? "dynamic" : "static";
        expect({ file, specifier: imp.specifier, to: fast.resolve(imp.specifier, file, mode) }).toEqual({
          file,
          specifier: imp.specifier,
          to: reference.resolve(imp.specifier, file, mode),
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});
