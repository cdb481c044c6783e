import type { VegaLiteSpec } from '../charts/index';
import { asTable, ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import type { TableInput } from '../table/internal';
import { escapeHtml, formatNumber, scriptJson, tableHtml, textHtml } from './html';
import type { CellFormat } from './html';
import { inlineScript, loadVegaScripts } from './vega-scripts';
import type { VegaScripts } from './vega-scripts';

/** One section of a report: a heading, then key figures, text, a chart and a table — each optional. */
export interface ReportSection {
  /** The section heading. */
  title: string;
  /** Plain text (no markup): paragraphs at blank lines, lines starting with "- " as a bulleted list. */
  text?: string;
  /** A table shown under the text and chart; anything `asTable` accepts. */
  table?: TableInput;
  /** The most rows of `table` to show (the rest are counted in a caption). Default 20. */
  maxRows?: number;
  /** A Vega-Lite specification with inline data (as the `src/charts` functions return). */
  chart?: VegaLiteSpec;
  /** Key figures shown as tiles above the text: `{ label: 'Customers', value: 20000 }`. */
  figures?: ReadonlyArray<{ readonly label: string; readonly value: string | number }>;
  /** Formatting of some table columns, by column name (e.g. a share as a percentage); the result is escaped. */
  format?: Readonly<Record<string, CellFormat>>;
  /** Warnings shown in a box under the heading (a fit the data do not identify, a degenerate segmentation, …). */
  warnings?: readonly string[];
}

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** The page title and main heading. Default 'Customer analytics report'. */
  title?: string;
  /** A line under the heading (data source, period, …). */
  subtitle?: string;
  /**
   * The source text of vega, vega-lite and vega-embed's browser builds. Default: read from the installed packages
   * (Node, Deno, Bun); pass them in runtimes without a file system.
   */
  scripts?: VegaScripts;
}

const DEFAULT_MAX_ROWS = 20;

const STYLE = `
:root { --ink: #1f2933; --muted: #61707f; --line: #d9e0e7; --band: #f4f7fa; --accent: #2a6f97; --bad: #b42318; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.report-head { background: var(--band); border-bottom: 1px solid var(--line); }
header.report-head > div, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
header.report-head > div { padding-top: 28px; padding-bottom: 20px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; }
.subtitle { color: var(--muted); margin: 0; }
nav.toc { margin-top: 14px; display: flex; flex-wrap: wrap; gap: 6px 8px; }
nav.toc a { font-size: 13px; color: var(--accent); text-decoration: none; border: 1px solid var(--line); background: #fff; border-radius: 999px; padding: 2px 10px; }
nav.toc a:hover { border-color: var(--accent); }
section.report-section { padding: 26px 0 22px; border-bottom: 1px solid var(--line); break-inside: avoid-page; }
section.report-section:last-child { border-bottom: none; }
h2 { font-size: 21px; margin: 0 0 10px; }
p { margin: 0 0 10px; max-width: 82ch; }
ul { margin: 0 0 10px; padding-left: 22px; max-width: 82ch; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 4px 0 14px; padding: 0; list-style: none; max-width: none; }
.figures li { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 130px; background: #fff; }
.figures .value { display: block; font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.figures .label { display: block; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.panels { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 8px 36px; margin-top: 12px; }
.panels > * { max-width: 100%; }
.chart { overflow-x: auto; min-height: 40px; }
.chart.chart-failed { color: var(--bad); border: 1px solid var(--bad); border-radius: 6px; padding: 10px; max-width: 60ch; }
.table-wrap { overflow-x: auto; margin: 0 0 4px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 12px; padding-top: 6px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; white-space: nowrap; }
td { max-width: 46ch; overflow-wrap: anywhere; }
.num { text-align: right; white-space: nowrap; }
.warning { border: 1px solid #e0a800; border-left: 5px solid #e0a800; background: #fff8e1; border-radius: 6px; padding: 8px 12px; margin: 0 0 12px; max-width: 82ch; }
.warning p { margin: 0 0 4px; }
td.null::after { content: "–"; color: var(--muted); }
tbody tr:nth-child(even) td { background: #fafbfc; }
footer { color: var(--muted); font-size: 12px; padding-top: 16px; padding-bottom: 28px; }
@media print { nav.toc, .vega-embed .vega-actions, details { display: none !important; } header.report-head { background: none; } }
`;

