// The Mermaid script the render page loads: mermaid's own browser bundle,
// with two of its hot spots sped up (profiled with `npm run bench:render`):
//
// - config-copy: getConfig() deep-copies ~900 config values on each of the
//   hundreds of calls per diagram (page/config-copy.js);
// - plain-text: sanitizeText() makes DOMPurify re-parse its config for every
//   label, even one without markup (page/plain-text.js).
//
// Each is one textual replacement in the minified bundle, applied only to the
// Mermaid major version it was written for and only when the replaced
// expression occurs exactly once; the page also checks the config copy
// against mermaid's own at run time. Otherwise the bundle loads unchanged
// (slower, same output). The tests render every golden diagram with and
// without the patches and require byte-identical SVG.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ArchverifyError } from "../../errors.js";

/** The Mermaid major version the patches were written and checked against (11.17.2). */
const PATCHED_MAJOR = 11;

interface Patch {
  name: "config-copy" | "plain-text";
  /** Script defining the helper the replacement calls. */
  helper: string;
  /** Must match exactly once in the minified bundle (its minified names change between releases). */
  pattern: RegExp;
  replace(match: RegExpExecArray): string;
}

const PAGE = join(import.meta.dirname, "page");

/** The patches, with their helper scripts read from `page/`. */
export function patches(readHelper: (file: string) => string = (f) => readFileSync(join(PAGE, f), "utf8")): Patch[] {
  return [
    {
      name: "config-copy",
      helper: readHelper("config-copy.js"),
      // getConfig=s(()=>ii({},$x),"getConfig"): esbuild's keep-names wrapper around
      // `() => assignWithDepth({}, currentConfig)`.
      pattern: /([\w$]+)=([\w$]+)\(\(\)=>([\w$]+)\(\{\},([\w$]+)\),"getConfig"\)/g,
      replace: ([, binding, wrap, assign, current]) => `${binding}=${wrap}(()=>__archverifyConfigCopy(${current},${assign}),"getConfig")`,
    },
    {
      name: "plain-text",
      helper: readHelper("plain-text.js"),
      // The default branch of sanitizeText: e=ao.sanitize(lJ(e,t),{FORBID_TAGS:["style"]}).toString()
      // (a user's dompurifyConfig keeps going to DOMPurify directly).
      pattern: /([\w$]+)=([\w$]+)\.sanitize\(([\w$]+)\(\1,([\w$]+)\),\{FORBID_TAGS:\["style"\]\}\)\.toString\(\)/g,
      replace: ([, text, purify, more, config]) => `${text}=__archverifySanitizeText(${purify},${more}(${text},${config}))`,
    },
  ];
}

export type PatchName = Patch["name"];

export interface MermaidScript {
  /** The script text to inject into the page. */
  text: string;
  version: string;
  /** Whether the label-entity fix applies (see labelEntityFix); the renderer decodes the SVG itself when not. */
  labelEntities: boolean;
  /** The patches applied, and why any other was not. */
  applied: PatchName[];
  skipped: Array<{ name: PatchName; reason: string }>;
}

/** The bundle with every patch that applies to it; each patch that does not is listed with the reason. */
export function patchBundle(bundle: string, version: string, list: readonly Patch[] = patches()): MermaidScript {
  const major = Number(version.split(".")[0]);
  if (major !== PATCHED_MAJOR) return { text: bundle, version, labelEntities: false, applied: [], skipped: list.map((p) => ({ name: p.name, reason: `mermaid ${version} is not ${PATCHED_MAJOR}.x` })) };
  let text = bundle;
  const helpers: string[] = [];
  const applied: PatchName[] = [];
  const skipped: MermaidScript["skipped"] = [];
  for (const p of list) {
    const matches = [...text.matchAll(p.pattern)];
    if (matches.length !== 1) {
      skipped.push({ name: p.name, reason: `its expression occurs ${matches.length} times in mermaid ${version}'s bundle, expected once` });
      continue;
    }
    const m = matches[0]!;
    text = text.slice(0, m.index) + p.replace(m) + text.slice(m.index + m[0].length);
    helpers.push(p.helper);
    applied.push(p.name);
  }
  return { text: helpers.length ? `${helpers.join("\n")}\n${text}` : text, version, labelEntities: false, applied, skipped };
}

/**
 * Not a speed-up but a fix, applied with or without the patches: Mermaid's SVG-text labels
 * decode only &amp;, &lt; and &gt; (its decodeHTMLEntities), so the entity codes archverify
 * writes for quotes, `#`, backticks and the like would show as "&quot;", "&#35;". The fix
 * swaps that decoder for page/label-entities.js (one pass over every entity), before Mermaid
 * measures and wraps the words. Applied only when the decoder occurs exactly once.
 */
export function labelEntityFix(script: MermaidScript, readHelper: (file: string) => string = (f) => readFileSync(join(PAGE, f), "utf8")): MermaidScript {
  const decoder = /function ([\w$]+)\(([\w$]+)\)\{let ([\w$]+)=\/&\(amp\|lt\|gt\);\/g;return \2\.replace\(\3,\(([\w$]+),([\w$]+)\)=>\{switch\(\5\)\{case"amp":return"&";case"lt":return"<";case"gt":return">";default:return \4\}\}\)\}/g;
  const matches = [...script.text.matchAll(decoder)];
  if (matches.length !== 1) return { ...script, labelEntities: false };
  const m = matches[0]!;
  const text = `${script.text.slice(0, m.index)}function ${m[1]}(${m[2]}){return __archverifyDecodeLabel(${m[2]})}${script.text.slice(m.index + m[0].length)}`;
  return { ...script, text: `${readHelper("label-entities.js")}\n${text}`, labelEntities: true };
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

const cached = new Map<boolean, MermaidScript>();

/**
 * Mermaid's browser bundle, patched unless `fast` is false (ARCHVERIFY_MERMAID_UNPATCHED=1
 * turns the patches off too, to compare or to rule them out).
 */
export function mermaidScript(options: { fast?: boolean; env?: Record<string, string | undefined> } = {}): MermaidScript {
  const fast = options.fast !== false && !options.env?.ARCHVERIFY_MERMAID_UNPATCHED;
  const hit = cached.get(fast);
  if (hit) return hit;
  const dir = mermaidPackageDir();
  const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
  const bundle = readFileSync(join(dir, "dist", "mermaid.min.js"), "utf8");
  const script = labelEntityFix(fast ? patchBundle(bundle, version) : { text: bundle, version, labelEntities: false, applied: [], skipped: [] });
  cached.set(fast, script);
  return script;
}
