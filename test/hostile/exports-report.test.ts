import { beforeAll, describe, expect, it } from 'vitest';
import { associationRules, frequentItemsets } from '../../src/index';
import { clvHistogram, paretoChart, rulesScatter } from '../../src/charts/index';
import { abc } from '../../src/index';
import { analysisReport, renderReport } from '../../src/report/index';
import type { AnalysisReport, ReportSection, VegaScripts } from '../../src/report/index';
import { fingerprint } from './helpers';
import { COLUMNS, hostileLog, PAYLOADS } from './exports-payloads';

/**
 * Payloads in the HTML report and the charts' Vega-Lite specs (issue 15): customer ids, item names, column names,
 * titles and texts carrying markup, script and URL payloads must reach the page as text or as JSON data, never as
 * markup; chart fields must be plain names (Vega-Lite reads `.` and `[` in a field as a nested path). The page is
 * inspected here as text; exports-browser.slow.test.ts opens it in Chromium.
 */

/** Empty vega builds: the page is checked as text here, so the 0.8 MB of libraries are not read. */
const NO_SCRIPTS: VegaScripts = { vega: '', vegaLite: '', vegaEmbed: '' };

/** Decodes the character references escapeHtml writes (independent of src/report). */
function decodeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#13);/g, (_, name: string) =>
    name === 'amp'
      ? '&'
      : name === 'lt'
        ? '<'
        : name === 'gt'
          ? '>'
          : name === 'quot'
            ? '"'
            : name === '#39'
              ? "'"
              : '\r',
  );
}

/** The page before its scripts: everything a browser parses as markup from the data. */
function markup(html: string): string {
  const at = html.indexOf('\n<script');
  return at < 0 ? html : html.slice(0, at);
}

/** The chart JSON block of a page. */
function chartBlock(html: string): string {
  const open = '<script type="application/json" id="clientele-charts">';
  const start = html.indexOf(open) + open.length;
  return html.slice(start, html.indexOf('</script>', start));
}

/** The elements the report itself writes; a payload that became markup would add another (img, svg, iframe…). */
const PAGE_TAGS = new Set(
  'html head meta title style body header div h1 p nav a main section h2 ul li span table caption thead tr th tbody td br footer strong'.split(
    ' ',
  ),
);

/** Asserts the markup holds only the page's own elements, and links only to its own sections. */
function onlyPageElements(html: string): void {
  const tags = new Set([...html.matchAll(/<([A-Za-z][A-Za-z0-9-]*)/g)].map((m) => m[1].toLowerCase()));
  for (const tag of tags) expect(PAGE_TAGS.has(tag), `<${tag}> in the markup`).toBe(true);
  for (const [a] of html.matchAll(/<a\b[^>]*>/g)) expect(a).toMatch(/^<a href="#section-\d+">$/);
  // text may say onerror= (escaped); no tag may carry an event handler
  for (const [tag] of html.matchAll(/<[A-Za-z][^>]*>/g)) expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
}

/** Every value under a key named `key` in a JSON value. */
function valuesOf(value: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) valuesOf(v, key, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key) out.push(v);
      valuesOf(v, key, out);
    }
  }
  return out;
}

let report: AnalysisReport;
let log: Record<string, unknown[]>;
let logPrint: string;

beforeAll(async () => {
  log = hostileLog();
  logPrint = fingerprint(log);
  report = await analysisReport(log, {
    ...COLUMNS,
    title: PAYLOADS[0],
    minSupport: 0.02,
    k: 3,
    scripts: NO_SCRIPTS,
  });
});

