import type { Data, DataType, Field, Vector } from 'apache-arrow';
import { asTable } from './as-table';
import { TypeId } from './column';
import { ClienteleError, describeValue } from './errors';
import { knownOptions, optionNames, optionValue, integerRule, oneOfRule } from './options';
import { isoDate } from './read-dates';

/** Options of {@link preview}. */
export interface PreviewOptions {
  /** Longest cell, in characters; longer text ends with `…` (default 40, at least 4). */
  maxWidth?: number;
  /** Most decimals of a floating-point column (default 6); a column shows the fewest that its values need. */
  digits?: number;
  /** `'ansi'` dims nulls and the type row of the text with ANSI escapes; `'none'` (default) writes plain text. */
  color?: 'none' | 'ansi';
}

const PREVIEW_OPTION_NAMES = optionNames<PreviewOptions>({ maxWidth: true, digits: true, color: true });

const PREVIEW_SPEC = {
  maxWidth: integerRule(4, 10_000, 40),
  digits: integerRule(0, 15, 6),
  color: oneOfRule(['none', 'ansi'] as const, 'none'),
};

/** What {@link preview} returns: the first rows as text and as HTML, displayed by Node, Deno and Jupyter. */
export interface Preview {
  /** The rows as aligned text: names, types, a rule, the rows, then a footer with the table's size. */
  readonly text: string;
  /** The rows as an HTML `<table>` (every cell escaped) followed by the footer in a `<p>`. */
  readonly html: string;
  /** Rows shown, rows and columns of the whole table. */
  readonly shownRows: number;
  readonly numRows: number;
  readonly numCols: number;
  /** The text (so `${preview(t)}` and `String(preview(t))` read as the table). */
  toString(): string;
}

interface Column {
  readonly name: string;
  readonly type: string;
  readonly right: boolean;
  readonly cells: readonly string[];
  readonly nulls: readonly boolean[];
}

const MS_PER_DAY = 86_400_000;
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const DENO_INSPECT = Symbol.for('Deno.customInspect');
const JUPYTER = Symbol.for('Jupyter.display');

/**
 * The first `n` rows of a table, readable: `console.log(preview(t))` prints them as aligned text in a terminal, and
 * a notebook on Deno's Jupyter kernel shows an HTML table when a preview is the last value of a cell.
 *
 * Use: look at a result before charting or writing it (`console.log(preview(rfm(tx)))`), in a script or a notebook.
 *
 * Conventions: a short type under each name (`str`, `i32`, `f64`, `dict<str>`, `date32`, `timestamp[ms]`,
 * `list<str>`…); dates as `2024-03-01` (UTC), with the time (`2024-03-01 12:30:00`, fraction per unit) when a shown
 * value of the column has one; lists of text as `{a, b}` (arules' item-set notation), other lists as `[1, 2]`;
 * nulls as `null`; floats with one decimal count per column, the fewest that show every value to 15 significant
 * digits, at most `digits` (so no float noise: 9.950000000000001 shows as 9.95), and in exponent form when tiny or
 * huge; NaN and ±Infinity as such; 64-bit integers exactly. Control characters are shown escaped (`\n`); text longer
 * than `maxWidth` ends with `…`. Numbers are right-aligned. The footer reads `… 9,990 more rows (10,000 × 9)`,
 * or `10 rows × 9 columns` when every row is shown. HTML cells hold the same texts as the text, escaped.
 *
 * Cost: O(n × columns); the rest of the table is not read.
 * Reference: the layout follows the `print` of polars and arquero (names over short types, a size footer).
 *
 * @param table an Arrow table or anything `asTable` accepts (records, an object of columns…)
 * @param n rows to show (default 10); more than the table's rows shows them all
 * @param options `maxWidth` (40), `digits` (6), `color` ('none')
 * @throws {ClienteleError} `INVALID_OPTION` (n not a whole number ≥ 0, a bad option), `INVALID_INPUT` (not a table)
 * @example
 * const shown = preview({ customer: ['a', 'b', 'c'], spend: [9.950000000000001, 20, 1.5] }, 2);
 * shown.text.split('\n')[3]; // 'a          9.95'
 * shown.text.split('\n')[5]; // '… 1 more row (3 × 2)'
 * shown.shownRows; // 2
 */
