import { describe, expect, it } from "vitest";
import { noCrossServiceImportsRule } from "../../../src/check/rules/code/no-cross-service-imports.js";
import { noModuleCyclesRule } from "../../../src/check/rules/code/no-module-cycles.js";
import { createContext, runRules } from "../../../src/check/runner.js";
import type { CheckOptions } from "../../../src/check/types.js";
import { buildServiceModuleGraph, SERVICE_MODULE_GRAPH_KEY } from "../../../src/code/modules/service-graph.js";
import { loadSpec } from "../../../src/spec/load.js";
import type { Spec } from "../../../src/spec/types.js";
import { displayPath } from "../../../src/util/paths.js";
import { fixture } from "./helpers.js";

const options: CheckOptions = { seed: 1, allCycles: false, maxCycles: 100, reportsDir: "reports", cwd: process.cwd() };
const root = fixture("services");
const specFile = fixture("services/archverify.yaml");

async function findings(spec: Spec, opts: Partial<CheckOptions> = {}) {
  const result = await runRules(spec, { ...options, ...opts }, [noModuleCyclesRule, noCrossServiceImportsRule]);
  return result.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    witness: f.witness,
    at: f.location && `${displayPath(f.location.file, root)}:${f.location.line}:${f.location.column}`,
    related: f.related?.map((l) => `${displayPath(l.file, root)}:${l.line}`),
    subject: f.subject,
  }));
}

describe("no-module-cycles and no-cross-service-imports", () => {
  it("report runtime cycles as errors, type-only cycles as warnings, and imports across services", async () => {
    expect(await findings(await loadSpec(specFile))).toEqual([
      {
        ruleId: "no-module-cycles",
        severity: "error",
        witness: ["src/order/cycle-a.ts", "src/order/cycle-b.ts", "src/order/cycle-a.ts"],
        at: "src/order/cycle-a.ts:2:1",
        related: ["src/order/cycle-b.ts:2"],
        subject: "order: src/order/cycle-a.ts",
      },
      {
        ruleId: "no-module-cycles",
        severity: "warning",
        witness: ["src/payment/client.ts", "src/payment/receipt.ts", "src/payment/client.ts"],
        at: "src/payment/client.ts:2:1",
        related: ["src/payment/receipt.ts:2"],
        subject: "payment: src/payment/client.ts",
      },
      { ruleId: "no-cross-service-imports", severity: "error", witness: ["src/order/order.ts", "src/payment/client.ts"], at: "src/order/order.ts:3:1", related: undefined, subject: "order -> payment" },
      { ruleId: "no-cross-service-imports", severity: "error", witness: ["src/order/order.ts", "src/payment/receipt.ts"], at: "src/order/order.ts:4:1", related: undefined, subject: "order -> payment" },
      { ruleId: "no-cross-service-imports", severity: "error", witness: ["src/payment/client.ts", "src/order/ids.ts"], at: "src/payment/client.ts:3:1", related: undefined, subject: "payment -> order" },
      { ruleId: "no-cross-service-imports", severity: "error", witness: ["src/shipping/ships.ts", "src/order/order.ts"], at: "src/shipping/ships.ts:3:1", related: undefined, subject: "shipping -> order" },
    ]);
  });

  it("lets every service import a shared kernel, and flags the kernel's files once it is no longer declared", async () => {
    const spec = await loadSpec(specFile);
    const shared = (await findings(spec)).filter((f) => f.witness?.some((w) => w.startsWith("src/shared/")));
    expect(shared).toEqual([]);
    // Without the kernel declaration, src/shared is nobody's code: still no finding (only service-to-service imports count).
    spec.sharedKernels.clear();
    expect((await findings(spec)).filter((f) => f.witness?.some((w) => w.startsWith("src/shared/")))).toEqual([]);
    // Declared as part of the order service instead, shipping's import of it is cross-service.
    spec.services.set("money-owner", { ...(spec.services.get("order") as NonNullable<ReturnType<typeof spec.services.get>>), name: "money-owner", code: { path: fixture("services/src/shared"), loc: spec.services.get("order")!.loc } });
    const crossing = (await findings(spec)).filter((f) => f.ruleId === "no-cross-service-imports" && f.witness?.[1]?.startsWith("src/shared/"));
    expect(crossing.map((f) => f.subject)).toEqual(["order -> money-owner", "shipping -> money-owner"]);
  });

  it("follows the rule's typeOnly option", async () => {
    const spec = await loadSpec(specFile);
    const loc = { file: specFile, line: 1, column: 1 };
    spec.rules.set("no-module-cycles", { id: "no-module-cycles", options: { typeOnly: "off" }, loc });
    expect((await findings(spec)).filter((f) => f.ruleId === "no-module-cycles").map((f) => f.severity)).toEqual(["error"]);
    spec.rules.set("no-module-cycles", { id: "no-module-cycles", options: { typeOnly: "error" }, loc });
    expect((await findings(spec)).filter((f) => f.ruleId === "no-module-cycles").map((f) => f.severity)).toEqual(["error", "error"]);
    spec.rules.set("no-module-cycles", { id: "no-module-cycles", options: { typeOnly: "sometimes" }, loc });
    await expect(findings(spec)).rejects.toThrow(/typeOnly must be warning, error or off/);
  });

  it("lists every elementary cycle with --all-cycles", async () => {
    const spec = await loadSpec(fixture("services/archverify.yaml"));
    // Point the order service at the cycles fixture: a triangle with a chord has two elementary cycles.
    const order = spec.services.get("order")!;
    order.code = { path: fixture("cycles/src"), loc: order.loc };
    const one = (await findings(spec)).filter((f) => f.ruleId === "no-module-cycles" && f.subject === "order: ../cycles/src/a.ts");
    expect(one).toHaveLength(1);
    expect(one[0]!.witness).toEqual(["../cycles/src/a.ts", "../cycles/src/c.ts", "../cycles/src/a.ts"]);
    const all = (await findings(spec, { allCycles: true })).filter((f) => f.ruleId === "no-module-cycles" && f.subject === one[0]!.subject);
    expect(all.map((f) => f.witness)).toEqual([
      ["../cycles/src/a.ts", "../cycles/src/b.ts", "../cycles/src/c.ts", "../cycles/src/a.ts"],
      ["../cycles/src/a.ts", "../cycles/src/c.ts", "../cycles/src/a.ts"],
    ]);
  });

  it("read no tests, __tests__/ or dist/ (the files the other code rules skip)", async () => {
    // Each of those files imports across services or closes a cycle; none of it is the services' code.
    const spec = await loadSpec(fixture("services-skipped/archverify.yaml"));
    expect(await findings(spec)).toEqual([]);
    const sg = buildServiceModuleGraph(spec)!;
    expect(sg.graph.files.map((f) => displayPath(f, fixture("services-skipped")))).toEqual(["src/order/order.ts", "src/payment/pay.ts"]);
  });

  it("build the module graph once per run and skip specs without code", async () => {
    const spec = await loadSpec(specFile);
    const ctx = createContext(spec, options);
    await noModuleCyclesRule.check(ctx);
    const graph = ctx.cached(SERVICE_MODULE_GRAPH_KEY, () => {
      throw new Error("built twice");
    });
    expect(graph).toBeDefined();
    await noCrossServiceImportsRule.check(ctx);

    for (const s of spec.services.values()) delete s.code;
    expect(await findings(spec)).toEqual([]);
  });
});
