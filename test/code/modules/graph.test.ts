import { describe, expect, it } from "vitest";
import { buildModuleGraph } from "../../../src/code/modules/graph.js";
import { displayPath } from "../../../src/util/paths.js";
import { edgeLines, fixture } from "./helpers.js";

describe("module graph: import forms", () => {
  it("finds every import form, tags type-only ones, and ignores imports in strings, comments, templates and regexes", () => {
    const root = fixture("forms");
    expect(edgeLines(root)).toEqual([
      "src/main.ts -> src/targets/all-type-specifiers.ts import type-only 4:1",
      "src/main.ts -> src/targets/default-and-namespace.ts import 6:1",
      "src/main.ts -> src/targets/dir/index.ts import 16:1",
      "src/main.ts -> src/targets/dynamic.ts dynamic-import 25:22",
      "src/main.ts -> src/targets/export-named.ts export 9:1",
      "src/main.ts -> src/targets/export-namespace.ts export 12:1",
      "src/main.ts -> src/targets/export-star.ts export 8:1",
      "src/main.ts -> src/targets/export-type-specifier.ts export type-only 11:1",
      "src/main.ts -> src/targets/export-type-star.ts export type-only 13:1",
      "src/main.ts -> src/targets/export-type.ts export type-only 10:1",
      "src/main.ts -> src/targets/import-equals.ts import-equals 14:1",
      "src/main.ts -> src/targets/import-type-equals.ts import-equals type-only 15:1",
      "src/main.ts -> src/targets/import-type-position.ts import-type type-only 38:19",
      "src/main.ts -> src/targets/js-specifier.ts import 17:1",
      "src/main.ts -> src/targets/mixed-specifiers.ts import 5:1",
      "src/main.ts -> src/targets/module.mts import 18:1",
      "src/main.ts -> src/targets/plain.ts import 2:1",
      "src/main.ts -> src/targets/required.ts require 26:20",
      "src/main.ts -> src/targets/side-effect.ts import 7:1",
      "src/main.ts -> src/targets/type-import.ts import type-only 3:1",
      "src/main.ts -> src/targets/typeof-import.ts import-type type-only 37:20",
      "src/main.ts -> src/targets/widget.tsx import 19:1",
      "src/targets/widget.tsx -> src/targets/plain.ts import 2:1",
    ]);
  });

  it("counts builtins and packages as external and unknown files as unresolved", () => {
    const g = buildModuleGraph({ roots: [fixture("forms")] });
    expect(g.external).toBe(1); // node:fs
    expect(g.unresolved).toBe(2); // ./targets/missing, not-a-real-package
    expect(g.files).toHaveLength(28);
  });

  it("resolves tsconfig paths (exact, wildcard, several targets) and baseUrl through an extends chain", () => {
    expect(edgeLines(fixture("paths"))).toEqual([
      "src/app/service.ts -> src/config/index.ts import 2:1",
      "src/main.ts -> src/app/service.ts import 2:1",
      "src/main.ts -> src/config/index.ts import 3:1",
      "src/main.ts -> src/lib/helper.ts import 5:1",
      "src/main.ts -> src/second/only-in-second.ts import 4:1",
    ]);
  });

  it("keeps `import { type A }` and `export { type A } from` as runtime under verbatimModuleSyntax", () => {
    expect(edgeLines(fixture("verbatim"))).toEqual([
      "src/a.ts -> src/b.ts import 2:1",
      "src/a.ts -> src/c.ts import type-only 3:1",
      "src/a.ts -> src/d.ts export 4:1",
      "src/b.ts -> src/a.ts import 2:1",
      "src/c.ts -> src/a.ts import 2:1",
    ]);
  });

  it("resolves like node16/nodenext: .js/.cjs specifiers, package imports, no extensionless ESM imports", () => {
    const root = fixture("nodenext");
    expect(edgeLines(root)).toEqual([
      "src/legacy.cts -> src/helper.cts require 2:16",
      "src/main.ts -> src/internal/hidden.ts import 4:1",
      "src/main.ts -> src/lazy.ts dynamic-import 6:77",
      "src/main.ts -> src/legacy.cts import 3:1",
      "src/main.ts -> src/util.ts import 2:1",
    ]);
    expect(buildModuleGraph({ roots: [root] }).unresolved).toBe(1); // "./util" without extension
  });

  it("makes every import of a declaration file type-only", () => {
    expect(edgeLines(fixture("declarations"))).toEqual(["src/api.d.ts -> src/impl.ts import type-only 2:1", "src/impl.ts -> src/api.d.ts import 3:1"]);
  });

  it("takes JavaScript files only under allowJs and never looks into node_modules", () => {
    const root = fixture("allowjs");
    expect(edgeLines(root)).toEqual(["src/main.ts -> src/old.js import 2:1", "src/old.js -> src/main.ts require 2:18"]);
    const files = buildModuleGraph({ roots: [root] }).files.map((f) => displayPath(f, root));
    expect(files).toEqual(["src/main.ts", "src/old.js"]);
    // The same folder under a tsconfig without allowJs: the .js file is not a module of the graph.
    expect(edgeLines(root, { tsconfig: fixture("forms/tsconfig.json") })).toEqual([]);
  });

  it("uses each package's nearest tsconfig, so monorepo packages keep their own paths", () => {
    expect(edgeLines(fixture("monorepo"))).toEqual([
      "packages/billing/src/invoice.ts -> packages/orders/src/order.ts import 2:1",
      "packages/orders/src/order.ts -> packages/billing/src/invoice.ts import 2:1",
      "packages/orders/src/order.ts -> packages/orders/src/line.ts import 3:1",
    ]);
  });

  it("drops edges to files outside the roots", () => {
    const root = fixture("monorepo/packages/orders");
    expect(edgeLines(root)).toEqual(["src/order.ts -> src/line.ts import 3:1"]);
  });

  it("builds one graph over several roots", () => {
    const g = buildModuleGraph({ roots: [fixture("monorepo/packages/orders"), fixture("monorepo/packages/billing")] });
    expect(g.roots).toHaveLength(2);
    expect(g.edges).toHaveLength(3);
  });
});

describe("module graph: bad tsconfig", () => {
  it("reports a syntax error with the tsconfig's file:line:column", () => {
    expect(() => buildModuleGraph({ roots: [fixture("broken-tsconfig-syntax")] })).toThrow(
      expect.objectContaining({ kind: "input", location: expect.objectContaining({ file: fixture("broken-tsconfig-syntax/tsconfig.json"), line: 7, column: 1 }) }),
    );
  });

  it("reports an `extends` that names no file", () => {
    expect(() => buildModuleGraph({ roots: [fixture("broken-tsconfig-extends")] })).toThrow(/does-not-exist\.json/);
  });

  it("reports a --tsconfig that does not exist", () => {
    expect(() => buildModuleGraph({ roots: [fixture("forms")], tsconfig: fixture("forms/nope.json") })).toThrow(/does not exist/);
  });
});