describe('class 2: payloads in the analysis report stay text', () => {
  it('class 2: the input log is unchanged by the report', () => {
    expect(fingerprint(log)).toBe(logPrint);
  });

  it('class 2: the page has exactly its own five script elements (three libraries, the chart data, the runner)', () => {
    expect(report.html.match(/<script\b/gi)).toHaveLength(5);
    expect(report.html.match(/^<script\b/gm)).toHaveLength(5);
  });

  it('class 2: no payload becomes an element or attribute: the markup holds only the page’s own elements', () => {
    onlyPageElements(markup(report.html));
  });

  it('class 2: the title payload is the text of <title> and <h1>, decoded exactly', () => {
    const title = /<title>([^<]*)<\/title>/.exec(report.html)![1];
    const h1 = /<h1>([^<]*)<\/h1>/.exec(report.html)![1];
    expect(decodeHtml(title)).toBe(PAYLOADS[0]);
    expect(decodeHtml(h1)).toBe(PAYLOADS[0]);
  });

  it('class 2: hostile item names are table cells whose decoded text is the name, whole (2,000 characters too)', () => {
    const cells = new Set([...markup(report.html).matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => decodeHtml(m[1])));
    // the ABC table of products lists every item (11 of them, under its 20-row limit)
    const items = new Set(log[COLUMNS.item] as string[]);
    expect(items.size).toBe(11);
    for (const item of items) expect(cells.has(item), item.slice(0, 40)).toBe(true);
    expect(cells.has(PAYLOADS[PAYLOADS.length - 1])).toBe(true);
  });

  it('class 2: hostile column names appear only escaped, in headers and text', () => {
    const text = markup(report.html);
    expect(text).not.toContain(COLUMNS.customer);
    expect(text).not.toContain(COLUMNS.item);
  });

  it('class 2: the chart data block cannot end its script element or open a comment, and parses back exactly', () => {
    const block = chartBlock(report.html);
    expect(block).not.toMatch(/<\/|<!--|<script/i);
    const charts = JSON.parse(block) as { id: string; spec: Record<string, unknown> }[];
    expect(charts.length).toBe(report.sections.filter((s) => s.chart).length);
    // the rules chart carries item names as data: the payloads come back as the exact strings
    const texts = JSON.stringify(valuesOf(charts, 'values'));
    expect(texts).toContain(JSON.stringify(PAYLOADS[0]).slice(1, -1));
    const items = valuesOf(charts, 'values')
      .flat()
      .flatMap((row) => Object.values(row as Record<string, unknown>))
      .filter((v): v is string => typeof v === 'string');
    expect(items.some((v) => v.includes(PAYLOADS[0]))).toBe(true);
    expect(items.some((v) => v.includes('line\u2028sep\u2029arator'))).toBe(true);
  });
});

