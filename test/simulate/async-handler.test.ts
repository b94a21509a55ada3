// An async handler cannot be run as the checks need (its result is known only after the
// call): one clear input error at the handler's place in the spec, exit 2, not a finding per
// event (handler-throws, termination, ...), and the library API rejects the same way.
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { ArchverifyError } from "../../src/errors.js";
import { checkSystem } from "../../src/index.js";

const dir = new URL("../fixtures/systems/async-handler/", import.meta.url).pathname;

describe("an async handler", () => {
  it.each([
    ["handle.yaml", "handlers.ts#ledger: handle returned a Promise", "4:22"],
    ["evolve.yaml", "handlers.ts: evolve returned a Promise", "4:22"],
  ])("%s: exit 2 naming the spec line and what to change", async (spec, message, at) => {
    const io = memoryIO(dir);
    expect(await main(["check", spec], io)).toBe(2);
    expect(io.out).toBe("");
    expect(io.err).toContain(`${spec}:${at}: ${message} (an async handler)`);
    expect(io.err).toContain("without async or await");
    expect(io.err).not.toMatch(/\n\s+at /);
  });

  it("is rejected by checkSystem as bad input", async () => {
    await expect(checkSystem(`${dir}handle.yaml`, { runs: 20 })).rejects.toBeInstanceOf(ArchverifyError);
  });
});
