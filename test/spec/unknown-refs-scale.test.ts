// Many unknown references cost about what the spec costs to load: the list of
// known names and the "did you mean" search are paid for the shown problems
// only, over an index built once (it was a sort of every name per unknown name).
import { describe, expect, it } from "vitest";
import { ArchverifyErrors } from "../../src/errors.js";
import { loadSpecText } from "../../src/spec/load.js";

const N = 10_000;

function spec(target: (i: number) => string): string {
  const lines = ["archverify: 1", "services:"];
  for (let i = 0; i < N; i++) lines.push(`  service-${i}: { calls: [ { to: ${target(i)} } ] }`);
  return `${lines.join("\n")}\n`;
}

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe("a spec where every service calls an unknown name", () => {
  it("loads in a small multiple of the time of the same spec without the errors", () => {
    const valid = spec((i) => `service-${(i + 1) % N}`);
    const typos = spec((i) => `servcie-${i}`);
    loadSpecText(valid, "warm-up.yaml");
    const clean = cpuMs(() => loadSpecText(valid, "valid.yaml"));
    let error: unknown;
    const failing = cpuMs(() => {
      try {
        loadSpecText(typos, "typos.yaml");
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(ArchverifyErrors);
    const first = (error as ArchverifyErrors).errors[0];
    expect(first?.message).toBe('service "service-0" calls unknown service "servcie-0"');
    expect(first?.expected).toBe("a name defined under `services:` (10000 are defined)");
    expect(first?.hint).toBe('did you mean "service-0"?');
    // Sorting every name per unknown reference and scanning them all per hint made this about 15x.
    expect(failing).toBeLessThan(4 * clean + 500);
  });
});
