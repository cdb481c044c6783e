/**
 * The basket files and helpers shared by the itemset benchmarks of issue 17 (itemsets-native.bench.ts, its child
 * itemsets-native-child.ts and scale.bench.ts): the built package, the public basket files, canonical itemset keys
 * to compare results across programs, and the fastest public path from a basket file to an itemset table.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Table } from 'apache-arrow';
import { dataset } from '../test/helpers/datasets';

export type Library = typeof import('../src/index');
export type Target = 'all' | 'closed' | 'maximal';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.join(HERE, '..');

/**
 * The built package (dist/, as users run it: worker threads start from dist/parallel/worker.js), built by
 * scripts/ensure-build.sh when stale; `dir` another build (a directory holding index.js).
 */
export async function builtLibrary(caller: string, dir?: string): Promise<{ lib: Library; dir: string }> {
  if (dir === undefined) {
    const build = spawnSync('bash', ['-c', `. scripts/ensure-build.sh ${caller}`], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`${caller}: the build failed`);
  }
  const resolved = path.resolve(ROOT, dir ?? 'dist');
  return { lib: (await import(pathToFileURL(path.join(resolved, 'index.js')).href)) as Library, dir: resolved };
}

/** A public basket file of datasets/ (gzipped there, unpacked once into test/artifacts/datasets). */
export interface BasketFile {
  key: string;
  file: string;
  /** The item delimiter for `readTable(…, { format: 'basket' })` and Borgelt's `-f`. */
  delimiter: ',' | 'whitespace';
  /** Dense data (long baskets over few items), where the output is large against the input. */
  dense: boolean;
}

export const BASKET_FILES: Record<string, BasketFile> = {
  retail: { key: 'retail', file: 'retail.dat', delimiter: 'whitespace', dense: false },
  t10: { key: 't10', file: 'T10I4D100K.dat', delimiter: 'whitespace', dense: false },
  groceries: { key: 'groceries', file: 'groceries.csv', delimiter: ',', dense: false },
  chess: { key: 'chess', file: 'chess.dat', delimiter: 'whitespace', dense: true },
  mushroom: { key: 'mushroom', file: 'mushroom.dat', delimiter: 'whitespace', dense: true },
};

/** The path of a basket file (unpacked from datasets/ on first use). */
export const basketPath = (spec: BasketFile): string => dataset(spec.file);

/** `key:support,…` into basket files and supports. */
export function parseCases(text: string): { spec: BasketFile; support: number }[] {
  return text.split(',').map((c) => {
    const [key, support] = c.split(':');
    const spec = BASKET_FILES[key];
    if (!spec || !(Number(support) > 0 && Number(support) <= 1))
      throw new Error(`expected key:support with key in ${Object.keys(BASKET_FILES).join(', ')} (found ${c})`);
    return { spec, support: Number(support) };
  });
}

/**
 * End to end, file → itemset table, through the fastest public path: the basket-file reader (`readTable` with
 * `format: 'basket'`: one pass over the bytes, items interned without a string per item), `baskets`, then
 * `frequentItemsets`.
 */
export async function itemsetsOfFile(
  lib: Library,
  file: string,
  spec: BasketFile,
  options: { minSupport?: number; minCount?: number; target: Target },
): Promise<Table> {
  // the fastest public path: readBaskets (bytes → baskets, items numbered once, no long table)
  const b = await lib.readBaskets(file, { delimiter: spec.delimiter });
  return lib.frequentItemsets(b, options);
}

/** An item name without leading and trailing blanks (Borgelt's reader trims them: Groceries has `cream cheese `). */
export const trimmed = (name: string): string => name.trim();

/**
 * The itemsets of a clientele table as canonical keys (names trimmed and sorted, then the count), sorted: what is compared with
 * another program's output. `ordered` keeps the table's row order (to compare two clientele tables row by row).
 */
export function itemsetKeys(table: Table, ordered = false): string[] {
  const items = table.getChild('items')!;
  const counts = table.getChild('count')!.toArray() as Int32Array;
  const keys = new Array<string>(table.numRows);
  for (let i = 0; i < table.numRows; i++)
    keys[i] = `${([...items.get(i)!] as string[]).map(trimmed).sort().join('\u0001')}#${counts[i]}`;
  return ordered ? keys : keys.sort();
}

/** Same list, element by element. */
export const sameKeys = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);
