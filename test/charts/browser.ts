import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Chromium the project drives (Debian's `chromium`), or the one CLIENTELE_CHROMIUM names. */
export const CHROMIUM = process.env.CLIENTELE_CHROMIUM ?? '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);

type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;

/** What drawing one spec in Chromium with vega-embed produced. */
export interface BrowserRender {
  /** Console warnings and errors and page errors logged while the chart was drawn (vega-embed's, Vega's). */
  messages: string[];
  /** Pixels of the drawn canvas that are not the white background, and all pixels. */
  inked: number;
  pixels: number;
  /** The screenshot written, under `dir`. */
  file: string;
}

/** The UMD builds of vega, vega-lite and vega-embed that the package ships (what the report inlines). */
function scripts(): string[] {
  const require = createRequire(import.meta.url);
  return [
    join(dirname(require.resolve('vega/vega-schema.json')), 'vega.min.js'),
    join(dirname(require.resolve('vega-lite/vega-lite-schema.json')), 'vega-lite.min.js'),
    join(dirname(require.resolve('vega-embed')), 'vega-embed.min.js'),
  ];
}

/** Starts headless Chromium and opens a blank page with vega, vega-lite and vega-embed loaded. */
export async function openChartPage(): Promise<{ browser: Browser; page: Page; log: string[] }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: 0, // a loaded machine may start Chromium slowly
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  const log: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`page error: ${e.message}`));
  await page.setContent(
    '<!doctype html><html><body style="margin:0;background:white"><div id="chart"></div></body></html>',
  );
  for (const path of scripts()) await page.addScriptTag({ path });
  return { browser, page, log };
}

/**
 * Draws `spec` with vega-embed (SVG renderer) in the page, screenshots the chart to `<dir>/<name>.png`, and counts
 * the inked pixels of the same view drawn to a canvas (a blank chart has none).
 */
export async function drawInPage(
  page: Page,
  log: string[],
  spec: object,
  name: string,
  dir: string,
): Promise<BrowserRender> {
  const before = log.length;
  const json = JSON.stringify(spec);
  const counts = (await page.evaluate(async (text: string) => {
    const g = globalThis as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const holder = g.document.getElementById('chart');
    holder.innerHTML = '';
    const result = await g.vegaEmbed(holder, JSON.parse(text), {
      actions: false,
      renderer: 'svg',
      logLevel: g.vega.Warn,
    });
    await result.view.runAsync();
    const canvas = await result.view.toCanvas();
    const context = canvas.getContext('2d');
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      const a = data[i + 3];
      if (a > 0 && (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245)) inked++;
    }
    return { inked, pixels: canvas.width * canvas.height };
  }, json)) as { inked: number; pixels: number };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  const png = await page.locator('#chart').screenshot();
  writeFileSync(file, png);
  return { messages: log.slice(before), ...counts, file };
}
