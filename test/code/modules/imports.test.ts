import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { fastExtractImports } from "../../../src/code/modules/fast-imports.js";
import { extractImports, parseImports } from "../../../src/code/modules/imports.js";
import type { ImportRef } from "../../../src/code/modules/types.js";
import { fixtures } from "./helpers.js";

const plain = { verbatimModuleSyntax: false };
const verbatim = { verbatimModuleSyntax: true };
const bySource = (refs: ImportRef[]) => [...refs].sort((a, b) => a.line - b.line || a.column - b.column);
const brief = (refs: ImportRef[] | undefined) => refs?.map((r) => `${r.kind}${r.typeOnly ? " type" : ""} ${r.specifier} ${r.line}:${r.column}`);

/** Both extractors on one text: the fast path must agree with the parser whenever it answers. */
function both(text: string, options = plain) {
  const fast = fastExtractImports(text, options);
  const parsed = bySource(parseImports("file.ts", text, options));
  return { fast: fast && brief(fast), parsed: brief(parsed) };
}

describe("import extraction", () => {
  it.each([
    ['import type from "./a";', ["import ./a 1:1"]], // a default import named `type`
    ['import type, { x } from "./a";', ["import ./a 1:1"]],
    ['import type from from "./a";', ["import type ./a 1:1"]],
    ['import { type } from "./a";', ["import ./a 1:1"]],
    ['import { type as } from "./a";', ["import type ./a 1:1"]],
    ['import { type as x } from "./a";', ["import ./a 1:1"]],
    ['import { type as as x } from "./a";', ["import type ./a 1:1"]],
    ['import {} from "./a";', ["import ./a 1:1"]],
    ['import { "a-b" as ab } from "./a";', ["import ./a 1:1"]],
    ['export { "a-b" as ab } from "./a";', ["export ./a 1:1"]],
    ['export * as "x" from "./a";', ["export ./a 1:1"]],
    ['export type * as t from "./a";', ["export type ./a 1:1"]],
    ['export { default, type X } from "./a";', ["export ./a 1:1"]],
    ['export {};\nexport { x };', []],
    ['export import X = require("./a");', ["import-equals ./a 1:1"]],
    ['import X = Y.Z;', []],
    ['import json from "./a.json" with { type: "json" };', ["import ./a.json 1:1"]],
    ['const x = a.import("./a") + b.require("./b");', []],
    ['function require(x) {}\nrequire(name);', []],
    ["const r = require(`./a`);", ["require ./a 1:11"]],
    ['const x = 1 / 2; const re = /"/; import "./a";', ["import ./a 1:34"]],
    ["const s = `${`${'`'}`}`; import './a';", ["import ./a 1:26"]],
    ['#!/usr/bin/env node\nimport "./a";', ["import ./a 2:1"]],
    ["declare module 'm' {\n  import x from './a';\n}", ["import ./a 2:3"]],
    ["a\r\nb\rc\u2028d\nimport './a';", ["import ./a 5:1"]],
    ['for (const x of y) i++ / 2; import "./a";', ["import ./a 1:29"]],
  ])("%s", (text, expected) => {
    const { fast, parsed } = both(text);
    expect(parsed).toEqual(expected);
    expect(fast).toEqual(expected);
  });

  it("marks all-type specifier lists type-only except under verbatimModuleSyntax", () => {
    const text = 'import { type A, type B } from "./a";\nexport { type C } from "./c";';
    expect(both(text).fast).toEqual(["import type ./a 1:1", "export type ./c 2:1"]);
    expect(both(text, verbatim).fast).toEqual(["import ./a 1:1", "export ./c 2:1"]);
    expect(both(text, verbatim).parsed).toEqual(both(text, verbatim).fast);
  });

  it("leaves to the parser an import() it cannot place as value or type", () => {
    for (const text of ['const m = import("./a");', 'let x: import("./a").T;', 'type F = () => import("./a").T;', 'let m: typeof import("./a");', 'const t = typeof import("./a");']) {
      expect(fastExtractImports(text, plain)).toBeUndefined();
    }
    // `typeof` the operator on a dynamic import loads the module; `typeof` the type query does not.
    expect(brief(extractImports("f.ts", 'const t = typeof import("./a");\ntype M = typeof import("./b");', plain))).toEqual([
      "dynamic-import ./a 1:18",
      "import-type type ./b 2:10",
    ]);
    expect(brief(parseImports("f.ts", 'const m = import("./a");\nlet x: import("./b").T;', plain))).toEqual(["dynamic-import ./a 1:11", "import-type type ./b 2:8"]);
    expect(brief(extractImports("f.ts", 'let x: import("./b").T;', plain))).toEqual(["import-type type ./b 1:8"]);
  });

  it("parses JSX files with TypeScript (their text would derail a token scanner)", () => {
    const text = "import a from './a';\nconst el = <p>Don't {a}</p>;\nimport b from './b';";
    expect(brief(extractImports("f.tsx", text, plain))).toEqual(["import ./a 1:1", "import ./b 3:1"]);
  });

  it("gives up (rather than guess) on unbalanced text", () => {
    expect(fastExtractImports('import "./a"; }', plain)).toBeUndefined();
    expect(fastExtractImports('import "./a"; "open', plain)).toBeUndefined();
    expect(fastExtractImports('import "./a"; /* open', plain)).toBeUndefined();
  });
});

