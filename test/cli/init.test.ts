// `archverify init` on a small monorepo made in a temp folder: services from
// folders and workspaces, shared code as a kernel, and the written spec loads
// and checks cleanly. It never overwrites a spec without --force.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discover } from "../../src/cli/commands/init.js";
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
});
