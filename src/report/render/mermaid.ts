// Mermaid in one browser page: mermaid's dist is loaded once, then every
// diagram is one `mermaid.render` call (tens of ms) instead of one mmdc
// process or one page per diagram (0.7-2.8 s each, see STACK.md).
import { createRequire } from "node:module";
import { ArchverifyError } from "../../errors.js";
import { launchBrowser, type BrowserLike, type PageLike } from "./browser.js";

export type RenderResult = { ok: true; svg: string } | { ok: false; error: string };

interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
  parse(text: string): Promise<unknown>;
}

function mermaidDist(): string {
  try {
    return createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
  } catch (cause) {
    throw new ArchverifyError("environment", "rendering needs the mermaid package, which is not installed", {
      cause,
      hint: "npm install --save-dev mermaid@11 puppeteer@24",
    });
  }
}

export class MermaidRenderer {
  private count = 0;
  private constructor(
    private readonly browser: BrowserLike,
    private readonly page: PageLike,
    private readonly ownsBrowser: boolean,
  ) {}

  /** Starts (or reuses) a browser and loads mermaid into one page. */
  static async open(options: { env: Record<string, string | undefined>; browser?: BrowserLike }): Promise<MermaidRenderer> {
    const dist = mermaidDist();
    const browser = options.browser ?? (await launchBrowser(options.env));
    try {
      const page = await browser.newPage();
      await page.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
      await page.addScriptTag({ path: dist });
      // Deterministic layout and no HTML labels: the SVG is then plain text nodes (foreignObject
      // labels would need a browser to read), and a diagram renders the same on every run.
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
        });
      });
      return new MermaidRenderer(browser, page, !options.browser);
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