export function preview(table: unknown, n: number = 10, options: PreviewOptions = {}): Preview {
  options = knownOptions(options, PREVIEW_OPTION_NAMES, 'preview');
  if (!Number.isInteger(n) || n < 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `preview: n must be a whole number ≥ 0 (found ${describeValue(n)}); pass e.g. preview(table, 10)`,
    );
  }
  const maxWidth = optionValue(options, 'maxWidth', PREVIEW_SPEC.maxWidth, 'preview');
  const digits = optionValue(options, 'digits', PREVIEW_SPEC.digits, 'preview');
  const color = optionValue(options, 'color', PREVIEW_SPEC.color, 'preview') === 'ansi';
  const t = asTable(table);
  const shown = Math.min(n, t.numRows);
  const columns = t.schema.fields.map((field, j) =>
    formatColumn(field as Field, t.getChildAt(j) as Vector, shown, digits, maxWidth),
  );
  const footer = footerOf(shown, t.numRows, columns.length);
  const text = textOf(columns, shown, footer, color);
  const html = htmlOf(columns, shown, footer);
  const result: Preview & Record<symbol, unknown> = {
    text,
    html,
    shownRows: shown,
    numRows: t.numRows,
    numCols: columns.length,
    toString: () => text,
    [INSPECT]: () => text,
    [DENO_INSPECT]: () => text,
    [JUPYTER]: () => ({ 'text/html': html, 'text/plain': text }),
  };
  return Object.freeze(result);
}

/** `… 9,990 more rows (10,000 × 9)` or `3 rows × 9 columns`. */
function footerOf(shown: number, rows: number, cols: number): string {
  const count = (x: number) => x.toLocaleString('en-US');
  const more = rows - shown;
  if (more > 0) return `… ${count(more)} more row${more === 1 ? '' : 's'} (${count(rows)} × ${count(cols)})`;
  return `${count(rows)} row${rows === 1 ? '' : 's'} × ${count(cols)} column${cols === 1 ? '' : 's'}`;
}

/** The cells of one column's first `shown` rows, with its short type name and alignment. */
function formatColumn(field: Field, vector: Vector, shown: number, digits: number, maxWidth: number): Column {
  const type = field.type as DataType;
  const values: unknown[] = [];
  for (let i = 0; i < shown; i++) values.push(vector.isValid(i) ? valueAt(vector, type, i) : null);
  const valueType = type.typeId === TypeId.Dictionary ? (type as unknown as { dictionary: DataType }).dictionary : type;
  const format = formatterOf(valueType, values, digits);
  const nulls = values.map((v) => v === null || v === undefined);
  const cells = values.map((v, i) => (nulls[i] ? 'null' : truncate(escapeControls(format(v)), maxWidth)));
  const id = valueType.typeId;
  const right = id === TypeId.Int || id === TypeId.Float || id === TypeId.Decimal;
  return { name: truncate(escapeControls(field.name), maxWidth), type: shortType(type), right, cells, nulls };
}

/** Row i's value; timestamps as exact `[epoch ms, sub-ms fraction digits]` read from the raw 64-bit buffer. */
function valueAt(vector: Vector, type: DataType, i: number): unknown {
  if (type.typeId !== TypeId.Timestamp) return vector.get(i);
  let row = i;
  for (const data of vector.data as Data[]) {
    if (row >= data.length) {
      row -= data.length;
      continue;
    }
    const raw = (data.values as BigInt64Array)[data.offset + row];
    const perSecond = 10n ** BigInt(3 * (type as unknown as { unit: number }).unit);
    const seconds = raw / perSecond - (raw % perSecond < 0n ? 1n : 0n);
    return { seconds: Number(seconds), fraction: raw - seconds * perSecond, perSecond };
  }
  return null;
}

