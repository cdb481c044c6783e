import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import type { Table } from 'apache-arrow';
import { formatFromPath, readTable, writeTable } from '../io/index';
import type { FileFormat, ReadOptions } from '../io/index';
import { droppedRows } from '../table/index';
import type { DropReason, DropReport } from '../table/index';
import { writeText } from './cli-io';
import { UsageError } from './usage-error';
import type { CliIo } from './cli-io';
import { jsonRows } from './json-rows';
import type { JsonValue } from './json-rows';
import { printable } from './printable';
import { nameList } from './parse-options';
import { createProgress } from './progress';
import type { Progress } from './progress';

/** The options every command shares: the program's `--quiet` / `--debug` and the input and output options. */
export interface CommonOptions {
  quiet?: boolean;
  debug?: boolean;
  format?: FileFormat;
  /** One character, or `whitespace`. */
  delimiter?: string;
  /** `--no-header` sets it false: the first line is data. */
  header?: boolean;
  names?: string[];
  textColumns?: string[];
  out?: string;
  /** `--full-precision`: numbers with every digit (default: 15 significant digits). */
  fullPrecision?: boolean;
  /** `--no-escape-formulas` sets it false; otherwise CSV output escapes text a spreadsheet would run. */
  escapeFormulas?: boolean;
}

/** What a command's action gets besides its own options. */
export interface CommandEnv {
  readonly io: CliIo;
  readonly progress: Progress;
  readonly quiet: boolean;
  /** A line on stderr (a summary, a note), unless `--quiet`. */
  note(text: string): void;
}

/** The formats `--format` names (those `readTable` reads). */
const FILE_FORMATS: readonly FileFormat[] = ['csv', 'parquet', 'arrow', 'arrows', 'json', 'jsonl', 'basket'];

/** Rows of a result written per chunk to stdout, so a large result never becomes one giant string. */
const JSON_CHUNK_ROWS = 4096;

/** The output formats `--out` takes, by extension. */
const OUT_EXTENSIONS = '.csv, .parquet, .arrow, .arrows, .json or .jsonl';

/**
 * How the input file is read: `--format` (default from the extension; `basket` reads one basket of items per line,
 * as `.dat` files are by default), `--delimiter` (one character, `tab` or `whitespace`), `--no-header`, `--names`
 * and `--text-columns` (columns kept as text, leading zeros included).
 */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--format <format>',
        'input file format (default: from the extension; basket: one basket of items per line, as .dat files)',
      ).choices(FILE_FORMATS as string[]),
    )
    .option(
      '--delimiter <char>',
      'field delimiter: one character, tab, or whitespace for runs of spaces (default: sniffed from the first line; basket files: comma for .csv, else whitespace)',
      delimiterValue,
    )
    .option('--no-header', 'the first line of a CSV is data, not column names (columns column1, column2, … or --names)')
    .option(
      '--names <columns>',
      'column names of a CSV, in order (replace the header, or name the columns with --no-header)',
      nameList,
    )
    .option(
      '--text-columns <columns>',
      'read these CSV / JSON columns as text, keeping leading zeros (e.g. 00001)',
      nameList,
    );
}

/**
 * `--out <file>`: the result's file; the format comes from the extension, checked before any work is done. With it
 * `--no-escape-formulas`: CSV files are safe to open in a spreadsheet by default (text starting with = + - @ tab or
 * CR is written `"'=…"`, as OWASP advises; numbers are never changed), and the flag writes such text as it is.
 */
export function addOutOption(
  cmd: Command,
  description = `write the result to a file (${OUT_EXTENSIONS}) instead of JSON on stdout`,
): Command {
  return cmd
    .option('-o, --out <file>', description, outputPath)
    .option('--full-precision', 'write numbers with every digit of the double (default: at most 15 significant digits)')
    .option(
      '--no-escape-formulas',
      "in a CSV --out file, write text starting with = + - @ as it is (default: prefixed with ' and quoted, so a spreadsheet shows it as text instead of running it)",
    );
}

/** The write options of `--out`: CSV text that a spreadsheet would run is escaped unless `--no-escape-formulas`. */
function outOptions(options: CommonOptions): { escapeFormulas: boolean; significantDigits: number | 'full' } {
  return { escapeFormulas: options.escapeFormulas !== false, significantDigits: digitsOf(options) };
}

/** Significant digits of numbers in the output: 15 (no float noise) unless `--full-precision`. */
function digitsOf(options: CommonOptions): number | 'full' {
  return options.fullPrecision ? 'full' : 15;
}

