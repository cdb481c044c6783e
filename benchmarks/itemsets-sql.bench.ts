/**
 * Frequent itemsets counted in DuckDB (`frequentItemsetsInSql`, issue 20) against the in-process miners, on the public
 * basket files of datasets/: Groceries (9,835 baskets, 43,367 line items) and retail (88,162 baskets, 908,576 line
 * items), in long form (one row per transaction and item).
 *
 * 1. Data: each basket file read into a long table (transaction = line number, item = name or id; repeats within a
 *    line kept: both sides count an item once per basket), written to a CSV in a temporary directory and loaded into
 *    an in-memory DuckDB table (`read_csv`, not timed).
 * 2. SQL: `frequentItemsetsInSql(connection, { table, minSupport })` — one timed call after one warm-up at the
 *    highest support; the statement count is the result's `clientele.statements` metadata.
 * 3. In-process: `frequentItemsets(baskets(log), { minSupport })` (Eclat, the default) and with `algorithm:
 *    'apriori'` — `baskets` from the long table included in the time, as the SQL side reads the long table.
 * 4. Equality: the SQL table's rows (items, count, support, length) equal the in-process Apriori table's, checked.
 *
 * Run: `npx tsx benchmarks/itemsets-sql.bench.ts [--datasets groceries,retail] [--supports 0.01,0.005,0.002]`.
 * Prints a Markdown table (the lead records the figures in RESULTS.md).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Table } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { asTable, baskets, frequentItemsets, frequentItemsetsInSql } from '../src/index';
import { machine, markdownTable, timed } from './harness';

const DATASETS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../datasets');
const FILES: Record<string, { file: string; separator: string }> = {
  groceries: { file: 'groceries.csv.gz', separator: ',' },
  retail: { file: 'retail.dat.gz', separator: ' ' },
};

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

/** The basket file as a long log: one row per (line number, item). */
function longLog(name: string): { transaction: number[]; item: string[]; baskets: number } {
  const { file, separator } = FILES[name];
  const lines = gunzipSync(readFileSync(path.join(DATASETS, file)))
    .toString('utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0);
  const transaction: number[] = [];
  const item: string[] = [];
  lines.forEach((line, t) => {
    for (const entry of line.trim().split(separator)) {
      if (entry.length === 0) continue;
      transaction.push(t + 1);
      item.push(entry);
    }
  });
  return { transaction, item, baskets: lines.length };
}

function rowsOf(table: Table): string[] {
  return Array.from({ length: table.numRows }, (_, i) => {
    const r = table.get(i)!;
    return `${Array.from(r.items.toArray()).join(',')}|${r.count}|${r.support}|${r.length}`;
  });
}

async function main(): Promise<void> {
  const names = argument('datasets', 'groceries,retail').split(',');
  const supports = argument('supports', '0.01,0.005,0.002').split(',').map(Number);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-itemsets-sql-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rows: string[][] = [];
  try {
    for (const name of names) {
      const log = longLog(name);
      const csv = path.join(dir, `${name}.csv`);
      const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
      writeFileSync(
        csv,
        `transaction,item\n${log.item.map((it, i) => `${log.transaction[i]},${quote(it)}`).join('\n')}\n`,
      );
      await connection.run(
        `CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_csv('${csv}', header = true, ` +
          `columns = {'transaction': 'INTEGER', 'item': 'VARCHAR'})`,
      );
      const table = asTable({ transaction: log.transaction, item: log.item });
      await frequentItemsetsInSql(connection, { table: name, minSupport: Math.max(...supports) }); // warm-up
      for (const minSupport of supports) {
        const sql = await timed(() => frequentItemsetsInSql(connection, { table: name, minSupport }));
        const eclat = await timed(() => frequentItemsets(baskets(table), { minSupport }));
        const apriori = await timed(() => frequentItemsets(baskets(table), { minSupport, algorithm: 'apriori' }));
        const equal = JSON.stringify(rowsOf(sql.value)) === JSON.stringify(rowsOf(apriori.value));
        const lengths = sql.value.getChild('length')!.toArray() as Int32Array;
        rows.push([
          `${name} (${log.baskets.toLocaleString('en')} baskets, ${log.item.length.toLocaleString('en')} lines)`,
          String(minSupport),
          sql.value.numRows.toLocaleString('en'),
          String(lengths.length === 0 ? 0 : Math.max(...lengths)),
          sql.value.schema.metadata.get('clientele.statements') ?? '?',
          `${(sql.ms / 1000).toFixed(2)} s`,
          `${(eclat.ms / 1000).toFixed(2)} s`,
          `${(apriori.ms / 1000).toFixed(2)} s`,
          equal ? 'yes' : 'NO',
        ]);
        console.error(rows.at(-1)!.join(' | '));
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nMachine: ${machine()}; DuckDB in-memory, same process.\n`);
  console.log(
    markdownTable(
      [
        'data',
        'minSupport',
        'itemsets',
        'longest',
        'statements',
        'DuckDB (frequentItemsetsInSql)',
        'in-process Eclat (baskets + mining)',
        'in-process Apriori',
        'equal',
      ],
      rows,
    ),
  );
}

await main();