/** How the values of one column are written. */
function formatterOf(type: DataType, values: readonly unknown[], digits: number): (v: unknown) => string {
  switch (type.typeId) {
    case TypeId.Float:
      return floatFormatter(values as (number | null)[], digits);
    case TypeId.Date: {
      const instant = (v: unknown): Instant => ({ seconds: Math.floor(Number(v) / 1000), ms: v });
      const format = dateFormatter(values.map((v) => (v === null ? null : instant(v))));
      return (v) => format(instant(v));
    }
    case TypeId.Timestamp:
      return dateFormatter(values as (Instant | null)[]);
    case TypeId.Binary:
      return (v) => `<${(v as Uint8Array).length} bytes>`;
    default:
      return plainText;
  }
}

/** A value outside the typed cases: lists, structs, bigints, text. */
function plainText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') {
    const vector = v as Partial<Vector>;
    if (vector.type !== undefined && typeof vector.get === 'function' && typeof vector.length === 'number') {
      const items: string[] = [];
      for (let i = 0; i < vector.length; i++) items.push(plainText(vector.get(i)));
      const text = vector.type.typeId === TypeId.Utf8 || vector.type.typeId === TypeId.LargeUtf8;
      return text ? `{${items.join(', ')}}` : `[${items.join(', ')}]`;
    }
    if (ArrayBuffer.isView(v)) return `<${v.byteLength} bytes>`;
    const json = (v as { toJSON?: () => unknown }).toJSON?.() ?? v;
    return JSON.stringify(json, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
  }
  return String(v);
}

/** A number to 15 significant digits, shortest form (no float noise). */
function numberText(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(15))) : String(v);
}

/** One decimal count for the column: the fewest that show every value to 15 significant digits, at most `digits`. */
function floatFormatter(values: readonly (number | null)[], digits: number): (v: unknown) => string {
  const tiny = 10 ** -digits;
  const fixed = (v: number) => Number.isFinite(v) && (v === 0 || (Math.abs(v) >= tiny && Math.abs(v) < 1e15));
  let decimals = 0;
  for (const v of values) {
    if (v === null || !fixed(v)) continue;
    const text = numberText(v);
    const e = text.indexOf('e');
    const mantissa = e < 0 ? text : text.slice(0, e);
    const dot = mantissa.indexOf('.');
    const own = (dot < 0 ? 0 : mantissa.length - dot - 1) - (e < 0 ? 0 : Number(text.slice(e + 1)));
    decimals = Math.max(decimals, Math.min(Math.max(own, 0), digits));
  }
  return (v) => {
    const x = Number(v);
    if (!Number.isFinite(x)) return String(x);
    if (!fixed(x)) return Number(x.toPrecision(15)).toExponential();
    const out = x.toFixed(decimals);
    return /^-0(\.0*)?$/.test(out) ? out.slice(1) : out;
  };
}

interface Instant {
  readonly seconds: number;
  readonly fraction?: bigint;
  readonly perSecond?: bigint;
  readonly ms?: unknown;
}

/** Dates as `YYYY-MM-DD`; with `HH:MM:SS[.fff…]` for the whole column when one shown value has a time of day. */
function dateFormatter(values: readonly (Instant | null)[]): (v: unknown) => string {
  const parts = (v: Instant) => {
    const fromMs = v.ms !== undefined ? BigInt(Math.round(Number(v.ms) - v.seconds * 1000)) : undefined;
    const fraction = fromMs ?? v.fraction ?? 0n;
    const perSecond = fromMs !== undefined ? 1000n : (v.perSecond ?? 1n);
    const day = Math.floor(v.seconds / 86400);
    return { day, second: v.seconds - day * 86400, fraction, perSecond };
  };
  let timed = false;
  let fractional = false;
  for (const v of values) {
    if (v === null) continue;
    const p = parts(v);
    timed ||= p.second !== 0 || p.fraction !== 0n;
    fractional ||= p.fraction !== 0n;
  }
  return (v) => {
    const p = parts(v as Instant);
    if (!Number.isFinite(p.day) || Math.abs(p.day * MS_PER_DAY) > 2 ** 62) return String((v as Instant).ms);
    const date = isoDate(p.day);
    if (!timed) return date;
    const hms = [Math.floor(p.second / 3600), Math.floor(p.second / 60) % 60, p.second % 60];
    const time = hms.map((x) => String(x).padStart(2, '0')).join(':');
    if (!fractional) return `${date} ${time}`;
    const width = String(p.perSecond).length - 1;
    return `${date} ${time}.${String(p.fraction).padStart(width, '0')}`;
  };
}

