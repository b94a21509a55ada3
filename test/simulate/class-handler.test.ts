// A handler exported as a class: the runtime makes an instance (its methods keep `this`), the
// code rules read the instance's methods; a class that needs constructor arguments is bad input.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchCli } from "../scratch-cli.js";

const dir = new URL("../fixtures/systems/class-handler/", import.meta.url).pathname;
const { run } = scratchCli();
const check = (spec: string) => run(["check", join(dir, spec), "--runs", "200"]);

describe("a handler class", () => {
  it("is instantiated and checked: a correct one passes", async () => {
    const r = await check("LedgerHandler.yaml");
    expect(r.err).toBe("");
    expect(r.out).toContain("0 errors, 0 warnings");
    expect(r.code).toBe(0);
  });

  it("a subclass that forgets handled ids fails idempotence, located at the class", async () => {
    const r = await check("ForgetfulLedger.yaml");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/handlers\.ts:19:1 {2}error {2}idempotence/);
    expect(r.out).toContain("ledger: Deposited delivered twice gives a different state than once");
  });

  it("one whose constructor takes arguments: exit 2, asking for an instance", async () => {
    const r = await check("NeedsRepository.yaml");
    expect(r.code).toBe(2);
    expect(r.err).toContain("NeedsRepository.yaml:4:22: handlers.ts#NeedsRepository is a class whose constructor takes 1 argument(s)");
    expect(r.err).toContain("or an exported instance of it");
  });
});