// Real code: every fixture and every TypeScript file of this repository's src/ and test/.
function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && !e.name.startsWith(".")) sourceFiles(full, out);
    } else if (/\.(?:ts|mts|cts|js|cjs|mjs)$/.test(e.name)) out.push(full);
  }
  return out;
}

describe("token scanner agrees with the TypeScript parser", () => {
  const repo = fileURLToPath(new URL("../../../", import.meta.url));
  const files = [...sourceFiles(fixtures), ...sourceFiles(join(repo, "src")), ...sourceFiles(join(repo, "test"))];

  it(`on ${files.length > 100 ? "every" : "the"} source file of this repository and the fixtures`, () => {
    let answered = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const fast = fastExtractImports(text, plain);
      if (fast === undefined) continue;
      answered++;
      expect({ file, refs: brief(fast) }).toEqual({ file, refs: brief(bySource(parseImports(file, text, plain))) });
    }
    // The fast path must actually be the common path.
    expect(answered).toBeGreaterThan(files.length * 0.8);
  });

  // Generated files mixing every import form with the text that can fool a scanner.
  const name = fc.constantFrom("a", "b", "type", "as", "from", "x1");
  const spec = fc.constantFrom("./a", "./b.js", "@x/y", "../c", "pkg");
  const q = fc.constantFrom("'", '"');
  const lit = fc.tuple(q, spec).map(([qq, s]) => `${qq}${s}${qq}`);
  const names = fc.array(fc.tuple(fc.boolean(), name, fc.option(name, { nil: undefined })), { maxLength: 3 }).map((els) =>
    els.map(([t, n, alias]) => `${t ? "type " : ""}${n}${alias ? ` as ${alias}` : ""}`).join(", "),
  );
  const statement = fc.oneof(
    fc.tuple(fc.boolean(), names, lit).map(([t, ns, l]) => `import ${t ? "type " : ""}{ ${ns} } from ${l};`),
    fc.tuple(fc.boolean(), name, lit).map(([t, n, l]) => `import ${t ? "type " : ""}${n} from ${l};`),
    fc.tuple(name, lit).map(([n, l]) => `import * as ${n} from ${l};`),
    lit.map((l) => `import ${l};`),
    fc.tuple(fc.boolean(), names, lit).map(([t, ns, l]) => `export ${t ? "type " : ""}{ ${ns} } from ${l};`),
    fc.tuple(fc.boolean(), lit).map(([t, l]) => `export ${t ? "type " : ""}* from ${l};`),
    fc.tuple(fc.boolean(), name, lit).map(([t, n, l]) => `${t ? "export " : ""}import ${n === "type" ? "t" : n} = require(${l});`),
    lit.map((l) => `const r = require(${l});`),
    lit.map((l) => `async function f() { return await import(${l}); }`),
    lit.map((l) => `type T = typeof import(${l});`),
    lit.map((l) => `const t = typeof import(${l});`),
    lit.map((l) => `// import x from ${l}`),
    lit.map((l) => `/* export * from ${l} */`),
    lit.map((l) => `const s = "import x from ${l.replaceAll('"', "'")}";`),
    lit.map((l) => `const t = \`\${1 + 2} import(${l}) \${\`\${x}\`}\`;`),
    fc.constantFrom(
      "const re = /import ['\"]x['\"]/g;",
      "const d = a / b / c;",
      "if (x) { y = {} } /re/.test(z);",
      "const o = { import: 1, require: 2, from: 3 };",
      "x = a.import + b.require;",
      "label: for (;;) { break label; }",
      "class K { import() {} static require() {} }",
      "let n = 0x1e+5 + 1e-3 + .5;",
      "const m = import.meta.url;",
    ),
  );
  test.prop([fc.array(statement, { maxLength: 12 }), fc.constantFrom("\n", "\r\n", " ")], { numRuns: 300 })(
    "on generated files",
    (stmts, sep) => {
      const text = stmts.join(sep);
      for (const options of [plain, verbatim]) {
        const fast = fastExtractImports(text, options);
        // Only `typeof import(` is ambiguous here (type query or operator): elsewhere the fast path
        // must answer; whenever it answers, it answers like the parser.
        if (!/typeof import\(/.test(text)) expect(fast).toBeDefined();
        if (fast !== undefined) expect(brief(fast)).toEqual(brief(bySource(parseImports("gen.ts", text, options))));
        expect(brief(extractImports("gen.ts", text, options))).toEqual(brief(bySource(parseImports("gen.ts", text, options))));
      }
    },
  );
});
