// Reads `{ sources: string[] }` as JSON on stdin, renders each with one
// browser page, and writes `{ svgs }` (null for a diagram that failed) or
// `{ unavailable: message }` (no browser, no puppeteer) as JSON on stdout.
import { isUserError } from "../../errors.js";
import { renderMany } from "./mermaid.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const { sources } = JSON.parse(await readStdin()) as { sources: string[] };
let out: { svgs: Array<string | null> } | { unavailable: string };
try {
  const results = await renderMany(sources, process.env);
  out = { svgs: results.map((r) => (r.ok ? r.svg : null)) };
} catch (error) {
  if (!isUserError(error)) throw error;
  out = { unavailable: error.message };
}
process.stdout.write(JSON.stringify(out));