/**
 * The page script: draws every chart with vega-embed (SVG renderer) and records the outcome in
 * `window.__clienteleCharts = { total, rendered, failed, errors: [{ chart, message }], done }` and in the `data-charts`
 * attribute of `<html>` ('rendered' or 'failed'), so a headless browser can wait for and check the charts.
 */
const RUNNER = `
(function () {
  var state = { total: 0, rendered: 0, failed: 0, errors: [], done: false };
  window.__clienteleCharts = state;
  var charts = [];
  try { charts = JSON.parse(document.getElementById('clientele-charts').textContent); }
  catch (e) { state.errors.push({ chart: null, message: 'chart data unreadable: ' + e.message }); }
  state.total = charts.length;
  function fail(el, id, error) {
    var message = String((error && error.message) || error);
    state.failed++;
    state.errors.push({ chart: id, message: message });
    if (el) { el.className += ' chart-failed'; el.textContent = 'This chart could not be drawn: ' + message; }
  }
  var jobs = charts.map(function (c) {
    var el = document.querySelector('.chart[data-chart="' + c.id + '"]');
    if (!el) { fail(null, c.id, 'no chart container'); return Promise.resolve(); }
    if (typeof vegaEmbed !== 'function') { fail(el, c.id, 'vega-embed did not load'); return Promise.resolve(); }
    // $schema is dropped: a caller's spec written for another Vega-Lite major then renders without a version warning
    var spec = {};
    for (var key in c.spec) if (key !== '$schema') spec[key] = c.spec[key];
    try {
      return vegaEmbed(el, spec, { mode: 'vega-lite', renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } })
        .then(function () { state.rendered++; el.className += ' chart-rendered'; }, function (e) { fail(el, c.id, e); });
    } catch (e) { fail(el, c.id, e); return Promise.resolve(); }
  });
  Promise.all(jobs).then(function () {
    state.done = true;
    document.documentElement.setAttribute('data-charts', state.failed || state.errors.length ? 'failed' : 'rendered');
  });
})();
`;

function checkSection(section: unknown, i: number, fn: string): ReportSection {
  const where = `section ${i + 1}`;
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ${where} must be an object with a title (found ${describeValue(section)}); pass e.g. { title: 'RFM segments', table }`,
      { row: i },
    );
  }
  const s = section as ReportSection;
  if (typeof s.title !== 'string' || s.title.trim() === '') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ${where} has no title (found ${describeValue(s.title)}); give every section a non-empty title`,
      { row: i },
    );
  }
  if (s.text !== undefined && typeof s.text !== 'string') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ${where} ("${s.title}") has a text that is not a string (found ${describeValue(s.text)}); pass plain text`,
      { row: i },
    );
  }
  if (s.warnings !== undefined && !(Array.isArray(s.warnings) && s.warnings.every((w) => typeof w === 'string'))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ${where} ("${s.title}") has warnings that are not an array of strings (found ${describeValue(s.warnings)}); pass e.g. ['the fit is not identified']`,
      { row: i },
    );
  }
  if (s.maxRows !== undefined && !(Number.isInteger(s.maxRows) && s.maxRows >= 0)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ${where} ("${s.title}") has maxRows ${describeValue(s.maxRows)}; pass a whole number ≥ 0`,
      { row: i },
    );
  }
  if (s.chart !== undefined && (typeof s.chart !== 'object' || s.chart === null || Array.isArray(s.chart))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ${where} ("${s.title}") has a chart that is not a Vega-Lite specification object (found ${describeValue(s.chart)})`,
      { row: i },
    );
  }
  return s;
}

