import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { analysisReport } from '../../src/report/index';
import {
  abc,
  acsiModel,
  associationRules,
  baskets,
  chooseK,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  frequentItemsets,
  kmeans,
  plsPathModel,
  predictClv,
  rfm,
  sampleStore,
  summaryFromTransactions,
  topRules,
} from '../../src/index';

/**
 * The built `clientele` binary (dist/cli.js), spawned on real files: the sample store's transactions written as CSV
 * by hand, as Parquet by DuckDB (`COPY … TO`) and as an Arrow IPC file by apache-arrow; basket lines and the
 * survey likewise. Every command's JSON output is compared with the library function run in this process on the
 * in-memory sample store; `--out` files are read back with DuckDB and apache-arrow, not with clientele's reader.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
const path = (name: string) => join(dir, name);

function cli(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000, // only ends a hang: no loaded machine needs 5 minutes for one command on these files
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs and expects success; returns stdout parsed as JSON. */
function cliJson<T = Record<string, unknown>[]>(...args: string[]): T {
  const r = cli(...args);
  expect(r.stderr, `clientele ${args.join(' ')}`).not.toMatch(/^\s+at /m);
  expect(r.status, `clientele ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** Arrow rows as plain values, converted here independently of the CLI: bigint → number, lists → arrays, NaN → null. */
function plainRows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) => {
    const o = row.toJSON() as Record<string, unknown>;
    for (const key of Object.keys(o)) o[key] = plainValue(o[key]);
    return o;
  });
}

function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v !== null && typeof v === 'object' && typeof (v as { toArray?: unknown }).toArray === 'function') {
    return Array.from((v as { toArray(): ArrayLike<unknown> }).toArray(), plainValue);
  }
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}

/**
 * Equal values: numbers within 1e-9 relative, everything else strictly; with `text`, for a CSV file read back as
 * text, a numeric string also equals its number.
 */
function same(a: unknown, b: unknown, text = false): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i], text));
  const na = text && typeof a === 'string' && a.trim() !== '' ? Number(a) : a;
  const nb = text && typeof b === 'string' && b.trim() !== '' ? Number(b) : b;
  if (typeof na === 'number' && typeof nb === 'number' && Number.isFinite(na) && Number.isFinite(nb)) {
    return Math.abs(na - nb) <= 1e-9 * Math.max(1, Math.abs(nb));
  }
  return a === b;
}

function expectRows(
  actual: Record<string, unknown>[],
  expected: Record<string, unknown>[],
  what: string,
  text = false,
): void {
  expect(actual.length, `${what}: row count`).toBe(expected.length);
  expect(actual.length, `${what}: no rows to compare`).toBeGreaterThan(0);
  expect(Object.keys(actual[0]), `${what}: columns`).toEqual(Object.keys(expected[0]));
  for (let i = 0; i < expected.length; i++) {
    for (const key of Object.keys(expected[i])) {
      if (!same(actual[i][key], expected[i][key], text)) {
        expect.fail(
          `${what}: row ${i} column ${key}: ${JSON.stringify(actual[i][key])} ≠ ${JSON.stringify(expected[i][key])}`,
        );
      }
    }
  }
}

/** A user-facing failure: the status, a message naming `names`, one line or a few, and no stack trace. */
function expectUserError(r: Run, status: 1 | 2, ...names: (string | RegExp)[]): void {
  expect(r.status, r.stderr).toBe(status);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  for (const name of names) expect(r.stderr).toMatch(name);
}

const store = sampleStore({ customers: 400, seed: 7 });
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
let duck: DuckDBConnection;

async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await duck.runAndReadAll(sql);
  return (reader.getRowObjectsJS() as Record<string, unknown>[]).map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`dist/cli.js is missing: build it first with \`npx tsup\` (npm test builds before running vitest)`);
  const built = statSync(CLI).mtimeMs;
  const sources = readdirSync(join(ROOT, 'src/cli'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  const stale = sources.filter((f) => statSync(join(ROOT, 'src/cli', f)).mtimeMs > built);
  if (stale.length) throw new Error(`dist/cli.js is older than src/cli/${stale[0]}: rebuild it with \`npx tsup\``);

  dir = mkdtempSync(join(tmpdir(), 'clientele-bin-'));
  // CSV by hand, straight from the Arrow columns
  const t = store.transactions as unknown as Table;
  const [id, customer, date, amount, items] = ['transaction', 'customer', 'date', 'amount', 'items'].map((n) =>
    t.getChild(n)!,
  );
  const lines = ['transaction,customer,date,amount,items'];
  for (let i = 0; i < t.numRows; i++)
    lines.push(`${id.get(i)},${customer.get(i)},${isoDay(date.get(i) as number)},${amount.get(i)},${items.get(i)}`);
  writeFileSync(path('tx.csv'), `${lines.join('\n')}\n`);
  const b = store.basketItems;
  const bl = ['transaction,item'];
  for (let i = 0; i < b.numRows; i++) bl.push(`${b.getChild('transaction')!.get(i)},${b.getChild('item')!.get(i)}`);
  writeFileSync(path('basket-items.csv'), `${bl.join('\n')}\n`);
  const s = store.survey as unknown as Table;
  const names = s.schema.fields.map((f) => f.name);
  const sl = [names.join(',')];
  for (let i = 0; i < s.numRows; i++) sl.push(names.map((n) => s.getChild(n)!.get(i)).join(','));
  writeFileSync(path('survey.csv'), `${sl.join('\n')}\n`);
  // Arrow IPC files by apache-arrow
  writeFileSync(path('tx.arrow'), tableToIPC(store.transactions, 'file'));
  writeFileSync(path('survey.arrow'), tableToIPC(store.survey, 'file'));

  // Parquet by DuckDB, and the bad files
  const db = await DuckDBInstance.create(':memory:');
  duck = await db.connect();
  const txCsv = `read_csv('${path('tx.csv')}', header = true, columns = {'transaction': 'INTEGER', 'customer': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE', 'items': 'INTEGER'})`;
  await duck.run(`COPY (SELECT * FROM ${txCsv}) TO '${path('tx.parquet')}' (FORMAT parquet)`);
  await duck.run(
    `COPY (SELECT * FROM read_csv('${path('basket-items.csv')}', header = true, columns = {'transaction': 'INTEGER', 'item': 'VARCHAR'})) TO '${path('basket-items.parquet')}' (FORMAT parquet)`,
  );
  await duck.run(
    `COPY (SELECT customer, date, 'EUR ' || amount::VARCHAR AS amount FROM ${txCsv}) TO '${path('wrong-type.parquet')}' (FORMAT parquet)`,
  );
  writeFileSync(path('missing-column.csv'), 'customer,date,revenue\na,2024-01-01,5\n');
  writeFileSync(path('malformed.csv'), 'customer,date,amount\na,2024-01-01,5\nb,"2024-01-02,7\nc,2024-01-03,9\n');
  writeFileSync(path('ragged.csv'), 'customer,date,amount\na,2024-01-01,5\nb,2024-01-02,7,12\n');
});

afterAll(() => {
  duck?.closeSync?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const INPUTS = ['tx.csv', 'tx.parquet', 'tx.arrow'];

describe('clientele rfm on CSV, Parquet and Arrow files', () => {
  const expected = () => plainRows(rfm(store.transactions, { segments: false }));
  for (const input of INPUTS) {
    it(`equals rfm() on ${input}`, () => {
      expectRows(cliJson('rfm', input), expected(), `rfm ${input}`);
    });
  }

  it('--segments, --bins and --as-of map onto rfm options', () => {
    const want = plainRows(rfm(store.transactions, { bins: 4, asOf: '2024-06-30' }));
    expectRows(
      cliJson('rfm', 'tx.parquet', '--segments', '--bins', '4', '--as-of', '2024-06-30'),
      want,
      'rfm --segments',
    );
    expect(want[0]).toHaveProperty('segment');
  });

  it('--out writes every format, and each reads back equal to the JSON on stdout', async () => {
    const stdout = cliJson('rfm', 'tx.csv', '--segments');
    for (const ext of ['csv', 'parquet', 'arrow', 'arrows', 'json', 'jsonl']) {
      const file = `rfm-out.${ext}`;
      const r = cli('rfm', 'tx.csv', '--segments', '--out', file);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      let back: Record<string, unknown>[];
      if (ext === 'arrow' || ext === 'arrows') back = plainRows(tableFromIPC(readFileSync(path(file))));
      else if (ext === 'json') back = JSON.parse(readFileSync(path(file), 'utf8'));
      else if (ext === 'jsonl')
        back = readFileSync(path(file), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
      else if (ext === 'csv')
        back = await duckRows(`SELECT * FROM read_csv('${path(file)}', header = true, all_varchar = true)`);
      else back = await duckRows(`SELECT * FROM read_parquet('${path(file)}')`);
      expectRows(back, stdout, `rfm --out ${file}`, ext === 'csv');
    }
  });
});

describe('clientele abc', () => {
  it('customers by revenue equal abc() on every input format', () => {
    const want = plainRows(abc(store.transactions, { key: 'customer', value: 'amount' }));
    for (const input of INPUTS) expectRows(cliJson('abc', input), want, `abc ${input}`);
  });

  it('--by item --count equals abc() of item line counts counted here by brute force', () => {
    const counts = new Map<string, number>();
    for (const item of store.basketItems.getChild('item')!)
      counts.set(String(item), (counts.get(String(item)) ?? 0) + 1);
    const want = plainRows(
      abc(
        { key: [...counts.keys()], value: [...counts.values()] },
        { key: 'key', value: 'value', cutoffs: [0.7, 0.9] },
      ),
    );
    expectRows(
      cliJson('abc', 'basket-items.parquet', '--by', 'item', '--count', '--cutoffs', '0.7,0.9'),
      want,
      'abc --by item --count',
    );
  });
});

describe('clientele clv', () => {
  it('BG/NBD + Gamma-Gamma equal the library fit and predictClv', () => {
    const summary = summaryFromTransactions(store.transactions, { calibrationEnd: '2024-06-30' });
    const bg = fitBgNbd(summary);
    const gg = fitGammaGamma(summary);
    const want = predictClv(bg, gg, summary, { horizon: 26, discountRate: 0.02, margin: 0.3 });
    const got = cliJson<{
      purchaseModel: { kind: string; params: Record<string, number> };
      spendModel: { params: Record<string, number> };
      customers: Record<string, unknown>[];
    }>('clv', 'tx.parquet', '--as-of', '2024-06-30', '--horizon', '26', '--discount-rate', '0.02', '--margin', '0.3');
    expect(got.purchaseModel.kind).toBe('bgNbd');
    for (const [k, v] of Object.entries(bg.params)) expect(got.purchaseModel.params[k]).toBeCloseTo(v, 9);
    for (const [k, v] of Object.entries(gg.params)) expect(got.spendModel.params[k]).toBeCloseTo(v, 9);
    expectRows(got.customers, plainRows(want), 'clv customers');
  });

  it('--model pareto --unit day, and --out writes the rows with the parameters on stderr', () => {
    const summary = summaryFromTransactions(store.transactions, { unit: 'day' });
    const pn = fitParetoNbd(summary);
    const want = predictClv(pn, fitGammaGamma(summary), summary, { horizon: 365, period: 365 / 12, discountRate: 0 });
    const r = cli('clv', 'tx.csv', '--model', 'pareto', '--unit', 'day', '--discount-rate', '0', '--out', 'clv.jsonl');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Pareto\/NBD r = /);
    const back = readFileSync(path('clv.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expectRows(back, plainRows(want), 'clv pareto');
  });
});

describe('clientele segment', () => {
  const features = () => {
    const scored = rfm(store.transactions, { segments: false });
    const f = scored.getChild('frequency')!.toArray() as ArrayLike<number>;
    const m = scored.getChild('monetary')!.toArray() as ArrayLike<number>;
    return {
      customer: Array.from(scored.getChild('customer')!, String),
      recency: Array.from(scored.getChild('recency')!.toArray() as ArrayLike<number>),
      logFrequency: Array.from(f, (x) => Math.log(1 + x)),
      logMonetary: Array.from(m, (x) => Math.log(1 + x)),
    };
  };
  const columns = ['recency', 'logFrequency', 'logMonetary'];

  it('--k 3 gives kmeans() labels on rfm recency and log1p frequency and spend', () => {
    const want = kmeans(features(), { columns, k: 3, seed: 5 });
    const rows = cliJson('segment', 'tx.arrow', '--k', '3', '--seed', '5');
    expect(rows.map((r) => r.customer)).toEqual(features().customer);
    expect(rows.map((r) => r.segment)).toEqual(Array.from(want.labels));
  });

  it('--k auto picks chooseK()’s k and says why on stderr', () => {
    const choice = chooseK(features(), { columns, kRange: [2, 5], seed: 1 });
    const r = cli('segment', 'tx.csv', '--k', 'auto', '--k-range', '2,5');
    expect(r.status, r.stderr).toBe(0);
    const labels = (JSON.parse(r.stdout) as Record<string, unknown>[]).map((row) => row.segment as number);
    expect(new Set(labels).size).toBe(choice.k);
    expect(r.stderr).toContain(`k = ${choice.k}`);
  });
});

describe('clientele rules', () => {
  it('equals associationRules(frequentItemsets(baskets())) on CSV and Parquet basket lines', () => {
    const itemsets = frequentItemsets(baskets(store.basketItems), { minSupport: 0.01 });
    const want = plainRows(associationRules(itemsets, { minConfidence: 0.2 }));
    for (const input of ['basket-items.csv', 'basket-items.parquet']) {
      expectRows(cliJson('rules', input, '--min-support', '0.01', '--min-confidence', '0.2'), want, `rules ${input}`);
    }
  });

  it('--top 3 --by confidence equals topRules()', () => {
    const rules = associationRules(frequentItemsets(baskets(store.basketItems), { minSupport: 0.01 }), {
      minConfidence: 0.1,
    });
    const want = plainRows(topRules(rules, 3, { by: 'confidence' }));
    expectRows(
      cliJson(
        'rules',
        'basket-items.csv',
        '--min-support',
        '0.01',
        '--min-confidence',
        '0.1',
        '--top',
        '3',
        '--by',
        'confidence',
      ),
      want,
      'rules --top',
    );
  });
});

describe('clientele csi', () => {
  it('index, paths and scores equal plsPathModel() with the ACSI model of the sample survey', () => {
    const fit = plsPathModel(store.survey, acsiModel(store.truth.acsi.blocks), { scale: [1, 10], key: 'customer' });
    for (const input of ['survey.csv', 'survey.arrow']) {
      const got = cliJson<{
        index: Record<string, number>;
        paths: { from: string; to: string; estimate: number }[];
        respondents: number;
        scores: Record<string, unknown>[];
      }>('csi', input, '--scale', '1,10');
      expect(got.respondents).toBe(fit.respondents);
      for (const [lv, v] of Object.entries(fit.index)) expect(got.index[lv], lv).toBeCloseTo(v, 9);
      expect(got.paths).toHaveLength(9);
      for (const p of got.paths) expect(p.estimate, `${p.from} → ${p.to}`).toBeCloseTo(fit.paths[p.from][p.to], 9);
      expectRows(got.scores, plainRows(fit.indexScores), `csi ${input} scores`);
    }
  });

  it('--scale and --scheme reach plsPathModel()', () => {
    const fit = plsPathModel(store.survey, acsiModel(store.truth.acsi.blocks), { scale: [0, 12], scheme: 'path' });
    const got = cliJson<{ index: Record<string, number>; scheme: string }>(
      'csi',
      'survey.csv',
      '--scale',
      '0,12',
      '--scheme',
      'path',
    );
    expect(got.scheme).toBe('path');
    for (const [lv, v] of Object.entries(fit.index)) expect(got.index[lv], lv).toBeCloseTo(v, 9);
  });

  it('--block renames a construct’s columns; an unknown block is a usage error', () => {
    const r = cli('csi', 'survey.csv', '--block', 'loyalty=loy1', '--block', 'value=val2');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).blocks).toMatchObject({
      loyalty: ['loy1'],
      value: ['val2'],
      quality: ['qual1', 'qual2', 'qual3'],
    });
    expectUserError(
      cli('csi', 'survey.csv', '--block', 'happiness=sat1'),
      2,
      /--block names "happiness", which is not a construct/,
    );
  });
});

describe('clientele report', () => {
  it('writes one self-contained HTML page with the sections analysisReport() makes', async () => {
    const { sections } = await analysisReport(store.transactions, {
      basketItems: store.basketItems,
      survey: store.survey,
      k: 3,
    });
    const r = cli(
      'report',
      'tx.parquet',
      '--baskets',
      'basket-items.csv',
      '--survey',
      'survey.arrow',
      '--k',
      '3',
      '--out',
      'report.html',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const html = readFileSync(path('report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(sections.length).toBeGreaterThan(5);
    for (const s of sections) expect(html, s.title).toContain(s.title.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
  });
});

describe('clientele report on a log without items', () => {
  it('leaves out the basket sections instead of failing, as analysisReport() does', async () => {
    const { sections } = await analysisReport(store.transactions, { k: 2 });
    const r = cli('report', 'tx.csv', '--k', '2', '--out', 'plain.html', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const html = readFileSync(path('plain.html'), 'utf8');
    for (const s of sections) expect(html, s.title).toContain(s.title.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
  });
});

describe('bad input: exit 1, a message naming the problem, no stack trace', () => {
  it('a missing column', () => {
    expectUserError(cli('rfm', 'missing-column.csv'), 1, /^clientele: /, /"amount"/);
    expectUserError(cli('rfm', 'missing-column.csv', '--amount', 'turnover'), 1, /"turnover"/);
  });

  it('a malformed CSV names the line', () => {
    expectUserError(cli('rfm', 'malformed.csv'), 1, /^clientele: /, /line \d+/i);
    expectUserError(cli('rfm', 'ragged.csv'), 1, /^clientele: /, /line 3/i);
  });

  it('a file that does not exist', () => {
    expectUserError(cli('rfm', 'no-such-file.csv'), 1, /^clientele: /, /no-such-file\.csv/);
  });

  it('a Parquet file whose amount column holds text', () => {
    expectUserError(cli('rfm', 'wrong-type.parquet'), 1, /^clientele: /, /"amount"/);
  });

  it('a survey without the ACSI columns', () => {
    expectUserError(cli('csi', 'tx.csv'), 1, /expectations/, /--block/);
  });
});

describe('usage errors: exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate', 'tx.csv'], /unknown command 'frobnicate'/],
    ['an unknown option', ['rfm', 'tx.csv', '--colour', 'red'], /unknown option '--colour'/],
    ['a missing argument', ['abc'], /missing required argument 'input'/],
    ['an option value out of range', ['rfm', 'tx.csv', '--bins', '30'], /--bins/],
    ['a bad choice', ['clv', 'tx.csv', '--model', 'gamma'], /--model/],
    ['an output format it cannot write', ['rfm', 'tx.csv', '--out', 'rfm.xlsx'], /--out/],
    ['a bad k', ['segment', 'tx.csv', '--k', 'many'], /--k/],
    ['conflicting options', ['abc', 'tx.csv', '--count', '--value', 'amount'], /--count/],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => expectUserError(cli(...args), 2, message));
  }
});

describe('help, version and progress', () => {
  it('--help of the program and of every command shows examples', () => {
    const top = cli('--help');
    expect(top.status).toBe(0);
    for (const command of ['rfm', 'abc', 'clv', 'segment', 'rules', 'csi', 'report']) {
      expect(top.stdout).toContain(command);
      const r = cli(command, '--help');
      expect(r.status, command).toBe(0);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toMatch(new RegExp(`\\$ clientele ${command} \\S+`));
    }
  });

  it('--version prints the package version', () => {
    const r = cli('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('no progress bar when stderr is not a terminal', () => {
    const r = cli('clv', 'tx.csv', '--out', 'clv-progress.csv');
    expect(r.status, r.stderr).toBe(0);
    // eslint-disable-next-line no-control-regex -- an ANSI escape is exactly what must not appear
    expect(r.stderr).not.toMatch(/\u001b\[|%|█|░/);
    const q = cli('--quiet', 'clv', 'tx.csv', '--out', 'clv-quiet.csv');
    expect(q.stderr).toBe('');
  });
});
