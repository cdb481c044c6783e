import type { Table, Vector } from 'apache-arrow';
import { TypeId } from '../table/internal';

/**
 * HTML building blocks of the report: escaping, cell formatting, tables and text. Internal to src/report.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\r': '&#13;',
  '\0': '\uFFFD',
};

/**
 * Escapes text for an HTML text node or a quoted attribute value: & < > " ' become character references, so the
 * browser shows exactly the text. A carriage return is written `&#13;` (a raw one would be read as a line feed);
 * NUL, which HTML cannot carry, becomes U+FFFD as the HTML parser would make it.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'\r\0]/g, (c) => ESCAPES[c]);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are written as `\u003c` … so no text in
 * the data (a product called `</script>`) can end the block; JSON.parse reads them back unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** A number as a reader wants it in a table: grouped integers, 2 decimals from 1 up, 3 significant digits below. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  if (a >= 1000) return x.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (a >= 1) return x.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return x.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

/** Epoch milliseconds as `YYYY-MM-DD`, or a full ISO timestamp when the time is not midnight UTC. */
function formatEpochMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const iso = new Date(ms).toISOString();
  return ms % 86_400_000 === 0 ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/** A value of an Arrow column of type id `typeId` as plain text (not yet escaped). */
function formatCell(value: unknown, typeId: number): string {
  if (value === null || value === undefined) return '';
  if (typeId === TypeId.Date || typeId === TypeId.Timestamp) {
    if (typeof value === 'number') return formatEpochMs(value);
    if (typeof value === 'bigint') return formatEpochMs(Number(value));
  }
  if (value instanceof Date) return formatEpochMs(value.getTime());
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'bigint') return value.toLocaleString('en-US');
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // Arrow list cells are vectors: show their items, "beer, diapers"
  const v = value as { toArray?: () => ArrayLike<unknown>; toJSON?: () => unknown };
  if (typeof v.toArray === 'function' && typeof (value as Vector).length === 'number') {
    return Array.from(v.toArray(), (x) => formatCell(x, -99)).join(', ');
  }
  if (typeof v.toJSON === 'function') return JSON.stringify(v.toJSON());
  return String(value);
}

/** Custom formatting of one column's cells; the returned text is escaped like any other. */
export type CellFormat = (value: unknown) => string;

/** What {@link tableHtml} produced. */
export interface RenderedTable {
  readonly html: string;
  readonly shown: number;
  readonly total: number;
}

const NUMERIC = new Set<number>([TypeId.Int, TypeId.Float, TypeId.Decimal]);

/** An Arrow table as an HTML `<table>`: the first `maxRows` rows, a caption saying so when rows are left out. */
export function tableHtml(
  table: Table,
  maxRows: number,
  format: Readonly<Record<string, CellFormat>> = {},
): RenderedTable {
  const fields = table.schema.fields;
  const total = table.numRows;
  const shown = Math.min(total, maxRows);
  const columns = fields.map((f) => {
    const vector = table.getChild(f.name) as Vector;
    const typeId =
      f.type.typeId === TypeId.Dictionary
        ? (f.type as unknown as { dictionary: { typeId: number } }).dictionary.typeId
        : f.type.typeId;
    const custom = Object.prototype.hasOwnProperty.call(format, f.name) ? format[f.name] : undefined;
    return { name: f.name, vector, typeId, custom, numeric: NUMERIC.has(typeId) };
  });
  const out: string[] = [];
  out.push(`<div class="table-wrap"><table data-rows="${shown}" data-total="${total}">`);
  if (shown < total) out.push(`<caption>The first ${formatNumber(shown)} of ${formatNumber(total)} rows</caption>`);
  out.push('<thead><tr>');
  for (const c of columns) out.push(`<th scope="col"${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.name)}</th>`);
  out.push('</tr></thead><tbody>');
  for (let i = 0; i < shown; i++) {
    out.push('<tr>');
    for (const c of columns) {
      const value = c.vector.get(i);
      const text =
        c.custom && value !== null && value !== undefined ? String(c.custom(value)) : formatCell(value, c.typeId);
      const missing = value === null || value === undefined;
      const cls = c.numeric ? (missing ? ' class="num null"' : ' class="num"') : missing ? ' class="null"' : '';
      out.push(`<td${cls}>${escapeHtml(text)}</td>`);
    }
    out.push('</tr>');
  }
  out.push('</tbody></table></div>');
  return { html: out.join(''), shown, total };
}

/**
 * Plain text as HTML: paragraphs at blank lines; a run of lines starting with "- " becomes a bulleted list. Every
 * character is escaped: the text carries no markup.
 */
export function textHtml(text: string): string {
  const out: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    let paragraph: string[] = [];
    let list: string[] = [];
    const flush = () => {
      if (paragraph.length) out.push(`<p>${paragraph.map(escapeHtml).join('<br>')}</p>`);
      if (list.length) out.push(`<ul>${list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`);
      paragraph = [];
      list = [];
    };
    for (const line of lines) {
      const item = /^\s*[-•]\s+(.*)$/.exec(line);
      if (item) {
        if (paragraph.length) flush();
        list.push(item[1]);
      } else {
        if (list.length) flush();
        paragraph.push(line.trim());
      }
    }
    flush();
  }
  return out.join('\n');
}