/** The options renderReport takes; every other name is refused with a did-you-mean. */
const RENDER_REPORT_OPTION_NAMES = optionNames<RenderReportOptions>({ title: true, subtitle: true, scripts: true });

/**
 * A self-contained HTML page of report sections: inline CSS, tables as HTML, and charts drawn in the browser by
 * vega + vega-lite + vega-embed, whose minified builds are inlined — the file opens offline, in any browser, and can
 * be mailed or archived as one file.
 *
 * Analysts use it to share an analysis with people who do not run code; `analysisReport` builds the sections of a
 * whole customer analysis and calls it.
 *
 * Conventions: every text (titles, cells, figures, column names) is escaped, so data cannot inject markup; chart
 * data travel as JSON with `<`, `>`, `&` escaped. Numbers in tables are grouped integers, 2 decimals from 1 up and
 * 3 significant digits below; Arrow dates are `YYYY-MM-DD`; list cells are comma-separated. Each chart sits in a
 * `<div class="chart" data-chart="chart-N">`; the page records how drawing went in `window.__clienteleCharts =
 * { total, rendered, failed, errors, done }` and sets `<html data-charts="rendered">` (or `"failed"`) when done.
 * Without charts no script is inlined and no file is read.
 *
 * Cost: O(rows shown) for the tables plus about 0.8 MB of inlined vega builds when there is a chart.
 *
 * @param sections the sections, in page order
 * @param options `title` ('Customer analytics report'), `subtitle`, `scripts` (the vega builds' text)
 * @throws {ClienteleError} `INVALID_OPTION` for a section without a title, a bad `maxRows`, a chart that is not an
 *   object, or when charts are asked for and the vega builds cannot be read; `INVALID_INPUT` from `asTable`
 * @example
 * const html = await renderReport([{ title: 'Top customers', text: 'Ranked by spend.', table: { customer: ['a<b', 'c'], spend: [120.5, 80] } }]);
 * html.startsWith('<!doctype html>'); // true
 * html.includes('<td>a<b</td>'); // false: the cell is escaped
 */
export async function renderReport(
  sections: readonly ReportSection[],
  options: RenderReportOptions = {},
): Promise<string> {
  options = knownOptions(options, RENDER_REPORT_OPTION_NAMES, 'renderReport');
  const fn = 'renderReport';
  const title = checkReportArguments(sections, options, fn);
  const checked = sections.map((s, i) => checkSection(s, i, fn));
  const charts: ReportChart[] = [];
  const body = checked.map((s, i) => sectionHtml(s, i, charts, fn));
  const scripts = charts.length > 0 ? (options.scripts ?? (await loadVegaScripts(fn))) : undefined;
  return pageHtml(title, options.subtitle, checked, body, charts, scripts);
}

/** A chart of the page: its container id and its Vega-Lite specification (a plain-JSON copy). */
interface ReportChart {
  id: string;
  spec: VegaLiteSpec;
}

/** Checks the sections array and the title and subtitle options; returns the page title. */
function checkReportArguments(sections: unknown, options: RenderReportOptions, fn: string): string {
  if (!Array.isArray(sections)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: sections must be an array of { title, text?, table?, chart? } (found ${describeValue(sections)})`,
    );
  }
  const title = options.title ?? 'Customer analytics report';
  if (typeof title !== 'string')
    throw new ClienteleError('INVALID_OPTION', `${fn}: option title must be a string (found ${describeValue(title)})`);
  if (options.subtitle !== undefined && typeof options.subtitle !== 'string') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option subtitle must be a string (found ${describeValue(options.subtitle)})`,
    );
  }
  return title;
}

