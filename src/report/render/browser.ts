// Finding and starting a headless Chromium for Mermaid rendering and the HTML
// report tests. Nothing is downloaded: a system browser (Debian's chromium,
// Chrome) or one puppeteer installed itself on a machine with internet.
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { ArchverifyError } from "../../errors.js";

/** What the renderer imports from puppeteer-core (structurally, so the dependency stays optional). */
export interface BrowserLike {
  newPage(): Promise<PageLike>;
  close(): Promise<void>;
}

export interface PageLike {
  setContent(html: string, options?: { waitUntil?: "load" | "domcontentloaded" }): Promise<unknown>;
  addScriptTag(options: { path?: string; content?: string }): Promise<unknown>;
  evaluate<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R>;
  goto(url: string, options?: { waitUntil?: "load" | "domcontentloaded" }): Promise<unknown>;
  close(): Promise<void>;
}

/** The flags every launch uses: headless, no sandbox (root in containers), no network chatter. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

const SYSTEM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
const SYSTEM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: Record<string, string | undefined>): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    if (executable(file)) return file;
  }
  return undefined;
}

export interface BrowserCandidate {
  /** Where the candidate came from, for the error message. */
  source: string;
  path: string;
}

/** Where to look (tests narrow it down). */
export interface BrowserSearch {
  systemPaths: readonly string[];
  names: readonly string[];
  /** Ask puppeteer for the browser it downloaded itself. */
  puppeteer: boolean;
}

export const DEFAULT_SEARCH: BrowserSearch = { systemPaths: SYSTEM_PATHS, names: SYSTEM_NAMES, puppeteer: true };

const EXPLICIT = ["PUPPETEER_EXECUTABLE_PATH", "CHROMIUM_PATH"] as const;

/** The candidates in the order they are tried. */
export async function browserCandidates(env: Record<string, string | undefined>, search: BrowserSearch = DEFAULT_SEARCH): Promise<BrowserCandidate[]> {
  const out: BrowserCandidate[] = [];
  for (const name of EXPLICIT) if (env[name]) out.push({ source: name, path: env[name]! });
  for (const p of search.systemPaths) out.push({ source: "system", path: p });
  for (const n of search.names) {
    const p = onPath(n, env);
    if (p) out.push({ source: "PATH", path: p });
  }
  const own = search.puppeteer ? await puppeteersOwnBrowser() : undefined;
  if (own) out.push({ source: "puppeteer's own browser", path: own });
  return out;
}

async function puppeteersOwnBrowser(): Promise<string | undefined> {
  try {
    const mod = (await import("puppeteer")) as { default?: { executablePath(): string } };
    return mod.default?.executablePath();
  } catch {
    return undefined;
  }
}

/**
 * The first candidate that exists and is executable; undefined when none. A browser named by
 * PUPPETEER_EXECUTABLE_PATH or CHROMIUM_PATH must exist: a wrong setting is an error, not a
 * reason to quietly use another browser.
 */
export async function findBrowser(env: Record<string, string | undefined>, search: BrowserSearch = DEFAULT_SEARCH): Promise<string | undefined> {
  for (const name of EXPLICIT) {
    const path = env[name];
    if (path && !(existsSync(path) && executable(path))) {
      throw new ArchverifyError("environment", `${name} is ${path}, which is not an executable browser`, {
        expected: "the path of a Chromium or Chrome executable",
        hint: `Fix or unset ${name}`,
      });
    }
  }
  for (const c of await browserCandidates(env, search)) if (existsSync(c.path) && executable(c.path)) return c.path;
  return undefined;
}

export function noBrowserError(): ArchverifyError {
  return new ArchverifyError("environment", "no Chromium or Chrome found to render Mermaid diagrams", {
    expected: "a browser at PUPPETEER_EXECUTABLE_PATH or CHROMIUM_PATH, /usr/bin/chromium, chromium-browser or google-chrome on PATH, or puppeteer's own download",
    hint: "Install one (Debian/Ubuntu: apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation) or set CHROMIUM_PATH; without --render the Markdown's ```mermaid blocks need no browser",
  });
}

type Launch = (options: { executablePath: string; args: string[]; headless: boolean }) => Promise<BrowserLike>;

async function puppeteerLaunch(): Promise<Launch> {
  try {
    const mod = (await import("puppeteer-core")) as unknown as { default: { launch: Launch } };
    return (options) => mod.default.launch(options);
  } catch (cause) {
    throw new ArchverifyError("environment", "rendering needs the puppeteer-core package, which is not installed", {
      cause,
      hint: "npm install --save-dev puppeteer@24 mermaid@11 (puppeteer brings puppeteer-core)",
    });
  }
}

/** Starts a headless browser; an environment error (exit 2) when none is found. */
export async function launchBrowser(env: Record<string, string | undefined>, search: BrowserSearch = DEFAULT_SEARCH): Promise<BrowserLike> {
  const path = await findBrowser(env, search);
  if (!path) throw noBrowserError();
  const launch = await puppeteerLaunch();
  try {
    return await launch({ executablePath: path, args: [...CHROMIUM_FLAGS], headless: true });
  } catch (cause) {
    throw new ArchverifyError("environment", `the browser at ${path} did not start: ${(cause as Error).message.split("\n")[0]}`, {
      cause,
      hint: "Set CHROMIUM_PATH to a working Chromium or Chrome",
    });
  }
}
