// The render page's fast getConfig (src/report/render/page/config-copy.js)
// must return exactly what mermaid's own `assignWithDepth({}, currentConfig)`
// returns: same keys in the same order, same values, fresh objects where
// mermaid's copy has fresh ones, shared ones where it shares. The oracle is
// mermaid's assignWithDepth itself, taken from the installed bundle's readable
// build; both run in one vm context, as they would in the page.
import { fc, it as fcIt } from "@fast-check/vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { patchBundle, patches } from "../../src/report/render/mermaid-dist.js";

const require = createRequire(import.meta.url);
const readable = readFileSync(require.resolve("mermaid/dist/mermaid.js"), "utf8");
const configCopyJs = readFileSync(new URL("../../src/report/render/page/config-copy.js", import.meta.url), "utf8");

/** mermaid's assignWithDepth, as written in its readable bundle. */
const assignSource = /assignWithDepth = \/\* @__PURE__ \*\/ __name\(([\s\S]*?), "assignWithDepth"\);/.exec(readable)?.[1];

type Assign = (dst: unknown, src: unknown, options?: { depth?: number }) => unknown;
interface Status {
  mode: string;
  reason: string;
  compiled: number;
  fastCalls: number;
  slowCalls: number;
}
type GetConfig = ((source: unknown, assign: Assign) => Record<string, unknown>) & { status(): Status };

/**
 * A fresh page-like context: mermaid's assignWithDepth and the fast copy, loaded side by side;
 * `mermaidCopy` is mermaid's getConfig body (its `{}` must come from the same realm).
 */
function page(): { assign: Assign; getConfig: GetConfig; mermaidCopy: (source: unknown) => unknown } {
  return runInNewContext(
    `var __name = (f) => f; var assignWithDepth = ${assignSource}; ${configCopyJs};
     ({ assign: assignWithDepth, getConfig: __archverifyConfigCopy, mermaidCopy: (s) => assignWithDepth({}, s) })`,
  ) as { assign: Assign; getConfig: GetConfig; mermaidCopy: (source: unknown) => unknown };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * Why `got` is not the same copy as `want` (mermaid's), or undefined. Down to level 2 objects
 * and arrays must be fresh (not the source's, not the other copy's); below, values are shared.
 */
function difference(got: unknown, want: unknown, source: unknown, level = 0, path = "$"): string | undefined {
  if (!isObj(got) || !isObj(want)) return Object.is(got, want) ? undefined : `${path}: ${String(got)} vs ${String(want)}`;
  if (level > 2) return got === want ? undefined : `${path}: not the shared object`;
  if (got === want || got === source) return `${path}: shared, expected a fresh copy`;
  if (Array.isArray(got) !== Array.isArray(want)) return `${path}: array vs object`;
  if (Object.getPrototypeOf(got) !== Object.getPrototypeOf(want)) return `${path}: prototype differs`;
  const kg = Reflect.ownKeys(got);
  const kw = Reflect.ownKeys(want);
  if (kg.length !== kw.length || kg.some((k, i) => k !== kw[i])) return `${path}: keys ${kg.map(String).join(",")} vs ${kw.map(String).join(",")}`;
  for (const k of kw) {
    const dg = Object.getOwnPropertyDescriptor(got, k)!;
    const dw = Object.getOwnPropertyDescriptor(want, k)!;
    if (dg.enumerable !== dw.enumerable || dg.writable !== dw.writable || dg.configurable !== dw.configurable) return `${path}.${String(k)}: attributes differ`;
    const inner = difference(dg.value, dw.value, isObj(source) ? (source as Record<PropertyKey, unknown>)[k] : undefined, level + 1, `${path}.${String(k)}`);
    if (inner) return inner;
  }
  return undefined;
}

// Config-like values: a few key names (so shapes repeat), primitives, null, undefined,
// functions (mermaid's c4 fonts), arrays with duplicates, objects nested deeper than the copy.
const fn = () => 1;
const key = fc.constantFrom("flowchart", "themeVariables", "fontSize", "secure", "a", "b", "c", "0", "x-y");
const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(fn), fc.constant(Number.NaN));
const { value: configValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(fc.oneof(leaf, fc.constantFrom(1, 1, "a")), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 5 }),
  ),
}));
const config = fc.dictionary(key, configValue, { maxKeys: 7 });

