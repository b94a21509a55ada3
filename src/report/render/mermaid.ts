// Mermaid in one browser page: mermaid's dist is loaded once, then every
// diagram is one `mermaid.render` call (tens of ms) instead of one mmdc
// process or one page per diagram (0.7-2.8 s each, see STACK.md). The dist's
// config copying is sped up (mermaid-dist.ts); `npm run bench:render` measures.
import { ArchverifyError } from "../../errors.js";
import { launchBrowser, type BrowserLike, type PageLike } from "./browser.js";
import { decodeLabelEntities } from "./label-entities.js";
import { mermaidScript, type MermaidScript } from "./mermaid-dist.js";

/** What the page's speed-ups did so far (undefined: that patch was not applied). */
export interface PatchStatus {
  configCopy?: {
    mode: "fast" | "mermaid";
    reason: string;
    /** Config shapes compiled and checked against mermaid's own copy. */
    compiled: number;
    fastCalls: number;
    slowCalls: number;
  };
  plainText?: { shortcut: number; purified: number };
}

export type RenderResult = { ok: true; svg: string } | { ok: false; error: string };

interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
  parse(text: string): Promise<unknown>;
}

export class MermaidRenderer {
  private count = 0;
  private constructor(
    private readonly browser: BrowserLike,
    private readonly page: PageLike,
    private readonly ownsBrowser: boolean,
    /** Mermaid's version and the speed-ups applied to its bundle. */
    readonly script: Pick<MermaidScript, "version" | "applied" | "skipped" | "labelEntities">,
  ) {}

