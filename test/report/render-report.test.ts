import { makeVector, vectorFromArray, DateDay, Table } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index';
import type { ReportSection } from '../../src/report/index';
import { deepFreeze } from '../../src/table/freeze';
import { rejectsWith } from '../helpers/errors';

/**
 * The text a browser shows for an escaped HTML fragment, decoded here by a reading of the HTML spec written for the
 * test (named references &amp; &lt; &gt; &quot; and decimal ones), independent of the code under test. A raw
 * `<`, `>` or `"` in the fragment means markup leaked in, so it is refused.
 */
function shownText(fragment: string): string {
  if (/[<>"]/.test(fragment)) throw new Error(`unescaped markup in ${JSON.stringify(fragment)}`);
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return fragment.replace(/&(#\d+|[a-z]+);/g, (all, ref: string) =>
    ref.startsWith('#') ? String.fromCodePoint(Number(ref.slice(1))) : (named[ref] ?? all),
  );
}

/** The inner HTML of every element `tag` (no nesting), in order. */
function inner(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]);
}

const hostile = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '</td></tr></table><h1>x</h1>',
  '"quoted" & \'single\'',
  '&amp; &lt; &#60; &#x3C;',
  '<!-- comment -->',
  ']]><![CDATA[',
  '\u2028\u2029',
  '\r\n\t',
  '\0',
  'ﬁ 中文 🙂 e\u0301',
];

/** Strings mixing hostile fragments, printable Unicode and control characters. */
const nasty = fc
  .array(
    fc.oneof(
      fc.constantFrom(...hostile),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('<', '>', '&', '"', "'", ';', '#', '/'),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''))
  .filter((s) => s.trim() !== '');

/** What a browser shows for a string we escaped: NUL cannot travel in HTML and becomes U+FFFD, as the parser does. */
const expectedShown = (s: string) => s.replace(/\0/g, '\uFFFD');

