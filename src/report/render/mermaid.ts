// Mermaid in one browser page: mermaid's dist is loaded once, then every
// diagram is one `mermaid.render` call (tens of ms) instead of one mmdc
// process or one page per diagram (0.7-2.8 s each, see STACK.md). The dist's
// config copying is sped up (mermaid-dist.ts); `npm run bench:render` measures.
import { ArchverifyError } from "../../errors.js";
import { launchBrowser, type BrowserLike, type PageLike } from "./browser.js";
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
    readonly script: Pick<MermaidScript, "version" | "applied" | "skipped">,
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
      return new MermaidRenderer(browser, page, !options.browser, { version: script.version, applied: script.applied, skipped: script.skipped });
    } catch (error) {
      if (!options.browser) await browser.close().catch(() => undefined);
      throw error;
    }
  }

  /** One diagram to SVG; a syntax error comes back as `{ ok: false }`, not an exception. */
  async render(source: string): Promise<RenderResult> {
    const id = `diagram${this.count++}`;
    return this.page.evaluate(
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

/** Renders every diagram with one browser and one page; throws a user error when a diagram does not render. */
export async function renderAll(sources: ReadonlyArray<{ name: string; source: string }>, env: Record<string, string | undefined>): Promise<string[]> {
  const renderer = await MermaidRenderer.open({ env });
  try {
    const out: string[] = [];
    for (const { name, source } of sources) {
      const r = await renderer.render(source);
      if (!r.ok) throw new ArchverifyError("input", `Mermaid could not render diagram ${name}: ${r.error.split("\n")[0]}`, { hint: "This is a bug in archverify's diagram generation; please report it with the spec" });
      out.push(r.svg);
    }
    return out;
  } finally {
    await renderer.close();
  }
}
