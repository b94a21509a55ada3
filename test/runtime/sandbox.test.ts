import { describe, expect, it } from "vitest";
import { runInSandbox } from "../../src/model/runtime/sandbox.js";
import { ArchverifyError } from "../../src/errors.js";

const busy = new URL("./jobs/busy.ts", import.meta.url).href;
const fails = new URL("./jobs/fails.ts", import.meta.url).href;

describe("runInSandbox", () => {
  it("returns the job's value and relays its posts", async () => {
    const posts: unknown[] = [];
    const result = await runInSandbox(busy, { hangAt: -1, calls: 4 }, { onMessage: (m) => posts.push(m) });
    expect(result).toEqual({ ok: true, value: 10 });
    expect(posts).toEqual([1, 2, 3, 4].map((progress) => ({ progress })));
  });

  it("terminates a busy handler call and names its service and event", async () => {
    const result = await runInSandbox(busy, { hangAt: 3, calls: 5 }, { callTimeoutMs: 100 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.timeout).toMatchObject({ service: "looper", call: 3, event: { type: "Tick", id: "e3" }, timeoutMs: 100 });
  });

  it("re-throws a user error as an ArchverifyError with its location", async () => {
    const error = await runInSandbox(fails, { user: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchverifyError);
    expect(error).toMatchObject({ kind: "input", message: "bad handler", location: { line: 3, column: 5 }, expected: "an object", hint: "export it" });
  });

  it("re-throws an internal error with the worker's output", async () => {
    const error = await runInSandbox(fails, { user: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ArchverifyError);
    expect((error as Error).message).toContain("boom");
    expect((error as Error).message).toContain("noise that must not reach the report");
  });
});
