// Rendering for synchronous callers (a reporter is `(report) => string`): one
// child process runs one browser for all diagrams and answers on stdout. The
// caller falls back to Mermaid source when no browser is available.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export type SyncRenderResult = { svgs: Array<string | undefined> } | { unavailable: string };

const CHILD = fileURLToPath(new URL("./render-child.mjs", import.meta.url));

export function renderSync(sources: readonly string[], env: Record<string, string | undefined>, timeoutMs = 120_000): SyncRenderResult {
  if (sources.length === 0) return { svgs: [] };
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [CHILD], {
      input: JSON.stringify({ sources }),
      env: env as NodeJS.ProcessEnv,
      maxBuffer: 512 * 1024 * 1024,
      timeout: timeoutMs,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    const line = (e.stderr ?? e.message).trim().split("\n").filter(Boolean).at(-1) ?? e.message;
    return { unavailable: `the renderer failed: ${line}` };
  }
  const parsed = JSON.parse(stdout) as { svgs: Array<string | null> } | { unavailable: string };
  if ("unavailable" in parsed) return parsed;
  return { svgs: parsed.svgs.map((s) => s ?? undefined) };
}
