import { describe, expect, it } from 'vitest';
import { analysisReport, renderReport } from '../../src/report/index';
import type { AnalysisReport, ReportSection } from '../../src/report/index';
import { rejectsWith } from '../helpers/errors';

const scripts = { vega: '', vegaLite: '', vegaEmbed: '' };
const section = (r: AnalysisReport, title: string): ReportSection => {
  const s = r.sections.find((x) => x.title.startsWith(title));
  if (!s) throw new Error(`no section "${title}" in ${r.sections.map((x) => x.title).join(', ')}`);
  return s;
};
/** The HTML of the section titled `title` (from its heading to the next section). */
const sectionHtml = (html: string, title: string): string => {
  const start = html.indexOf(`<h2>${title}`);
  return html.slice(start, html.indexOf('</section>', start));
};

describe('report: fits and segmentations that cannot be trusted are flagged in a warning box', () => {
  it('a log of 40 customers who all bought on the same two days: CLV shows the NOT_IDENTIFIED warning and no values; the rest renders', async () => {
    const customer: string[] = [];
    const date: string[] = [];
    const amount: number[] = [];
    for (let i = 0; i < 40; i++) {
      customer.push(`c${i}`, `c${i}`);
      date.push('2024-01-01', '2024-02-01');
      amount.push(10 + (i % 7), 12 + (i % 5));
    }
    const r = await analysisReport({ customer, date, amount }, { k: 2, scripts });
    const clv = section(r, 'Customer lifetime value');
    expect(clv.warnings?.join('\n')).toMatch(/fitBgNbd: the data do not identify the model/);
    // the library's way out is an option of a function call: not shown to the reader of a report
    expect(clv.warnings?.join('\n')).not.toContain('allowUnidentified');
    expect(clv.table).toBeUndefined();
    expect(clv.chart).toBeUndefined();
    expect(clv.figures).toBeUndefined();
    const box = sectionHtml(r.html, 'Customer lifetime value');
    expect(box).toContain('<div class="warning" role="note">');
    expect(box).toContain('do not identify the model');
    // the other sections are still there, with their charts
    expect(section(r, 'Overview').chart).toBeDefined();
    expect(section(r, 'RFM segments').chart).toBeDefined();
  });

  it('k-means with more segments than distinct customers: the segments section carries kmeans’s warning', async () => {
    // two kinds of customer, 20 of each, identical within a kind: 2 distinct feature rows for k = 3
    const customer: string[] = [];
    const date: string[] = [];
    const amount: number[] = [];
    for (let i = 0; i < 40; i++) {
      const busy = i % 2 === 0;
      customer.push(`c${i}`);
      date.push('2024-03-01');
      amount.push(busy ? 50 : 5);
      if (busy) {
        customer.push(`c${i}`);
        date.push('2024-01-01');
        amount.push(50);
      }
    }
    const r = await analysisReport({ customer, date, amount }, { k: 3, scripts });
    const seg = section(r, 'Customer segments');
    expect(seg.warnings?.join('\n')).toMatch(
      /^kmeans: (1 of the 3 segments are empty|only 2 of the 3 centroids are distinct)/,
    );
    expect(sectionHtml(r.html, 'Customer segments')).toContain('class="warning"');
  });

  it('a healthy report has no warning box', async () => {
    const r = await renderReport([{ title: 'Plain', text: 'nothing to flag' }], { scripts });
    expect(r).not.toContain('class="warning"');
  });

  it('renderReport escapes the warnings and refuses warnings that are not strings (INVALID_OPTION)', async () => {
    const html = await renderReport([{ title: 'T', warnings: ['<b>x</b> & y'] }], { scripts });
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt; &amp; y');
    await rejectsWith(
      () => renderReport([{ title: 'T', warnings: 'no' as never }], { scripts }),
      'INVALID_OPTION',
      'warnings',
    );
  });
});
