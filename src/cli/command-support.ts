import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import type { Table } from 'apache-arrow';
import { formatFromPath, readTable, writeTable } from '../io/index';
import type { FileFormat } from '../io/index';
import { droppedRows } from '../table/index';
import type { DropReason, DropReport } from '../table/index';
import { writeText } from './cli-io';
import { UsageError } from './usage-error';
import type { CliIo } from './cli-io';
import { jsonRows } from './json-rows';
import type { JsonValue } from './json-rows';
import { printable } from './printable';
import { createProgress } from './progress';
import type { Progress } from './progress';

/** The options every command shares: the program's `--quiet` / `--debug` and the input and output options. */
export interface CommonOptions {
  quiet?: boolean;
  debug?: boolean;
  format?: FileFormat;
  delimiter?: string;
  out?: string;
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
const FILE_FORMATS: readonly FileFormat[] = ['csv', 'parquet', 'arrow', 'arrows', 'json', 'jsonl'];

/** Rows of a result written per chunk to stdout, so a large result never becomes one giant string. */
const JSON_CHUNK_ROWS = 4096;

/** The output formats `--out` takes, by extension. */
const OUT_EXTENSIONS = '.csv, .parquet, .arrow, .arrows, .json or .jsonl';

/** `--format` and `--delimiter`: how the input file is read (default: from its extension). */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--format <format>', 'input file format (default: from the extension)').choices(
        FILE_FORMATS as string[],
      ),
    )
    .option('--delimiter <char>', 'CSV field delimiter (default: sniffed from the header)', oneCharacter);
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
    .option(
      '--no-escape-formulas',
      "in a CSV --out file, write text starting with = + - @ as it is (default: prefixed with ' and quoted, so a spreadsheet shows it as text instead of running it)",
    );
}

/** The write options of `--out`: CSV text that a spreadsheet would run is escaped unless `--no-escape-formulas`. */
function outOptions(options: CommonOptions): { escapeFormulas: boolean } {
  return { escapeFormulas: options.escapeFormulas !== false };
}

function oneCharacter(value: string): string {
  if (value === '\\t' || value === 'tab') return '\t';
  if ([...value].length !== 1) throw new InvalidArgumentError('Expected one character, e.g. ";" or tab.');
  return value;
}

function outputPath(value: string): string {
  let format: FileFormat | undefined;
  try {
    format = formatFromPath(value) ?? undefined;
  } catch {
    format = undefined;
  }
  if (!format) throw new InvalidArgumentError(`Expected a file name ending in ${OUT_EXTENSIONS}.`);
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
  const common = { format: options.format, delimiter: options.delimiter };
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
  await writeJsonArray(table, env.io, '', '\n');
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
  const head = JSON.stringify(result.summary, jsonReplacer, 2);
  // the summary object, then the rows as an array, one row per line
  const open = `${head.slice(0, head.lastIndexOf('}')).trimEnd()}${Object.keys(result.summary).length ? ',' : ''}\n  ${JSON.stringify(result.rowsKey)}: `;
  await writeText(env.io.stdout, open);
  await writeJsonArray(result.table, env.io, '  ', '');
  await writeText(env.io.stdout, '\n}\n');
}

/** JSON.stringify replacer for summaries: typed arrays as arrays, bigint as number, non-finite numbers as null. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

async function writeJsonArray(table: Table, io: CliIo, indent: string, trailer: string): Promise<void> {
  const n = table.numRows;
  if (n === 0) {
    await writeText(io.stdout, `[]${trailer}`);
    return;
  }
  await writeText(io.stdout, '[\n');
  for (let from = 0; from < n; from += JSON_CHUNK_ROWS) {
    const to = Math.min(n, from + JSON_CHUNK_ROWS);
    const rows = jsonRows(table, from, to);
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