describe('renderReport: escaping', () => {
  it('shows hostile titles, column names and cells exactly as given (property, 300 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, nasty, nasty, async (title, column, cell, pageTitle) => {
        const html = await renderReport([{ title, table: { [column]: [cell, 'plain'] } }], {
          title: pageTitle,
          subtitle: cell,
        });
        expect(shownText(inner(html, 'h2')[0])).toBe(expectedShown(title));
        expect(shownText(inner(html, 'h1')[0])).toBe(expectedShown(pageTitle));
        expect(shownText(inner(html, 'title')[0])).toBe(expectedShown(pageTitle));
        expect(shownText(inner(html, 'th')[0])).toBe(expectedShown(column));
        expect(inner(html, 'td').map(shownText)).toEqual([expectedShown(cell), 'plain']);
        // no element from the data: the only tags are the page's own
        expect(html).not.toContain('<script');
        expect(html).not.toContain('<img');
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('keeps text as text: paragraphs, a bulleted list, no markup from the input', async () => {
    const html = await renderReport([
      { title: 't', text: 'One <b>bold</b> & more.\nSame paragraph.\n\n- first <i>\n- second\n\nLast.' },
    ]);
    expect(inner(html, 'p').map(shownTextWithBreaks)).toEqual(['One <b>bold</b> & more.\nSame paragraph.', 'Last.']);
    expect(inner(html, 'li').map(shownText)).toEqual(['first <i>', 'second']);
  });

  it('writes chart data so that no string can close the script block, and reads back unchanged', async () => {
    const evil = '</script><script>window.__pwned = 1</script><!--';
    const spec = {
      mark: 'bar',
      data: { values: [{ name: evil, n: 1 }] },
      encoding: { x: { field: 'name', type: 'nominal' } },
    };
    const html = await renderReport([{ title: 'chart', chart: spec }], {
      scripts: { vega: '/*v*/', vegaLite: '/*vl*/', vegaEmbed: '/*ve*/' },
    });
    expect(html).not.toContain('window.__pwned = 1</script>');
    const block = /<script type="application\/json" id="clientele-charts">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(block).not.toMatch(/<\/script/i);
    expect(JSON.parse(block)).toEqual([{ id: 'chart-1', spec }]);
  });

  it('inlines given script text with </script written <\\/script', async () => {
    const html = await renderReport([{ title: 'c', chart: { mark: 'point' } }], {
      scripts: { vega: 'var a = "</script>";', vegaLite: 'var b = 1;', vegaEmbed: 'var c = "</SCRIPT >";' },
    });
    expect(html).toContain('var a = "<\\/script>";');
    expect(html).toContain('var c = "<\\/SCRIPT >";');
    // every <script> opened is closed by its own tag: as many openings as closings
    expect(html.match(/<script/g)!.length).toBe(html.match(/<\/script>/g)!.length);
  });
});

describe('renderReport: structure', () => {
  it('shows the first maxRows rows of a table and says how many there are', async () => {
    const n = 30;
    const html = await renderReport([
      {
        title: 'long',
        table: { k: Array.from({ length: n }, (_, i) => i), v: Array.from({ length: n }, (_, i) => `r${i}`) },
        maxRows: 10,
      },
      { title: 'short', table: { k: [1, 2, 3] } },
      { title: 'default', table: { k: Array.from({ length: 25 }, (_, i) => i) } },
    ]);
    const bodies = inner(html, 'tbody');
    expect(bodies.map((b) => b.match(/<tr>/g)?.length ?? 0)).toEqual([10, 3, 20]);
    expect(inner(html, 'caption')).toEqual(['The first 10 of 30 rows', 'The first 20 of 25 rows']);
    expect(html).toContain('data-rows="10" data-total="30"');
    expect(inner(bodies[0], 'td').slice(0, 4)).toEqual(['0', 'r0', '1', 'r1']);
  });

  it('formats numbers, dates, lists, booleans and nulls (hand-checked)', async () => {
    const day = 19783; // 2024-03-01
    const table = new Table({
      big: makeVector(Float64Array.from([1234567, 0.012345])),
      mid: makeVector(Float64Array.from([12.345, -3.5])),
      when: makeVector({
        type: new DateDay(),
        length: 2,
        nullCount: 0,
        data: Int32Array.from([day, day + 1]),
      } as never),
      flag: vectorFromArray([true, false]),
      label: vectorFromArray(['a', null]),
    });
    const cells = inner(await renderReport([{ title: 'f', table }]), 'td').map(shownText);
    expect(cells).toEqual(['1,234,567', '12.35', '2024-03-01', 'yes', 'a', '0.0123', '-3.5', '2024-03-02', 'no', '']);
    const html = await renderReport([{ title: 'f', table, format: { big: (v) => `${Number(v) * 100}%` } }]);
    expect(inner(html, 'td')[0]).toBe('123456700%');
    expect(html).toContain('<td class="null"></td>');
  });

  it('puts one container per chart, numbered, and inlines vega, vega-lite and vega-embed only when there are charts', async () => {
    const bar = { mark: 'bar', data: { values: [{ a: 1 }] }, encoding: { x: { field: 'a', type: 'quantitative' } } };
    const html = await renderReport([
      { title: 'one', chart: bar },
      { title: 'none', text: 'no chart' },
      { title: 'two', chart: bar, table: { a: [1] } },
    ]);
    expect([...html.matchAll(/<div class="chart" data-chart="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'chart-1',
      'chart-2',
    ]);
    // the three libraries: their UMD headers define the globals the page uses
    expect(html).toContain('.vega={}');
    expect(html).toContain('.vegaLite={}');
    expect(html).toContain('.vegaEmbed=');
    expect(html).toContain('window.__clienteleCharts');
    expect(html).not.toMatch(/sourceMappingURL/);
    expect(html.length).toBeGreaterThan(500_000);
    const plain = await renderReport([{ title: 'none', text: 'no chart' }]);
    expect(plain).not.toContain('<script');
    expect(plain.length).toBeLessThan(10_000);
  });

  it('leaves its input unchanged (frozen sections and specs are accepted)', async () => {
    const sections = deepFreeze([
      { title: 'a', chart: { mark: 'point', data: { values: [{ x: 1 }] } }, table: { x: [1, 2] }, maxRows: 1 },
    ]) as unknown as ReportSection[];
    const before = JSON.stringify(sections);
    await renderReport(sections, { scripts: { vega: '', vegaLite: '', vegaEmbed: '' } });
    expect(JSON.stringify(sections)).toBe(before);
  });
});

describe('renderReport: errors', () => {
  it('names the problem and the section', async () => {
    await rejectsWith(() => renderReport('x' as never), 'INVALID_OPTION', 'renderReport: sections must be an array');
    await rejectsWith(
      () => renderReport([{ title: 'ok' }, { title: ' ' }]),
      'INVALID_OPTION',
      'section 2 has no title',
    );
    await rejectsWith(() => renderReport([null as never]), 'INVALID_OPTION', 'section 1 must be an object');
    await rejectsWith(() => renderReport([{ title: 't', maxRows: -1 }]), 'INVALID_OPTION', 'maxRows -1');
    await rejectsWith(
      () => renderReport([{ title: 't', chart: [] as never }]),
      'INVALID_OPTION',
      'not a Vega-Lite specification',
    );
    await rejectsWith(() => renderReport([{ title: 't', table: 42 as never }]), 'INVALID_INPUT');
    await rejectsWith(
      () => renderReport([{ title: 't' }], { title: 5 as never }),
      'INVALID_OPTION',
      'option title must be a string',
    );
    const cyclic: Record<string, unknown> = { mark: 'point' };
    cyclic.self = cyclic;
    await rejectsWith(() => renderReport([{ title: 't', chart: cyclic }]), 'INVALID_OPTION', 'is not plain JSON');
  });
});

/** shownText for a paragraph: `<br>` is the page's own line break. */
function shownTextWithBreaks(fragment: string): string {
  return fragment.split('<br>').map(shownText).join('\n');
}
