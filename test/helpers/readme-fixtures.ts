import { chmodSync, copyFileSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeTable } from '../../src/io/index';
import { sampleStore } from '../../src/sample/index';
import { dataset } from './datasets';

/**
 * The working directory every README code block runs in (test/readme-examples.test.ts), and the contract README
 * examples are written to. It holds:
 *
 * - `transactions.csv`, `transactions.arrow` (Arrow IPC file), `transactions.parquet`: the transactions of
 *   `sampleStore({ customers: 2000, seed: 1 })` — columns `transaction` (Int32), `customer` (text), `date` (a
 *   calendar day, 2023-01-01 … 2024-12-30), `amount`, `items`;
 * - `basket-items.csv`: that store's `basketItems` — `transaction`, `item`;
 * - `survey.csv`: that store's `survey` — `customer`, `exp1…3`, `qual1…3`, `val1…2`, `sat1…3`, `comp1`, `loy1…2`
 *   (answers 1–10);
 * - the public datasets of `datasets/`, unpacked under their own names: `online_retail_sample.csv`,
 *   `CDNOW_master.txt`, `groceries.csv`, `retail.dat`, `satisfaction.csv`, `mobi.csv`;
 * - `node_modules/`: `clientele` (a link to this repository, whose package.json exports map to `dist/`) and a link to
 *   every package this repository installed (`apache-arrow`, `@duckdb/node-api`, `tsx`, …), as a user's project
 *   has after `npm install clientele` and the packages an example imports.
 */
export const README_SAMPLE = { customers: 2000, seed: 1 } as const;
export const README_DATASETS = [
  'online_retail_sample.csv',
  'CDNOW_master.txt',
  'groceries.csv',
  'retail.dat',
  'satisfaction.csv',
  'mobi.csv',
] as const;

/**
 * Writes the shared fixture files into `fixtureDir` (mode 0444: a block run as an ordinary user cannot change what
 * another reads)
 * and the `node_modules` links into `root`, the parent of every block's directory. Returns the fixture's file names.
 */
export async function writeReadmeFixture(root: string, fixtureDir: string, repo: string): Promise<string[]> {
  mkdirSync(fixtureDir, { recursive: true });
  const store = sampleStore(README_SAMPLE);
  await writeTable(store.transactions, join(fixtureDir, 'transactions.csv'));
  await writeTable(store.transactions, join(fixtureDir, 'transactions.arrow'));
  await writeTable(store.transactions, join(fixtureDir, 'transactions.parquet'));
  await writeTable(store.basketItems, join(fixtureDir, 'basket-items.csv'));
  await writeTable(store.survey, join(fixtureDir, 'survey.csv'));
  for (const name of README_DATASETS) copyFileSync(dataset(name), join(fixtureDir, name));
  const files = readdirSync(fixtureDir);
  for (const name of files) chmodSync(join(fixtureDir, name), 0o444);

  const modules = join(root, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const installed = join(repo, 'node_modules');
  for (const name of readdirSync(installed)) {
    if (name.startsWith('.') || name === 'clientele') continue;
    symlinkSync(join(installed, name), join(modules, name));
  }
  symlinkSync(repo, join(modules, 'clientele'));
  return files;
}

/**
 * A block's own directory under `root`, with a link to every fixture file (its outputs stay its own) and to
 * `root/node_modules` (so that a path such as './node_modules/clientele/dist/index.js' works, and Deno, whose
 * `deno.json` — a copy of the repository's: `"nodeModulesDir": "manual"` — reads npm packages from there).
 */
export function blockDirectory(root: string, fixtureDir: string, files: readonly string[], name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of files) symlinkSync(join(fixtureDir, file), join(dir, file));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}
