// The whole pipeline: `archverify check SPEC --format json` on fixtures
// (spec loader, rule options from `rules:`, JSON report with paths relative
// to the working directory), and the code rules on the bundled reference specs.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runRules } from "../../../src/check/runner.js";
import { main } from "../../../src/cli/main.js";
import { memoryIO } from "../../../src/cli/io.js";
import type { Report } from "../../../src/report/types.js";
import { loadSpecSync } from "../../../src/spec/load.js";
import { checkOptions, codeSpecRules } from "./run-fixture.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const OURS = new Set(codeSpecRules.map((r) => r.id));

async function check(spec: string): Promise<{ code: number; report: Report }> {
  const io = memoryIO(ROOT);
  const code = await main(["check", spec, "--format", "json"], io);
  expect(io.err).toBe("");
  return { code, report: JSON.parse(io.out) as Report };
}

const ours = (report: Report) =>
  report.findings
    .filter((f) => OURS.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.severity} ${f.location?.file}:${f.location?.line}`)
    .sort();

describe("archverify check on code fixtures", () => {
  it("reports undeclared calls, with the callee added by the spec's rule options, and exits 1", async () => {
    const { code, report } = await check("test/fixtures/drift/undeclared-call/spec.yaml");
    expect(code).toBe(1);
    const file = "test/fixtures/drift/undeclared-call/src/order/clients.ts";
    expect(ours(report)).toEqual([12, 13, 14, 3, 9].map((line) => `undeclared-call error ${file}:${line}`).sort());
    const billing = report.findings.find((f) => f.message.startsWith("order calls billing"));
    expect(billing?.fix).toBe("add `{ to: billing }` to the calls of service order in spec.yaml, or remove the call from the code");
  });

  it("reports contract incompatibilities at the emission site", async () => {
    const { code, report } = await check("test/fixtures/contracts/mismatch/spec.yaml");
    expect(code).toBe(1);
    expect(ours(report)).toEqual([
      "contract-compat error test/fixtures/contracts/mismatch/src/order/handler.ts:14",
      "contract-compat error test/fixtures/contracts/mismatch/src/order/handler.ts:14",
      "contract-compat error test/fixtures/contracts/mismatch/src/order/handler.ts:14",
      "contract-compat error test/fixtures/contracts/mismatch/src/refunds/handler.ts:7",
    ]);
  });

  it("reports nothing of its own on code that matches its spec", async () => {
    const { report } = await check("test/fixtures/contracts/compatible/spec.yaml");
    expect(ours(report)).toEqual([]);
  });
});

describe("the bundled reference specs", () => {
  it("the reference order system has no drift and no contract incompatibility", async () => {
    const spec = loadSpecSync(resolve(ROOT, "specs/order-system.yaml"));
    const { findings } = await runRules(spec, checkOptions, codeSpecRules);
    expect(findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  it("the seed-faithful variant has no undeclared event, call or contract break (its declared sync calls are modelled as events)", async () => {
    const spec = loadSpecSync(resolve(ROOT, "specs/order-system-seed.yaml"));
    const { findings } = await runRules(spec, checkOptions, codeSpecRules);
    expect(findings.filter((f) => f.severity === "error").map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });
});
