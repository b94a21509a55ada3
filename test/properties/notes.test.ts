// What the handler checks did not do is said, as info findings with the same
// text on every run: a search the time budget cut, an event type its channel
// never duplicates (idempotence skipped).
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { propertyFindings } from "../../src/check/handlers/findings.js";
import { runHandlerProperties, type HandlerPropertiesResult } from "../../src/check/handlers/run.js";
import { HANDLER_PROPERTIES } from "../../src/check/handlers/types.js";
import { loadSpec } from "../../src/spec/load.js";
import type { Spec } from "../../src/spec/types.js";

const fixture = fileURLToPath(new URL("../fixtures/handlers/handlers.yaml", import.meta.url));
const only = ["counter", "ledger"];

async function run(spec: Spec, timeBudgetMs?: number): Promise<HandlerPropertiesResult> {
  const narrowed = { ...spec, services: new Map([...spec.services].filter(([name]) => only.includes(name))) } as Spec;
  return runHandlerProperties(narrowed, { seed: 1, runs: 50, maxDepth: 4, ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}) });
}

const infos = (spec: Spec, result: HandlerPropertiesResult) =>
  HANDLER_PROPERTIES.flatMap((p) => propertyFindings(spec, result, p, process.cwd()).filter((f) => f.severity === "info").map((f) => ({ rule: p, message: f.message })));

describe("notes as info findings", () => {
  let spec: Spec;
  beforeAll(async () => {
    spec = await loadSpec(fixture);
  });

  it("an exactly-once channel's event type: idempotence skipped, said once, under idempotence", async () => {
    const result = await run(spec);
    expect(infos(spec, result)).toEqual([
      { rule: "idempotence", message: "ledger: Credited travels on channel ledger-events with exactly-once delivery, which never duplicates it: idempotence not checked for Credited" },
    ]);
  });

  it("a time budget cut: one info finding naming every service and search cut, same text on every run", async () => {
    const first = await run(spec, 0);
    const second = await run(spec, 0);
    const cut = infos(spec, first).filter((f) => f.message.includes("time budget"));
    expect(cut).toEqual([
      {
        rule: "idempotence",
        message:
          "the time budget (--time-budget) cut the handler property searches short: counter (idempotence, commutation, handler-throws, handler-mutates-input, handler-nondeterministic), " +
          "ledger (commutation, handler-throws, handler-mutates-input, handler-nondeterministic); a clean result covers only the runs made (stats.handler-properties)",
      },
    ]);
    expect(infos(spec, second)).toEqual(infos(spec, first));
    expect(first.reports.every((r) => r.runs === 0)).toBe(true);
  });
});