function delimiterValue(value: string): string {
  if (value === '\\t' || value === 'tab') return '\t';
  if (value === 'whitespace') return value;
  if ([...value].length !== 1)
    throw new InvalidArgumentError('Expected one character, e.g. ";", tab, or whitespace (runs of spaces and tabs).');
  return value;
}

function outputPath(value: string): string {
  let format: FileFormat | undefined;
  try {
    format = formatFromPath(value) ?? undefined;
  } catch {
    format = undefined;
  }
  if (!format || format === 'basket')
    throw new InvalidArgumentError(`Expected a file name ending in ${OUT_EXTENSIONS}.`);
  return value;
}

/** Builds the environment of one command run from its parsed options (the program's options included). */
export function commandEnv(io: CliIo, cmd: Command): CommandEnv {
  const quiet = Boolean(cmd.optsWithGlobals<CommonOptions>().quiet);
  return {
    io,
    quiet,
    progress: createProgress(io, quiet),
    note(text) {
      if (!quiet) io.stderr.write(`${printable(text, true)}\n`);
    },
  };
}

/**
 * Reads the input file (any format `readTable` reads; `-` reads stdin, the format sniffed or `--format`), reporting
 * the bytes read on the progress bar.
 */
export async function readInput(path: string, options: CommonOptions, env: CommandEnv): Promise<Table> {
  const table = await readInputTable(path, options, env);
  noteBasketFile(table, env);
  return table;
}

/** The read options of the input flags (`--text-columns a,b` is `columns: { a: 'string', b: 'string' }`). */
function readOptions(options: CommonOptions): ReadOptions {
  const read: ReadOptions = { format: options.format, delimiter: options.delimiter };
  if (options.header === false) read.header = false;
  if (options.names !== undefined) read.names = options.names;
  if (options.textColumns !== undefined)
    read.columns = Object.fromEntries(options.textColumns.map((name) => [name, 'string' as const]));
  return read;
}

/** What a basket file held, as a note: baskets, items, and the duplicates and empty fields the reader skipped. */
function noteBasketFile(table: Table, env: CommandEnv): void {
  const meta = table.schema.metadata;
  const baskets = meta.get('clientele.baskets');
  if (baskets === undefined) return;
  const count = (key: string) => Number(meta.get(key) ?? 0);
  const skipped = [
    count('clientele.duplicateItems') > 0
      ? `removed ${count('clientele.duplicateItems')} repeated items within a basket (as arules' rm.duplicates)`
      : '',
    count('clientele.emptyBaskets') > 0 ? `${count('clientele.emptyBaskets')} empty lines kept as empty baskets` : '',
    count('clientele.emptyItems') > 0 ? `skipped ${count('clientele.emptyItems')} empty items` : '',
  ].filter(Boolean);
  env.note(
    `read ${baskets} baskets of ${meta.get('clientele.items')} distinct items${skipped.length ? `; ${skipped.join('; ')}` : ''}`,
  );
}

async function readInputTable(path: string, options: CommonOptions, env: CommandEnv): Promise<Table> {
  const common = readOptions(options);
  if (path === '-') {
    if (!env.io.stdin) throw new UsageError('reading the input from stdin (-) is not available here; pass a file name');
    const chunks: Uint8Array[] = [];
    for await (const chunk of env.io.stdin)
      chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return readTable(bytes, common);
  }
  return readTable(path, { ...common, onProgress: env.progress.reading(path) });
}

/**
 * Writes a per-row result: to `out` in the format of its extension, or as a JSON array of row objects on stdout
 * (one row per line; dates as ISO strings, 64-bit integers as numbers, NaN and ±Infinity as null).
 */
export async function emitTable(table: Table, options: CommonOptions, env: CommandEnv, what = 'rows'): Promise<void> {
  env.progress.stop();
  if (options.out) {
    await writeTable(table, options.out, outOptions(options));
    env.note(`wrote ${table.numRows} ${what} to ${JSON.stringify(options.out)}`);
    return;
  }
  await writeJsonArray(table, env.io, '', '\n', digitsOf(options));
}

/**
 * Writes a result that is more than a table (a fitted model and its per-row table). Without `--out`: one JSON
 * object on stdout, `summary`'s fields followed by the table's rows under `rowsKey`. With `--out`: the table goes
 * to the file and `summaryText` to stderr (unless `--quiet`).
 */
