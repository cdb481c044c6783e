import type { FileFormat } from './types';

/** Extension → format; a Map, so that `.constructor` or `.__proto__` name no format. */
const EXTENSIONS: ReadonlyMap<string, FileFormat> = new Map(
  Object.entries({
    csv: 'csv',
    tsv: 'csv',
    parquet: 'parquet',
    pq: 'parquet',
    arrow: 'arrow',
    feather: 'arrow',
    ipc: 'arrow',
    arrows: 'arrows',
    json: 'json',
    jsonl: 'jsonl',
    ndjson: 'jsonl',
    dat: 'basket',
  } as const),
);

/**
 * The file format a path's extension names, or `undefined` when it names none.
 *
 * Use it to decide how a file will be read or written before doing it; {@link readTable} and {@link writeTable}
 * call it when no `format` option is given (and the reader then sniffs the bytes).
 *
 * Extensions, in any case: `.csv` and `.tsv` → `'csv'` (a `.tsv` file is read with a tab delimiter); `.parquet`,
 * `.pq` → `'parquet'`; `.arrow`, `.feather`, `.ipc` → `'arrow'` (Arrow IPC file); `.arrows` → `'arrows'` (Arrow
 * IPC stream); `.json` → `'json'`; `.jsonl`, `.ndjson` → `'jsonl'`; `.dat` → `'basket'` (the FIMI basket files:
 * one basket of items per line). Compressed files (`.csv.gz`) are not read.
 *
 * Cost: O(length of the path).
 *
 * @param path a file path or URL; only the part after the last dot of the last segment counts
 * @example
 * formatFromPath('data/sales.parquet'); // 'parquet'
 * formatFromPath('C:\\exports\\Orders.CSV'); // 'csv'
 * formatFromPath('events.ndjson'); // 'jsonl'
 * formatFromPath('retail.dat'); // 'basket'
 * formatFromPath('README'); // undefined
 */
export function formatFromPath(path: string): FileFormat | undefined {
  const name = (typeof path === 'string' ? path : '').split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return EXTENSIONS.get(name.slice(dot + 1).toLowerCase());
}

/** True when the path's extension is `.tsv`. */
export function isTsvPath(path: string): boolean {
  return /\.tsv$/i.test(path);
}

/**
 * The format of a file from its first bytes: `PAR1` is Parquet, `ARROW1` an Arrow IPC file, a 0xFFFFFFFF
 * continuation marker an Arrow IPC stream, `[` a JSON array and `{` JSON lines (after spaces and a BOM); anything
 * else is read as CSV.
 */
export function sniffFormat(head: Uint8Array): FileFormat {
  const starts = (text: string) => text.split('').every((c, k) => head[k] === c.charCodeAt(0));
  if (starts('PAR1')) return 'parquet';
  if (starts('ARROW1')) return 'arrow';
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return 'arrows';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x5b) return 'json';
  if (head[i] === 0x7b) return 'jsonl';
  return 'csv';
}