describe("the fast getConfig copy", () => {
  it("finds mermaid's assignWithDepth to test against", () => {
    expect(assignSource).toBeDefined();
    const { mermaidCopy } = page();
    const src = { a: { b: { c: { d: 1 } } }, n: null };
    const copy = mermaidCopy(src) as typeof src;
    expect(copy).toEqual({ a: { b: { c: { d: 1 } } } });
    expect(copy.a.b).not.toBe(src.a.b);
    expect(copy.a.b.c).toBe(src.a.b.c);
  });

  fcIt.prop([fc.array(config, { minLength: 1, maxLength: 4 }), fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 4 })], { numRuns: 150 })(
    "returns exactly mermaid's copy, call after call, config after config",
    (configs, callsPer) => {
      const { assign, getConfig, mermaidCopy } = page();
      configs.forEach((source, i) => {
        const calls = (callsPer[i % callsPer.length] ?? 0) + 2;
        for (let c = 0; c < calls; c++) {
          const got = getConfig(source, assign);
          const why = difference(got, mermaidCopy(source), source);
          if (why) throw new Error(`config ${i}, call ${c}: ${why}`);
          // A caller may change its copy; no later copy may see it.
          got.mutated = true;
          for (const v of Object.values(got)) if (isObj(v) && !Object.isFrozen(v)) (v as Record<string, unknown>).mutated = true;
        }
      });
      const status = getConfig.status();
      expect(status.mode, status.reason).toBe("fast");
      expect(status.fastCalls).toBeGreaterThan(0);
    },
  );

  it("copies the second and later calls of a config with the compiled copier", () => {
    const { assign, getConfig, mermaidCopy } = page();
    const source = { flowchart: { htmlLabels: false, list: [1, 1, 2], deep: { x: 1 } }, themeVariables: { primaryColor: "#fff" }, fontSize: 16 };
    for (let i = 0; i < 5; i++) expect(difference(getConfig(source, assign), mermaidCopy(source), source)).toBeUndefined();
    expect(getConfig.status()).toMatchObject({ mode: "fast", compiled: 1, fastCalls: 4, slowCalls: 1 });
    // Same shape, new object: no new compilation.
    const next = { ...source, fontSize: 12 };
    for (let i = 0; i < 3; i++) expect(getConfig(next, assign).fontSize).toBe(12);
    expect(getConfig.status()).toMatchObject({ compiled: 1, fastCalls: 6 });
  });

  it("leaves shapes it does not copy exactly to mermaid, and still returns mermaid's copy", () => {
    const { assign, getConfig, mermaidCopy } = page();
    const odd: Record<PropertyKey, unknown> = { a: { b: { [Symbol("s")]: 1, c: 2 } } };
    Object.defineProperty(odd, "__proto__", { value: { p: 1 }, enumerable: true, writable: true, configurable: true });
    for (let i = 0; i < 3; i++) expect(difference(getConfig(odd, assign), mermaidCopy(odd), odd)).toBeUndefined();
    const status = getConfig.status();
    expect(status.fastCalls).toBe(0);
    expect(status.reason).toMatch(/left to mermaid/);
  });

  it("falls back to mermaid's copy for good when its self-check fails", () => {
    const { assign, getConfig } = page();
    // An assign that disagrees with itself between calls: the check against it must catch that.
    let n = 0;
    const flaky: Assign = (dst, src, o) => {
      const r = assign(dst, src, o) as Record<string, unknown>;
      if (++n === 3) r.extra = 1;
      return r;
    };
    const source = { a: { b: 1 } };
    for (let i = 0; i < 4; i++) getConfig(source, flaky);
    expect(getConfig.status()).toMatchObject({ mode: "mermaid", fastCalls: 0 });
    expect(getConfig.status().reason).toMatch(/self-check failed/);
  });
});

describe("patching mermaid's bundle", () => {
  const bundle = 'var a=1;Lt=s(()=>ii({},$x),"getConfig"),xr=s((e,t)=>e&&(t.dompurifyConfig?e=ao.sanitize(lJ(e,t),t.dompurifyConfig).toString():e=ao.sanitize(lJ(e,t),{FORBID_TAGS:["style"]}).toString(),e),"sanitizeText");';
  const stub = patches((file) => `/*${file}*/`);
  it("routes getConfig and sanitizeText's default branch through the helpers, keeping mermaid's own functions", () => {
    const r = patchBundle(bundle, "11.17.2", stub);
    expect(r.applied).toEqual(["config-copy", "plain-text"]);
    expect(r.skipped).toEqual([]);
    expect(r.text).toBe(
      '/*config-copy.js*/\n/*plain-text.js*/\nvar a=1;Lt=s(()=>__archverifyConfigCopy($x,ii),"getConfig"),xr=s((e,t)=>e&&(t.dompurifyConfig?e=ao.sanitize(lJ(e,t),t.dompurifyConfig).toString():e=__archverifySanitizeText(ao,lJ(e,t)),e),"sanitizeText");',
    );
  });
  it("leaves another major version unchanged, and skips a patch whose expression is not there exactly once", () => {
    const other = patchBundle(bundle, "12.0.0", stub);
    expect(other.text).toBe(bundle);
    expect(other.skipped.map((s) => s.reason)).toEqual(["mermaid 12.0.0 is not 11.x", "mermaid 12.0.0 is not 11.x"]);
    const twice = 'Lt=s(()=>ii({},$x),"getConfig");Lu=s(()=>ii({},$y),"getConfig");';
    const r = patchBundle(twice, "11.17.2", stub);
    expect(r.text).toBe(twice);
    expect(r.skipped).toEqual([
      { name: "config-copy", reason: "its expression occurs 2 times in mermaid 11.17.2's bundle, expected once" },
      { name: "plain-text", reason: "its expression occurs 0 times in mermaid 11.17.2's bundle, expected once" },
    ]);
  });
  it("applies both patches to the installed bundle", () => {
    const installed = readFileSync(require.resolve("mermaid/dist/mermaid.min.js"), "utf8");
    const version = (JSON.parse(readFileSync(require.resolve("mermaid/package.json"), "utf8")) as { version: string }).version;
    const r = patchBundle(installed, version);
    expect(r.applied).toEqual(["config-copy", "plain-text"]);
    expect(r.text.split("__archverifyConfigCopy(").length).toBe(2);
    expect(r.text.split("__archverifySanitizeText(").length).toBe(2);
  });
});
