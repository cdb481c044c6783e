import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisReport, renderReport } from '../../src/report/index';
import { COLUMNS, hostileLog, PAYLOADS } from './exports-payloads';

/**
 * The report's payload cases in the real Chromium (issue 15): a report whose customer ids, item names, column names
 * and title carry script payloads (each would set `window.pwned` or `document.title` if it ran) must run none of
 * them and draw every chart. Like test/report/report-browser.test.ts, the suite needs /usr/bin/chromium (or
 * CLIENTELE_CHROMIUM) and is skipped without it unless CLIENTELE_REQUIRE_BROWSER=1.
 */

const CHROMIUM = process.env.CLIENTELE_CHROMIUM ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
const required = process.env.CLIENTELE_REQUIRE_BROWSER === '1';
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

describe.runIf(!hasBrowser && required)('exports in headless Chromium (required)', () => {
  it(`class 2: needs ${CHROMIUM}`, () => {
    expect.fail(`CLIENTELE_REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist`);
  });
});

interface ChartState {
  total: number;
  rendered: number;
  failed: number;
  errors: { chart: string | null; message: string }[];
  done: boolean;
}

/** What the checks read in the page (the test compiles without the DOM library). */
interface PageGlobals {
  __clienteleCharts?: ChartState;
  pwned?: number;
  document: {
    title: string;
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  };
}

type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;

/** Opens a file, waits for the charts, and collects page errors, dialogs and requests off file://. */
async function open(browser: Browser, file: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__clienteleCharts?.done === true, null, {
    timeout: 60_000,
  });
  const state = (await page.evaluate(() => (globalThis as unknown as PageGlobals).__clienteleCharts)) as ChartState;
  return { page, problems, state };
}

/** What ran and what the page holds: `pwned`, the title, elements a payload would add. */
async function inspect(page: Page) {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const count = (selector: string) => g.document.querySelectorAll(selector).length;
    return {
      pwned: g.pwned,
      title: g.document.title,
      injected: count('img, iframe, object, embed, foreignObject, a[href^="javascript"]'),
      scripts: count('script'),
      svgOutsideCharts: count('svg') - count('.chart svg'),
      cells: Array.from(g.document.querySelectorAll('td'), (td) => td.textContent ?? ''),
    };
  });
}

describe.runIf(hasBrowser)('class 2: payloads in the report, in Chromium', () => {
  let browser: Browser;
  let reportFile: string;
  let sectionsFile: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const report = await analysisReport(hostileLog(), { ...COLUMNS, title: PAYLOADS[0], minSupport: 0.02, k: 3 });
    reportFile = join(ARTIFACTS, 'exports-hostile-report.html');
    writeFileSync(reportFile, report.html);
    const sections = PAYLOADS.map((p, i) => ({
      title: p,
      text: `${p}\n\n- ${p}`,
      figures: [{ label: p, value: p }],
      table: { [p]: [p], n: [-i] },
      chart:
        i % 4 === 0
          ? {
              title: p,
              mark: 'bar',
              data: { values: PAYLOADS.map((q, j) => ({ name: `${j}:${q.slice(0, 60)}`, n: j + 1, url: q })) },
              encoding: {
                x: { field: 'name', type: 'nominal' },
                y: { field: 'n', type: 'quantitative' },
                tooltip: [{ field: 'name', type: 'nominal' }],
              },
            }
          : undefined,
    }));
    sectionsFile = join(ARTIFACTS, 'exports-hostile-sections.html');
    writeFileSync(sectionsFile, await renderReport(sections, { title: PAYLOADS[1], subtitle: PAYLOADS[2] }));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('class 2: the analysis report with hostile ids, items, column names and title runs no payload and draws every chart', async () => {
    const { page, problems, state } = await open(browser, reportFile);
    try {
      expect(problems).toEqual([]);
      expect(state.errors).toEqual([]);
      expect(state.total).toBeGreaterThanOrEqual(8);
      expect(state.rendered).toBe(state.total);
      const seen = await inspect(page);
      expect(seen.pwned).toBeUndefined();
      // the title payload would set document.title to "pwned"; shown as text it is the payload itself
      expect(seen.title).toBe(PAYLOADS[0]);
      expect(seen.scripts).toBe(5);
      expect(seen.svgOutsideCharts).toBe(0);
      expect(seen.injected).toBe(0);
      // every hostile item name is shown as the exact text of a cell
      for (const item of new Set(hostileLog()[COLUMNS.item] as string[])) expect(seen.cells).toContain(item);
    } finally {
      await page.close();
    }
  });

  it('class 2: hovering and clicking every chart mark runs no payload (tooltips show text)', async () => {
    const { page, problems } = await open(browser, reportFile);
    try {
      const marks = await page.$$(
        '.chart svg path.mark-symbol, .chart svg path.mark-rect, .chart svg g.mark-symbol path',
      );
      expect(marks.length).toBeGreaterThan(0);
      for (const mark of marks.slice(0, 30)) {
        await mark.hover({ force: true }).catch(() => undefined);
        await mark.click({ force: true }).catch(() => undefined);
      }
      expect((await inspect(page)).pwned).toBeUndefined();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('class 2: renderReport sections with payload titles, texts, figures, cells and chart data run nothing; charts draw', async () => {
    const { page, problems, state } = await open(browser, sectionsFile);
    try {
      expect(problems).toEqual([]);
      expect(state.errors).toEqual([]);
      expect(state.rendered).toBe(Math.ceil(PAYLOADS.length / 4));
      const seen = await inspect(page);
      expect(seen.pwned).toBeUndefined();
      expect(seen.title).toBe(PAYLOADS[1]);
      expect(seen.injected).toBe(0);
      expect(seen.svgOutsideCharts).toBe(0);
      expect(seen.cells.filter((c) => PAYLOADS.includes(c))).toEqual([...PAYLOADS]);
    } finally {
      await page.close();
    }
  });

  it('class 2: a javascript: URL in a chart’s href channel does not run when its mark is clicked', async () => {
    const spec = {
      mark: 'bar',
      data: { values: [{ name: 'click me', n: 1, url: 'javascript:window.pwned=1' }] },
      encoding: {
        x: { field: 'name', type: 'nominal' },
        y: { field: 'n', type: 'quantitative' },
        href: { field: 'url', type: 'nominal' },
      },
    };
    const file = join(ARTIFACTS, 'exports-href.html');
    writeFileSync(file, await renderReport([{ title: 'href', chart: spec }]));
    const { page, state } = await open(browser, file);
    try {
      expect(state.rendered).toBe(1);
      const bar = await page.$('.chart svg path.mark-rect, .chart svg .mark-rect path');
      expect(bar).not.toBeNull();
      await bar!.click({ force: true }).catch(() => undefined);
      // a javascript: navigation would run as a task queued by the click: let the queue reach it
      await page.evaluate(() => new Promise((done) => setTimeout(done, 0)));
      expect((await inspect(page)).pwned).toBeUndefined();
    } finally {
      await page.close();
    }
  });
});