export async function emitResult(
  result: { summary: Record<string, unknown>; rowsKey: string; table: Table; summaryText: string },
  options: CommonOptions,
  env: CommandEnv,
): Promise<void> {
  env.progress.stop();
  if (options.out) {
    await writeTable(result.table, options.out, outOptions(options));
    env.note(result.summaryText);
    env.note(`wrote ${result.table.numRows} rows to ${JSON.stringify(options.out)}`);
    return;
  }
  const head = JSON.stringify(result.summary, jsonReplacer(digitsOf(options)), 2);
  // the summary object, then the rows as an array, one row per line
  const open = `${head.slice(0, head.lastIndexOf('}')).trimEnd()}${Object.keys(result.summary).length ? ',' : ''}\n  ${JSON.stringify(result.rowsKey)}: `;
  await writeText(env.io.stdout, open);
  await writeJsonArray(result.table, env.io, '  ', '', digitsOf(options));
  await writeText(env.io.stdout, '\n}\n');
}

/**
 * JSON.stringify replacer for summaries: typed arrays as arrays, bigint as number, non-finite numbers as null,
 * other numbers with at most `digits` significant digits.
 */
function jsonReplacer(digits: number | 'full'): (key: string, value: unknown) => unknown {
  return (_key, value) => {
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'number' && digits !== 'full' && Number.isFinite(value))
      return Number(value.toPrecision(digits));
    if (ArrayBuffer.isView(value) && !(value instanceof DataView))
      return Array.from(value as unknown as ArrayLike<number>);
    return value;
  };
}

async function writeJsonArray(
  table: Table,
  io: CliIo,
  indent: string,
  trailer: string,
  digits: number | 'full',
): Promise<void> {
  const n = table.numRows;
  if (n === 0) {
    await writeText(io.stdout, `[]${trailer}`);
    return;
  }
  await writeText(io.stdout, '[\n');
  for (let from = 0; from < n; from += JSON_CHUNK_ROWS) {
    const to = Math.min(n, from + JSON_CHUNK_ROWS);
    const rows = jsonRows(table, from, to, digits);
    const text = rows.map((row: Record<string, JsonValue>) => `${indent}  ${JSON.stringify(row)}`).join(',\n');
    await writeText(io.stdout, `${text}${to < n ? ',' : ''}\n`);
  }
  await writeText(io.stdout, `${indent}]${trailer}`);
}

/** The column mapping options; defaults are the sample store's column names (`sampleStore`). */
const COLUMN_OPTIONS = {
  customer: ['--customer <column>', 'column of customer keys', 'customer'],
  date: ['--date <column>', 'column of transaction dates', 'date'],
  amount: ['--amount <column>', 'column of transaction amounts (money)', 'amount'],
  transaction: ['--transaction <column>', 'column of transaction (basket) ids', 'transaction'],
  item: ['--item <column>', 'column of items (products)', 'item'],
} as const;

/** Column names as the commands receive them. */
export interface ColumnOptions {
  customer: string;
  date: string;
  amount: string;
  transaction: string;
  item: string;
  dateUnit?: 'day' | 's' | 'ms' | 'yyyymmdd';
}

/** Adds the column mapping options `names` (and `--date-unit` with `--date`). */
export function addColumnOptions(cmd: Command, names: readonly (keyof typeof COLUMN_OPTIONS)[]): Command {
  for (const name of names) {
    const [flags, description, fallback] = COLUMN_OPTIONS[name];
    cmd.option(flags, description, fallback);
  }
  if (names.includes('date')) {
    cmd.addOption(
      new Option('--date-unit <unit>', 'how plain numbers in the date column are read (default: yyyymmdd)').choices([
        'yyyymmdd',
        'day',
        's',
        'ms',
      ]),
    );
  }
  return cmd;
}

/** An "Examples:" section for `--help`, one `$ clientele …` line (and its comment) per example. */
export function addExamples(cmd: Command, examples: readonly (readonly [string, string])[]): Command {
  const lines = examples.map(([line, comment]) => `  # ${comment}\n  $ ${line}`);
  return cmd.addHelpText('after', `\nExamples:\n${lines.join('\n\n')}\n`);
}

/** Rows an analysis dropped and why, as a note on stderr (nothing when no row was dropped). */
export function noteDropped(what: string, report: DropReport | undefined, env: CommandEnv): void {
  if (!report || !(report.total > 0)) return;
  const reasons = Object.entries(report.dropped)
    .map(
      ([reason, count]) =>
        `${reason} ${count}${report.firstRow[reason as DropReason] !== undefined ? ` (first at row ${report.firstRow[reason as DropReason]}, 0-based)` : ''}`,
    )
    .join(', ');
  env.note(`${what}: dropped ${report.total} of ${report.rows} input rows: ${reasons}`);
}

/** The drop report in a result table's metadata, or undefined when it has none. */
export function tableDrops(table: Table): DropReport | undefined {
  try {
    return droppedRows(table);
  } catch {
    return undefined;
  }
}