describe('class 9: chart specs name their fields plainly', () => {
  it('class 9: every field of every report chart is a plain identifier naming a key of its data (no . or [ paths)', () => {
    for (const section of report.sections.filter((s) => s.chart)) {
      const spec = section.chart!;
      const keys = new Set(
        valuesOf(spec, 'values')
          .flat()
          .flatMap((row) => (row && typeof row === 'object' ? Object.keys(row) : [])),
      );
      const fields = valuesOf(spec, 'field').filter((f): f is string => typeof f === 'string');
      expect(fields.length, section.title).toBeGreaterThan(0);
      for (const field of fields) {
        expect(field, section.title).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        expect(keys.has(field), `${section.title}: field ${field}`).toBe(true);
      }
      for (const key of keys) expect(key, section.title).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
  });

  it('class 9: no Vega expression of a report chart (test, calculate, filter, labelExpr) holds user text', () => {
    for (const section of report.sections.filter((s) => s.chart)) {
      const expressions = ['test', 'calculate', 'filter', 'labelExpr', 'expr', 'signal']
        .flatMap((k) => valuesOf(section.chart, k))
        .filter((e): e is string => typeof e === 'string');
      for (const e of expressions) {
        for (const p of PAYLOADS) expect(e.includes(p), `${section.title}: ${e}`).toBe(false);
        expect(e).not.toContain(COLUMNS.amount);
      }
    }
  });

  it('class 9: items named a.b and x[0] are data values of rulesScatter, shown as written', () => {
    const baskets = [
      ['a.b', 'x[0]'],
      ['a.b', 'x[0]'],
      ['a.b', 'x[0]', 'milk'],
      ['milk', 'x[0]'],
    ];
    const rules = associationRules(frequentItemsets(baskets, { minSupport: 0.5 }), { minConfidence: 0.5 });
    const spec = rulesScatter(rules);
    const strings = JSON.stringify(valuesOf(spec, 'values'));
    expect(strings).toContain('a.b');
    expect(strings).toContain('x[0]');
    for (const field of valuesOf(spec, 'field')) expect(String(field)).not.toMatch(/[.[\]\\]/);
  });
});

describe('class 9: column names with . and [ reach charts as titles, never as fields', () => {
  it('class 9: clvHistogram of a column named a.b bins its values and names it only in the title', () => {
    const input = { customer: ['a', 'b', 'c', 'd'], 'a.b': [1, 2, 3, 4] };
    const spec = clvHistogram(input, { column: 'a.b' });
    const counts = valuesOf(spec, 'values')
      .flat()
      .map((row) => (row as { count?: number }).count)
      .filter((n): n is number => typeof n === 'number');
    // four customers, each value in one bin: the bins count 4 in all
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect((spec.title as { text: string }).text).toBe('Distribution of a.b');
    for (const field of valuesOf(spec, 'field')) expect(String(field)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('class 9: paretoChart of an ABC over columns x[0] and v.w keeps the plain fields and names v.w in its title', () => {
    const classes = abc({ 'x[0]': ['a', 'b', 'c'], 'v.w': [5, 3, 1] }, { key: 'x[0]', value: 'v.w' });
    const spec = paretoChart(classes, { value: 'v.w' });
    expect((spec.title as { text: string }).text).toBe('Pareto curve of v.w over customers');
    for (const field of valuesOf(spec, 'field')) expect(String(field)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });
});

describe('class 2: renderReport keeps every text of a section as text', () => {
  it('class 2: payloads in subtitle, figures, bullet text, table cells and column names inject no element', async () => {
    const sections: ReportSection[] = PAYLOADS.map((p, i) => ({
      title: p,
      text: `${p}\n\n- ${p}\n- second`,
      figures: [{ label: p, value: p }],
      table: { [p]: [p, `${p}!`], n: [i, -i] },
    }));
    const html = await renderReport(sections, { title: PAYLOADS[1], subtitle: PAYLOADS[2] });
    expect(html.match(/<script\b/gi)).toBeNull();
    onlyPageElements(html);
    const headers = [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => decodeHtml(m[1]));
    expect(headers.filter((h) => h !== 'n')).toEqual([...PAYLOADS]);
    const titles = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => decodeHtml(m[1]));
    expect(titles).toEqual([...PAYLOADS]);
  });

  it('class 2: a javascript: URL in text stays text: no href is written', async () => {
    const html = await renderReport([{ title: 'links', text: 'javascript:window.pwned=1 and http://x.example' }]);
    expect(html).not.toMatch(/href="(?!#section-)/);
  });

  it('class 2: a chart whose data and title hold </script> keeps the data block closed and the strings exact', async () => {
    const spec = {
      title: PAYLOADS[0],
      mark: 'bar',
      data: { values: PAYLOADS.map((p, i) => ({ name: p, n: i + 1 })) },
      encoding: { x: { field: 'name', type: 'nominal' }, y: { field: 'n', type: 'quantitative' } },
    };
    const html = await renderReport([{ title: 'chart', chart: spec }], { scripts: NO_SCRIPTS });
    expect(chartBlock(html)).not.toMatch(/<\/|<!--/);
    const [chart] = JSON.parse(chartBlock(html)) as { spec: typeof spec }[];
    expect(chart.spec.title).toBe(PAYLOADS[0]);
    expect(chart.spec.data.values.map((v) => v.name)).toEqual([...PAYLOADS]);
  });
});