/** Polars-style short type names. */
function shortType(type: DataType): string {
  const t = type as unknown as {
    typeId: number;
    bitWidth?: number;
    isSigned?: boolean;
    precision?: number;
    unit?: number;
    timezone?: string | null;
    dictionary?: DataType;
    children?: Field[];
  };
  switch (t.typeId) {
    case TypeId.Int:
      return `${t.isSigned ? 'i' : 'u'}${t.bitWidth}`;
    case TypeId.Float:
      return `f${[16, 32, 64][t.precision ?? 2]}`;
    case TypeId.Utf8:
    case TypeId.LargeUtf8:
      return 'str';
    case TypeId.Bool:
      return 'bool';
    case TypeId.Date:
      return t.unit === 0 ? 'date32' : 'date64';
    case TypeId.Timestamp:
      return `timestamp[${['s', 'ms', 'us', 'ns'][t.unit ?? 1]}${t.timezone ? `, ${t.timezone}` : ''}]`;
    case TypeId.Dictionary:
      return `dict<${shortType(t.dictionary as DataType)}>`;
    case 12: // List
    case 16: // FixedSizeList
      return `list<${t.children?.[0] ? shortType(t.children[0].type as DataType) : '?'}>`;
    default:
      return String(type).toLowerCase();
  }
}

/** Control characters as escapes, so that a cell stays on its line. */
function escapeControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const named = ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' } as Readonly<Record<string, string>>)[c];
    return named ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** At most `width` code points, the last one `…` when cut. */
function truncate(s: string, width: number): string {
  if (s.length <= width) return s;
  const points = Array.from(s);
  return points.length <= width ? s : `${points.slice(0, width - 1).join('')}…`;
}

/** The length a terminal gives a string: its code points. */
function widthOf(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - widthOf(s)));
  return right ? fill + s : s + fill;
}

/** Names, types, a rule, the rows, the footer; columns two spaces apart, trailing spaces trimmed. */
function textOf(columns: readonly Column[], shown: number, footer: string, color: boolean): string {
  if (columns.length === 0) return `(no columns)\n${footer}`;
  const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);
  const padNull = (width: number, right: boolean) => {
    const fill = ' '.repeat(Math.max(0, width - 4));
    return right ? fill + dim('null') : dim('null') + fill;
  };
  const widths = columns.map((c) => Math.max(widthOf(c.name), widthOf(c.type), ...c.cells.map(widthOf)));
  const line = (cell: (c: Column, j: number) => string) => columns.map(cell).join('  ').trimEnd();
  const lines = [
    line((c, j) => pad(c.name, widths[j], c.right)),
    dim(line((c, j) => pad(c.type, widths[j], c.right))),
    line((_c, j) => '-'.repeat(widths[j])),
  ];
  for (let i = 0; i < shown; i++) {
    lines.push(line((c, j) => (c.nulls[i] ? padNull(widths[j], c.right) : pad(c.cells[i], widths[j], c.right))));
  }
  lines.push(footer);
  return lines.join('\n');
}

/** HTML-escapes text for an element's content or a quoted attribute. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A `<table>` with the names and types as headers, the cells escaped, then the footer. */
function htmlOf(columns: readonly Column[], shown: number, footer: string): string {
  const align = (c: Column) => (c.right ? ' style="text-align:right"' : '');
  const head = columns
    .map((c) => `<th${align(c)}>${escapeHtml(c.name)}<br><small>${escapeHtml(c.type)}</small></th>`)
    .join('');
  const rows: string[] = [];
  for (let i = 0; i < shown; i++) {
    const cells = columns.map((c) =>
      c.nulls[i]
        ? `<td class="null" style="color:#999${c.right ? ';text-align:right' : ''}">null</td>`
        : `<td${align(c)}>${escapeHtml(c.cells[i])}</td>`,
    );
    rows.push(`<tr>${cells.join('')}</tr>`);
  }
  return (
    `<table class="clientele-preview"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>` +
    `<p><small>${escapeHtml(footer)}</small></p>`
  );
}
