// `archverify init` on a small monorepo made in a temp folder: services from
// folders and workspaces, shared code as a kernel, and the written spec loads
// and checks cleanly. It never overwrites a spec without --force.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { minimatch } from "minimatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discover } from "../../src/cli/commands/init.js";
import { globToRegExp } from "../../src/cli/commands/workspace-globs.js";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { loadSpec } from "../../src/spec/load.js";

let repo: string;

function write(file: string, text: string): void {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), text);
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "archverify-init-"));
  write("package.json", JSON.stringify({ name: "acme", private: true, workspaces: ["packages/*", "tools/*"] }));
  write("tsconfig.json", JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022" } }));
  // a workspace package with its own name and a src/ folder
  write("packages/payments/package.json", JSON.stringify({ name: "@acme/payment-service" }));
  write("packages/payments/src/charge.ts", "export interface Charge { id: string; cents: number }\n");
  // shared code: a kernel, not a service
  write("packages/shared/src/money.ts", "export type Money = { cents: number; currency: string };\n");
  // tooling in a workspace: skipped
  write("tools/eslint-config/index.ts", "export const rules = {};\n");
  // plain service folders, one with a handler
  write(
    "services/order/handler.ts",
    [
      'import type { Money } from "../../packages/shared/src/money.js";',
      "export interface OrderState { total: Money | null }",
      "export const order = {",
      "  initialState: (): OrderState => ({ total: null }),",
      "  handle: (state: OrderState, _event: { type: string; id: string }) => ({ state }),",
      "};",
      "",
    ].join("\n"),
  );
  write("services/shipping/src/ship.ts", "export const ship = (id: string) => `shipped ${id}`;\n");
  // a Decider written as top-level exports, in a file not named like a handler
  write("services/shipping/src/shipment/decider.ts", "export const initialState = () => ({});\nexport function evolve(s: object, _e: { type: string }) { return s; }\n");
  // initialState and handle in a file not named like a handler, but no handler module: not suggested
  write("apps/web/src/store.ts", "export const store = { initialState: {}, handle: () => 1 };\n");
  // a folder without TypeScript is not a service
  write("services/README/notes.md", "# notes\n");
  write("apps/web/src/main.ts", "export const main = () => 1;\n");
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe("archverify init", () => {
  it("finds services in folders and workspaces, and shared code as kernels", () => {
    const found = discover(repo);
    expect(found.services.map((s) => [s.name, s.code, s.source])).toEqual([
      ["order", "services/order", "services/*"],
      ["payment-service", "packages/payments/src", "workspaces"],
      ["shipping", "services/shipping/src", "services/*"],
      ["web", "apps/web/src", "apps/*"],
    ]);
    expect(found.services.find((s) => s.name === "order")?.handler).toBe("services/order/handler.ts#order");
    expect(found.services.find((s) => s.name === "shipping")?.handler).toBe("services/shipping/src/shipment/decider.ts");
    expect(found.services.find((s) => s.name === "web")?.handler).toBeUndefined();
    expect(found.sharedKernels.map((k) => [k.name, k.code])).toEqual([["shared", "packages/shared/src"]]);
  });

  it("writes a commented spec that loads and checks cleanly", async () => {
    const io = memoryIO(repo);
    expect(await main(["init"], io)).toBe(0);
    expect(io.out).toContain("wrote archverify.yaml: 4 service(s): order (services/order), payment-service (packages/payments/src)");
    const text = readFileSync(join(repo, "archverify.yaml"), "utf8");
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\/node_modules\/archverify\/schema\.json/);
    expect(text).toContain("  payment-service:   # found in workspaces\n    code: packages/payments/src\n");
    expect(text).toContain("    # handler: services/order/handler.ts#order");
    expect(text).toContain("sharedKernels:\n  shared: { code: packages/shared/src }");
    const spec = await loadSpec(join(repo, "archverify.yaml"));
    expect([...spec.services.keys()].sort()).toEqual(["order", "payment-service", "shipping", "web"]);
    const check = memoryIO(repo);
    const code = await main(["check", "--format", "json"], check);
    const report = JSON.parse(check.out) as { summary: { errors: number; warnings: number } };
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
    expect(code).toBe(0);
  }, 120_000);

  it("never overwrites an existing spec without --force", async () => {
    writeFileSync(join(repo, "archverify.yaml"), "archverify: 1\n# mine\n");
    const io = memoryIO(repo);
    expect(await main(["init"], io)).toBe(2);
    expect(io.err).toContain("archverify.yaml already exists here; init never overwrites a spec");
    expect(io.err).toContain("--force");
    expect(readFileSync(join(repo, "archverify.yaml"), "utf8")).toBe("archverify: 1\n# mine\n");
    const forced = memoryIO(repo);
    expect(await main(["init", "--force"], forced)).toBe(0);
    expect(readFileSync(join(repo, "archverify.yaml"), "utf8")).toContain("services:\n  order:");
  });

  it("writes a valid starter with examples when nothing is found", async () => {
    const empty = mkdtempSync(join(tmpdir(), "archverify-init-empty-"));
    try {
      const io = memoryIO(empty);
      expect(await main(["init"], io)).toBe(0);
      expect(io.out).toContain("wrote archverify.yaml: 0 service(s)");
      const spec = await loadSpec(join(empty, "archverify.yaml"));
      expect(spec.services.size).toBe(0);
      expect(readFileSync(join(empty, "archverify.yaml"), "utf8")).toContain("# No service folders were found");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("leaves out the folders a `!` workspace glob excludes, from the workspaces and the usual folders", () => {
    const mono = mkdtempSync(join(tmpdir(), "archverify-init-negated-"));
    const put = (file: string, text: string) => {
      mkdirSync(dirname(join(mono, file)), { recursive: true });
      writeFileSync(join(mono, file), text);
    };
    try {
      put("package.json", JSON.stringify({ private: true, workspaces: { packages: ["svc/*", "!svc/ignored", "libs/**", "!**/legacy-*"] } }));
      for (const name of ["billing", "ignored", "ignored-not"]) {
        put(`svc/${name}/package.json`, JSON.stringify({ name }));
        put(`svc/${name}/src/index.ts`, "export const x = 1;\n");
      }
      put("libs/pay/api/package.json", JSON.stringify({ name: "pay-api" }));
      put("libs/pay/api/src/index.ts", "export const x = 1;\n");
      put("libs/pay/legacy-api/package.json", JSON.stringify({ name: "legacy-api" }));
      put("libs/pay/legacy-api/src/index.ts", "export const x = 1;\n");
      // packages/* is also one of the usual folders: the exclusion holds there too
      put("packages/legacy-web/src/index.ts", "export const x = 1;\n");
      put("packages/web/src/index.ts", "export const x = 1;\n");
      expect(discover(mono).services.map((s) => [s.name, s.folder])).toEqual([
        ["billing", "svc/billing"],
        ["ignored-not", "svc/ignored-not"],
        ["pay-api", "libs/pay/api"],
        ["web", "packages/web"],
      ]);
      // pnpm-workspace.yaml negations as well
      put("package.json", JSON.stringify({ private: true }));
      put("pnpm-workspace.yaml", "packages:\n  - 'svc/*'\n  - '!svc/ignored*'\n");
      expect(discover(mono).services.map((s) => s.name)).toEqual(["billing", "legacy-web", "web"]);
    } finally {
      rmSync(mono, { recursive: true, force: true });
    }
  });
});

describe("workspace globs", () => {
  // Globs of the shapes workspaces use, over folder names without dots (node_modules and dot
  // folders are never searched); minimatch is what npm matches workspaces with.
  const name = fc.constantFrom("a", "b", "ab", "ba", "abc");
  const piece = fc.constantFrom("a", "b", "c", "*", "?", "{a,b}", "{ab,c}", "[ab]", "[!a]", "a*", "*b");
  const segment = fc.oneof({ weight: 5, arbitrary: fc.array(piece, { minLength: 1, maxLength: 3 }).map((p) => p.join("")) }, { weight: 1, arbitrary: fc.constant("**") });
  const glob = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
  const path = fc.array(name, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));

  it("match the paths minimatch matches", () => {
    fc.assert(
      fc.property(glob, fc.array(path, { minLength: 1, maxLength: 8 }), (g, paths) => {
        const re = globToRegExp(g);
        for (const p of paths) expect(re.test(p), `${g} ~ ${p}`).toBe(minimatch(p, g));
      }),
      { numRuns: 2000 },
    );
  });
});