  /**
   * Starts (or reuses) a browser and loads mermaid into one page. `fast: false` loads
   * mermaid's bundle unchanged (the bench and the tests compare both).
   */
  static async open(options: { env: Record<string, string | undefined>; browser?: BrowserLike; fast?: boolean }): Promise<MermaidRenderer> {
    const script = mermaidScript({ env: options.env, ...(options.fast === undefined ? {} : { fast: options.fast }) });
    const browser = options.browser ?? (await launchBrowser(options.env));
    try {
      const page = await browser.newPage();
      await page.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
      await page.addScriptTag({ content: script.text });
      // Deterministic layout and no HTML labels: the SVG is then plain text nodes (foreignObject
      // labels would need a browser to read), and a diagram renders the same on every run
      // (handDrawnSeed: the shapes' outlines are drawn by rough.js, randomly unless seeded).
      await page.evaluate(() => {
        (globalThis as unknown as { mermaid: MermaidApi }).mermaid.initialize({
          startOnLoad: false,
          securityLevel: "strict",
          // Large systems: mermaid's defaults (50k characters, 500 edges) refuse big topologies.
          maxTextSize: 5_000_000,
          maxEdges: 100_000,
          deterministicIds: true,
          htmlLabels: false,
          flowchart: { htmlLabels: false },
          theme: "default",
          handDrawnSeed: 1,
        });
      });
      return new MermaidRenderer(browser, page, !options.browser, { version: script.version, applied: script.applied, skipped: script.skipped, labelEntities: script.labelEntities });
    } catch (error) {
      if (!options.browser) await browser.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * One diagram to SVG; a syntax error comes back as `{ ok: false }`, not an exception.
   * `id` becomes the SVG's id (and its markers' prefix): unique among diagrams shown together.
   */
  async render(source: string, id = `diagram${this.count++}`): Promise<RenderResult> {
    const result = await this.page.evaluate(
      async (id: string, text: string): Promise<RenderResult> => {
        const m = (globalThis as unknown as { mermaid: MermaidApi }).mermaid;
        try {
          const { svg } = await m.render(id, text);
          return { ok: true, svg };
        } catch (e) {
          // A failed render leaves its scratch element behind; remove it so the page stays small.
          const doc = (globalThis as unknown as { document: { getElementById(id: string): { remove(): void } | null } }).document;
          doc.getElementById(`d${id}`)?.remove();
          return { ok: false, error: e instanceof Error ? e.message : String(e) };
        }
      },
      id,
      source,
    );
    // Without the in-page fix (another Mermaid), decode what its labels left coded afterwards.
    return result.ok && !this.script.labelEntities ? { ok: true, svg: decodeLabelEntities(result.svg) } : result;
  }

  /** How the speed-ups ran in the page: the config copy's mode and call counts, labels that skipped DOMPurify. */
  async patchStatus(): Promise<PatchStatus> {
    return this.page.evaluate((): PatchStatus => {
      type Helper<T> = { status(): T } | undefined;
      const g = globalThis as unknown as { __archverifyConfigCopy: Helper<PatchStatus["configCopy"]>; __archverifySanitizeText: Helper<PatchStatus["plainText"]> };
      const out: PatchStatus = {};
      if (g.__archverifyConfigCopy) out.configCopy = g.__archverifyConfigCopy.status();
      if (g.__archverifySanitizeText) out.plainText = g.__archverifySanitizeText.status();
      return out;
    });
  }

  /** Mermaid's own parser on one diagram: undefined when it parses, else the error. */
  async parse(source: string): Promise<string | undefined> {
    return this.page.evaluate(async (text: string): Promise<string | undefined> => {
      const m = (globalThis as unknown as { mermaid: MermaidApi }).mermaid;
      try {
        await m.parse(text);
        return undefined;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    }, source);
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
    if (this.ownsBrowser) await this.browser.close();
  }
}

/** From this many diagrams on, renderMany uses POOL_PAGES pages. */
export const POOL_FROM = 8;
/**
 * Pages rendering side by side in one browser: each page's renderer is one thread, and two
 * render 60 diagrams in ~0.6 of the time on two cores (npm run bench:render). A fixed number,
 * not the machine's core count: mermaid numbers some SVG ids by what its page rendered before,
 * so the same diagrams must be dealt to the same pages on every machine for the same SVGs.
 */
export const POOL_PAGES = 2;

export interface PoolOptions {
  /** Use this browser instead of launching one. */
  browser?: BrowserLike;
  /** false: mermaid's bundle unchanged. */
  fast?: boolean;
}

/**
 * Several renderer pages in one browser. `render` deals diagram i to page i mod pages, each
 * page drawing its share in input order as `diagram<i>`, so the output does not depend on timing.
 */
export class MermaidPool {
  private constructor(
    private readonly browser: BrowserLike,
    private readonly renderers: MermaidRenderer[],
    private readonly ownsBrowser: boolean,
  ) {}

  static async open(env: Record<string, string | undefined>, pages: number, options: PoolOptions = {}): Promise<MermaidPool> {
    const browser = options.browser ?? (await launchBrowser(env));
    const opened = await Promise.allSettled(Array.from({ length: Math.max(1, pages) }, () => MermaidRenderer.open({ env, browser, ...(options.fast === undefined ? {} : { fast: options.fast }) })));
    const renderers = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    const failed = opened.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failed) {
      await Promise.all(renderers.map((r) => r.close()));
      if (!options.browser) await browser.close().catch(() => undefined);
      throw failed.reason;
    }
    return new MermaidPool(browser, renderers, !options.browser);
  }

  get pages(): number {
    return this.renderers.length;
  }

  /** Every diagram to SVG (or its error), in input order. */
  async render(sources: readonly string[]): Promise<RenderResult[]> {
    const out = new Array<RenderResult>(sources.length);
    const n = this.renderers.length;
    await Promise.all(
      this.renderers.map(async (r, page) => {
        for (let i = page; i < sources.length; i += n) out[i] = await r.render(sources[i]!, `diagram${i}`);
      }),
    );
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.renderers.map((r) => r.close()));
    if (this.ownsBrowser) await this.browser.close().catch(() => undefined);
  }
}

/** Renders every diagram with one browser, POOL_PAGES pages from POOL_FROM diagrams on; results in input order. */
export async function renderMany(sources: readonly string[], env: Record<string, string | undefined>, options: PoolOptions & { pages?: number } = {}): Promise<RenderResult[]> {
  if (sources.length === 0) return [];
  const pages = Math.min(options.pages ?? (sources.length >= POOL_FROM ? POOL_PAGES : 1), sources.length);
  const pool = await MermaidPool.open(env, pages, options);
  try {
    return await pool.render(sources);
  } finally {
    await pool.close();
  }
}

/** Renders every diagram (see renderMany); throws a user error when a diagram does not render. */
export async function renderAll(sources: ReadonlyArray<{ name: string; source: string }>, env: Record<string, string | undefined>): Promise<string[]> {
  const results = await renderMany(
    sources.map((s) => s.source),
    env,
  );
  return results.map((r, i) => {
    if (!r.ok) throw new ArchverifyError("input", `Mermaid could not render diagram ${sources[i]!.name}: ${r.error.split("\n")[0]}`, { hint: "This is a bug in archverify's diagram generation; please report it with the spec" });
    return r.svg;
  });
}