/** The HTML of section i: heading, figures, text, then chart and table panels; adds its chart to `charts`. */
function sectionHtml(s: ReportSection, i: number, charts: ReportChart[], fn: string): string {
  const id = `section-${i + 1}`;
  const parts: string[] = [`<section class="report-section" id="${id}">`, `<h2>${escapeHtml(s.title)}</h2>`];
  if (s.warnings && s.warnings.length > 0) {
    const lines = s.warnings.map((w) => `<p>${escapeHtml(w)}</p>`).join('');
    parts.push(`<div class="warning" role="note"><p><strong>Warning</strong></p>${lines}</div>`);
  }
  if (s.figures && s.figures.length > 0) parts.push(...figuresHtml(s.figures));
  if (s.text) parts.push(textHtml(s.text));
  const panels: string[] = [];
  if (s.chart) {
    const chartId = `chart-${charts.length + 1}`;
    charts.push({ id: chartId, spec: chartSpec(s, i, fn) });
    panels.push(`<div class="chart" data-chart="${chartId}" role="figure" aria-label="${escapeHtml(s.title)}"></div>`);
  }
  if (s.table !== undefined) panels.push(tableHtml(asTable(s.table), s.maxRows ?? DEFAULT_MAX_ROWS, s.format).html);
  // chart and table side by side when the page is wide enough for both
  if (panels.length > 0) parts.push(`<div class="panels">${panels.join('\n')}</div>`);
  parts.push('</section>');
  return parts.join('\n');
}

/** The lines of a section's key-figure tiles: a `<ul class="figures">` with one `<li>` per figure. */
function figuresHtml(figures: NonNullable<ReportSection['figures']>): string[] {
  const lines = ['<ul class="figures">'];
  for (const f of figures) {
    const value = typeof f.value === 'number' ? formatNumber(f.value) : String(f.value);
    lines.push(
      `<li><span class="value">${escapeHtml(value)}</span><span class="label">${escapeHtml(String(f.label))}</span></li>`,
    );
  }
  lines.push('</ul>');
  return lines;
}

/** A plain-JSON copy of section i's chart; `INVALID_OPTION` when it does not survive JSON. */
function chartSpec(s: ReportSection, i: number, fn: string): VegaLiteSpec {
  try {
    return JSON.parse(JSON.stringify(s.chart)) as VegaLiteSpec;
  } catch (e) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the chart of section ${i + 1} ("${s.title}") is not plain JSON (${(e as Error).message}); pass a Vega-Lite spec with inline data`,
      { row: i },
    );
  }
}

/** The whole page: head with style, header with title, subtitle and contents, the sections, footer and scripts. */
function pageHtml(
  title: string,
  subtitle: string | undefined,
  checked: readonly ReportSection[],
  body: readonly string[],
  charts: readonly ReportChart[],
  scripts: VegaScripts | undefined,
): string {
  const toc =
    checked.length > 1
      ? `<nav class="toc" aria-label="Sections">${checked.map((s, i) => `<a href="#section-${i + 1}">${escapeHtml(s.title)}</a>`).join('')}</nav>`
      : '';
  const page = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="clientele">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header class="report-head"><div><h1>${escapeHtml(title)}</h1>`,
    subtitle ? `<p class="subtitle">${escapeHtml(subtitle)}</p>` : '',
    toc,
    '</div></header>',
    '<main>',
    ...body,
    '</main>',
    `<footer>Made with clientele.${charts.length > 0 ? ' Charts drawn by Vega-Lite; the page needs no network.' : ''}</footer>`,
  ];
  if (scripts) {
    page.push(
      `<script>${inlineScript(scripts.vega)}</script>`,
      `<script>${inlineScript(scripts.vegaLite)}</script>`,
      `<script>${inlineScript(scripts.vegaEmbed)}</script>`,
      `<script type="application/json" id="clientele-charts">${scriptJson(charts)}</script>`,
      `<script>${RUNNER}</script>`,
    );
  }
  page.push('</body>', '</html>', '');
  return page.filter((line) => line !== '').join('\n');
}
