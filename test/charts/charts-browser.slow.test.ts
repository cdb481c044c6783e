import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartCatalog, fixtures } from './fixtures';
import { drawInPage, hasBrowser, CHROMIUM, openChartPage } from './browser';
import type { BrowserRender } from './browser';

/**
 * Draws every chart of clientele/charts in the real Chromium with vega-embed (what a notebook or the report does)
 * and writes a screenshot of each to test/artifacts/charts/<name>.png (ignored by git) for a person to look at.
 * Skipped without Chromium unless CLIENTELE_REQUIRE_BROWSER=1.
 */
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts/charts');
const required = process.env.CLIENTELE_REQUIRE_BROWSER === '1';

describe.runIf(!hasBrowser && required)('charts in headless Chromium (required)', () => {
  it(`needs ${CHROMIUM}`, () => expect.fail(`CLIENTELE_REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist`));
});

describe.runIf(hasBrowser)('every chart drawn in headless Chromium with vega-embed', () => {
  const drawn: Record<string, BrowserRender> = {};
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const catalog = chartCatalog(fixtures());
    const { browser, page, log } = await openChartPage();
    close = () => browser.close();
    for (const [name, make] of Object.entries(catalog))
      drawn[name] = await drawInPage(page, log, make(), name, ARTIFACTS);
  });

  afterAll(async () => {
    await close?.();
  });

  it('draws each chart without a warning or an error (no Vega-Lite version mismatch either)', () => {
    const problems = Object.entries(drawn).flatMap(([name, r]) => r.messages.map((m) => `${name}: ${m}`));
    expect(problems).toEqual([]);
    expect(Object.keys(drawn).length).toBeGreaterThanOrEqual(14);
  });

  it('draws each chart with ink: at least 2% of its pixels are not background', () => {
    for (const [name, r] of Object.entries(drawn)) {
      expect(r.pixels, name).toBeGreaterThan(100 * 100);
      expect(r.inked / r.pixels, `${name}: ${r.inked} of ${r.pixels} pixels inked (${r.file})`).toBeGreaterThan(0.02);
    }
  });
});
