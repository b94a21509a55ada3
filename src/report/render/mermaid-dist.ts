// The Mermaid script the render page loads: mermaid's own browser bundle,
// with its getConfig() sped up (see page/config-copy.js for why and how).
// The patch is one textual replacement in the minified bundle. It is applied
// only to the Mermaid major version it was written for, only when the
// replaced expression occurs exactly once, and the page checks the fast copy
// against mermaid's own at run time; otherwise the bundle loads unchanged.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ArchverifyError } from "../../errors.js";

/** Mermaid major versions whose config module the patch was checked against (11.17.2). */
const PATCHED_MAJOR = 11;

/**
 * `getConfig=s(()=>ii({},$x),"getConfig")` in the minified bundle: esbuild's keep-names
 * wrapper around `() => assignWithDepth({}, currentConfig)`. Groups: the binding, the
 * name wrapper, assignWithDepth, currentConfig (minified names change between releases).
 */
const GET_CONFIG = /([\w$]+)=([\w$]+)\(\(\)=>([\w$]+)\(\{\},([\w$]+)\),"getConfig"\)/g;

export interface MermaidScript {
  /** The script text to inject into the page. */
  text: string;
  version: string;
  /** Whether getConfig was replaced by the fast copy, and if not why. */
  patch: { applied: true } | { applied: false; reason: string };
}

const CONFIG_COPY = join(import.meta.dirname, "page", "config-copy.js");

/** The bundle's text with getConfig routed through `__archverifyConfigCopy`, or why not. */
export function patchGetConfig(bundle: string, version: string, configCopy: string): MermaidScript {
  const major = Number(version.split(".")[0]);
  if (major !== PATCHED_MAJOR) return { text: bundle, version, patch: { applied: false, reason: `mermaid ${version} is not ${PATCHED_MAJOR}.x` } };
  const matches = [...bundle.matchAll(GET_CONFIG)];
  if (matches.length !== 1) return { text: bundle, version, patch: { applied: false, reason: `getConfig found ${matches.length} times in mermaid ${version}'s bundle, expected once` } };
  const m = matches[0]!;
  const [, binding, wrap, assign, current] = m;
  const replaced = `${binding}=${wrap}(()=>__archverifyConfigCopy(${current},${assign}),"getConfig")`;
  const text = `${configCopy}\n${bundle.slice(0, m.index)}${replaced}${bundle.slice(m.index! + m[0].length)}`;
  return { text, version, patch: { applied: true } };
}

function mermaidPackageDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve("mermaid/package.json"));
  } catch (cause) {
    throw new ArchverifyError("environment", "rendering needs the mermaid package, which is not installed", {
      cause,
      hint: "npm install --save-dev mermaid@11 puppeteer@24",
    });
  }
}

let cached: { fast: boolean; script: MermaidScript } | undefined;

/**
 * Mermaid's browser bundle, patched unless `fast` is false (ARCHVERIFY_MERMAID_UNPATCHED=1
 * turns the patch off too, to compare or to rule it out).
 */
export function mermaidScript(options: { fast?: boolean; env?: Record<string, string | undefined> } = {}): MermaidScript {
  const fast = options.fast !== false && !options.env?.ARCHVERIFY_MERMAID_UNPATCHED;
  if (cached?.fast === fast) return cached.script;
  const dir = mermaidPackageDir();
  const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
  const bundle = readFileSync(join(dir, "dist", "mermaid.min.js"), "utf8");
  const script = fast ? patchGetConfig(bundle, version, readFileSync(CONFIG_COPY, "utf8")) : { text: bundle, version, patch: { applied: false as const, reason: "turned off" } };
  cached = { fast, script };
  return script;
}
