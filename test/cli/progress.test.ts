// The progress line: drawn in place on a terminal, silent in CI and in pipes.
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.js";
import { createProgress, progressEnabled } from "../../src/cli/progress.js";

const tty = (env: Record<string, string | undefined> = {}) => {
  const io = memoryIO("/", env);
  io.isTTY = true;
  return io;
};

describe("progress line", () => {
  it("is on for a terminal, off in CI, in pipes, on dumb terminals and with NO_PROGRESS", () => {
    expect(progressEnabled(tty())).toBe(true);
    expect(progressEnabled(tty({ CI: "true" }))).toBe(false);
    expect(progressEnabled(tty({ CI: "1" }))).toBe(false);
    expect(progressEnabled(tty({ CI: "false" }))).toBe(true);
    expect(progressEnabled(tty({ TERM: "dumb" }))).toBe(false);
    expect(progressEnabled(tty({ NO_PROGRESS: "1" }))).toBe(false);
    expect(progressEnabled(memoryIO("/"))).toBe(false);
  });

  it("rewrites one line on stderr, truncated to the width, throttled, and clears it when done", () => {
    const io = tty();
    let now = 0;
    const p = createProgress(io, { columns: 20, intervalMs: 100, now: () => now });
    p.update("convergence: scenario 1/7 happy-path: 250/1000 runs");
    now = 50;
    p.update("skipped: too soon");
    now = 150;
    p.update("short\nline");
    p.done();
    p.done();
    expect(io.out).toBe("");
    expect(io.err).toBe("\r\x1b[2Kconvergence: scena…\r\x1b[2Kshort line\r\x1b[2K");
  });

  it("writes nothing when disabled", () => {
    const io = memoryIO("/", { CI: "true" });
    const p = createProgress(io);
    p.update("anything");
    p.done();
    expect(p.enabled).toBe(false);
    expect(io.err).toBe("");
  });
});
