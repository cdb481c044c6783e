/**
 * clientele's ESM build under Deno 2, unchanged: imported by path and by the package's own name, run over a
 * representative subset of the API, and compared with what Node computed from the same build in the
 * same run (DESIGN principle 2). Run by scripts/test-deno.sh, which passes the reference JSON and a scratch
 * directory for the io test after `--` and grants read access to exactly those, package.json and parquet-wasm.
 *
 * The reference JSON comes from scripts/deno-reference.mjs; both sides run test/deno/cases.mjs. Besides the
 * parity test, a few results are checked against brute-force counts done here, so that a fault shared by Node and
 * Deno still fails.
 *
 * `tsc --noEmit` also reads this file (tsconfig includes test/): the `Deno` global is reached through globalThis
 * with the few members used here, and dist/ exists only after the build, hence the `@ts-ignore`s on its imports.
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { runCases } from './cases.mjs';
// @ts-ignore: dist/ is built by tsup (`npm run build`) after `tsc --noEmit` runs in CI
import * as byPath from '../../dist/index.js';
// @ts-ignore: resolved through package.json "exports" (self-reference) and node_modules ("nodeModulesDir": "manual")
import * as byName from 'clientele';
// Every subpath export, imported statically so that Deno resolves them without --allow-read.
// @ts-ignore: a subpath export of the same package
import * as tableSubpath from 'clientele/table';
// @ts-ignore: a subpath export of the same package
import * as rfmSubpath from 'clientele/rfm';
// @ts-ignore: a subpath export of the same package
import * as abcSubpath from 'clientele/abc';
// @ts-ignore: a subpath export of the same package
import * as clvSubpath from 'clientele/clv';
// @ts-ignore: a subpath export of the same package
import * as sampleSubpath from 'clientele/sample';
// @ts-ignore: a subpath export of the same package
import * as satisfactionSubpath from 'clientele/satisfaction';
// @ts-ignore: a subpath export of the same package
import * as chartsSubpath from 'clientele/charts';
// @ts-ignore: a subpath export of the same package
import * as segmentSubpath from 'clientele/segment';
// @ts-ignore: a subpath export of the same package
import * as basketSubpath from 'clientele/basket';
// @ts-ignore: a subpath export of the same package
import * as sequenceSubpath from 'clientele/sequence';
// @ts-ignore: a subpath export of the same package
import * as ioSubpath from 'clientele/io';
// @ts-ignore: a subpath export of the same package
import * as reportSubpath from 'clientele/report';
// @ts-ignore: a subpath export of the same package
import * as sqlSubpath from 'clientele/sql';
// @ts-ignore: a subpath export of the same package
import * as streamSubpath from 'clientele/stream';
// @ts-ignore: a subpath export of the same package
import * as parallelSubpath from 'clientele/parallel';

interface TestContext {
  step(name: string, fn: () => void | Promise<void>): Promise<boolean>;
}
interface DenoGlobal {
  test(name: string, fn: (t: TestContext) => void | Promise<void>): void;
  test(options: { name: string; ignore: boolean; fn: () => void | Promise<void> }): void;
  readonly args: readonly string[];
  readTextFile(path: string | URL): Promise<string>;
  readonly version: { readonly deno: string };
}
const Deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;

// the namespaces are untyped for tsc when dist/ has no declarations yet
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the built package, loaded untyped under Deno
type Api = Record<string, any>;
const api = byPath as Api;
const SUBPATHS: Record<string, Api> = {
  table: tableSubpath,
  rfm: rfmSubpath,
  abc: abcSubpath,
  clv: clvSubpath,
  sample: sampleSubpath,
  satisfaction: satisfactionSubpath,
  charts: chartsSubpath,
  segment: segmentSubpath,
  basket: basketSubpath,
  sequence: sequenceSubpath,
  io: ioSubpath,
  report: reportSubpath,
  sql: sqlSubpath,
  stream: streamSubpath,
  parallel: parallelSubpath,
};

/**
 * Tolerances of the parity test. V8 changed Math.exp/log/log1p/cos/cbrt/… between Node 20 (V8 11, fdlibm ports)
 * and Deno 2.9 (V8 15, correctly rounded): the same call can differ in the last bit (Math.exp(1.7) is
 * 5.473947391727199 on Node 20 and 5.4739473917272 on Deno 2.9, the latter correctly rounded). So a
 * non-integer number may differ by TOLERANCE relative; integers, strings, labels, classes, segments, itemsets and
 * everything computed with + − × ÷ √ alone (sample data, RFM, ABC, baskets) must be identical. Two places amplify
 * last-bit differences and get their own, stated bounds (measured: 5e-4 and 6e-7 relative); the optimiser's
 * iteration count is path-dependent and not compared.
 */
const TOLERANCE = 1e-9;
const LOOSER: readonly { path: RegExp; tolerance: number; why: string }[] = [
  {
    path: /\.(standardErrors\.|covariance\[)/,
    tolerance: 5e-3,
    why: 'standard errors and the covariance come from a finite-difference Hessian',
  },
  {
    path: /^\$\.(gg\.(params|logLikelihood)|value\.columns\.(clv|expectedSpend))\b/,
    tolerance: 1e-5,
    why: 'the Gamma-Gamma likelihood is flat along a ridge: its optimiser stops anywhere within its tolerance',
  },
];
const UNCOMPARED = /\.iterations$/;

interface Comparison {
  /** The first path where the values differ beyond the tolerance, with both sides; null when they agree. */
  difference: string | null;
  /** Non-integer numbers that differ within the tolerance, and the largest relative difference among them. */
  inexact: number;
  maxRelative: number;
}

function compare(
  a: unknown,
  b: unknown,
  path = '$',
  acc: Comparison = { difference: null, inexact: 0, maxRelative: 0 },
): Comparison {
  if (acc.difference || Object.is(a, b)) return acc;
  const show = (x: unknown) => JSON.stringify(x)?.slice(0, 200);
  if (typeof a === 'number' && typeof b === 'number') {
    const relative = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    const tolerance = LOOSER.find((l) => l.path.test(path))?.tolerance ?? TOLERANCE;
    if (UNCOMPARED.test(path)) return acc;
    if (Number.isInteger(a) && Number.isInteger(b) && Math.abs(a) < 2 ** 52)
      acc.difference = `${path}: Deno ${a} ≠ Node ${b} (integers must agree)`;
    else if (relative <= tolerance) {
      acc.inexact++;
      acc.maxRelative = Math.max(acc.maxRelative, relative);
    } else acc.difference = `${path}: Deno ${a} ≠ Node ${b} (relative ${relative.toExponential(2)})`;
    return acc;
  }
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    acc.difference = `${path}: Deno ${show(a)} ≠ Node ${show(b)}`;
    return acc;
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) {
    acc.difference = `${path}: keys [${ka.join(', ').slice(0, 200)}] ≠ [${kb.join(', ').slice(0, 200)}]`;
    return acc;
  }
  for (const k of ka)
    compare(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`,
      acc,
    );
  return acc;
}

Deno.test('the ESM build loads under Deno by path, by package name and by every subpath export', async () => {
  ok(Object.keys(api).length >= 80, `dist/index.js exports ${Object.keys(api).length} names`);
  // one module graph: the bare specifier resolves to the very file imported by path
  strictEqual((byName as Api).rfm, api.rfm);
  const manifest = JSON.parse(await Deno.readTextFile(new URL('../../package.json', import.meta.url))) as {
    exports: Record<string, unknown>;
  };
  const exported = Object.keys(manifest.exports)
    .filter((k) => k !== '.' && k !== './package.json')
    .map((k) => k.slice(2))
    .sort();
  deepStrictEqual(
    Object.keys(SUBPATHS).sort(),
    exported,
    'package.json "exports" and the subpaths imported above differ: add the new ones to SUBPATHS',
  );
  for (const [sub, mod] of Object.entries(SUBPATHS)) {
    ok(Object.keys(mod).length > 0, `clientele/${sub} exports nothing`);
    for (const [name, value] of Object.entries(mod))
      strictEqual(value, api[name], `clientele/${sub} exports ${name} unlike the root`);
  }
});

Deno.test('same input and seed give the same output on Deno as on Node (last-bit tolerance)', async (t) => {
  const file = Deno.args[0];
  ok(file, 'pass the reference JSON of scripts/deno-reference.mjs after `--`');
  const reference = JSON.parse(await Deno.readTextFile(file)) as { runtime: string; results: Record<string, unknown> };
  const results = await runCases(api);
  deepStrictEqual(Object.keys(results), Object.keys(reference.results), 'the two runtimes ran different cases');
  for (const [name, value] of Object.entries(results)) {
    await t.step(name, () => {
      const expected = reference.results[name] as { skipped?: string } | null;
      if (expected && typeof expected === 'object' && 'skipped' in expected) {
        console.log(`  ${name}: skipped on both runtimes (${expected.skipped})`);
        return;
      }
      const { difference, inexact, maxRelative } = compare(value, expected);
      if (difference)
        throw new Error(`${name}: Deno ${Deno.version.deno} and ${reference.runtime} differ at ${difference}`);
      console.log(
        `  ${name}: ${inexact ? `${inexact} numbers within ${maxRelative.toExponential(1)} relative, the rest` : 'all values'} identical`,
      );
    });
  }
});

Deno.test('results match brute-force counts done in Deno', () => {
  const store = api.sampleStore({ customers: 800, seed: 3 });
  const tx = store.transactions;
  const customers = new Set(tx.getChild('customer').toArray());
  const scored = api.rfm(tx);
  strictEqual(scored.numRows, customers.size, 'one RFM row per distinct customer');
  const frequency = scored.getChild('frequency').toArray() as Int32Array;
  strictEqual(
    frequency.reduce((s: number, x: number) => s + x, 0),
    tx.numRows,
    'RFM frequencies add up to the transactions',
  );

  const amounts = tx.getChild('amount').toArray() as Float64Array;
  const summary = api.customerSummary(tx);
  const classes = api.abc(summary, { key: 'customer', value: 'monetary' });
  const total = amounts.reduce((s, x) => s + x, 0);
  const values = classes.getChild('value').toArray() as Float64Array;
  ok(Math.abs(values.reduce((s, x) => s + x, 0) - total) <= 1e-6 * total, 'ABC values add up to the revenue');
  const kinds = new Set(classes.getChild('class').toArray());
  deepStrictEqual([...kinds].sort(), ['A', 'B', 'C']);

  // support of {diapers} and of {beer, diapers}, counted here from the basket lines
  const ids = store.basketItems.getChild('transaction').toArray() as Int32Array;
  const items = store.basketItems.getChild('item').toArray() as string[];
  const byBasket = new Map<number, Set<string>>();
  for (let i = 0; i < ids.length; i++) {
    if (!byBasket.has(ids[i])) byBasket.set(ids[i], new Set());
    byBasket.get(ids[i])!.add(items[i]);
  }
  const n = byBasket.size;
  const withDiapers = [...byBasket.values()].filter((s) => s.has('diapers')).length;
  const withBoth = [...byBasket.values()].filter((s) => s.has('diapers') && s.has('beer')).length;
  const itemsets = api.frequentItemsets(api.baskets(store.basketItems, { transaction: 'transaction', item: 'item' }), {
    minSupport: 0.01,
  });
  const supportOf = (names: string[]) => {
    const lists = itemsets.getChild('items');
    for (let i = 0; i < itemsets.numRows; i++) {
      const row = [...lists.get(i)].sort();
      if (row.join('|') === [...names].sort().join('|')) return itemsets.getChild('support').get(i) as number;
    }
    return NaN;
  };
  ok(
    Math.abs(supportOf(['diapers']) - withDiapers / n) < 1e-12,
    `support of {diapers}: ${supportOf(['diapers'])} vs ${withDiapers / n}`,
  );
  ok(
    Math.abs(supportOf(['beer', 'diapers']) - withBoth / n) < 1e-12,
    `support of {beer, diapers}: ${supportOf(['beer', 'diapers'])} vs ${withBoth / n}`,
  );

  const seg = api.kmeans(
    { x: [1, 1.2, 0.8, 10, 10.2, 9.8], y: [1, 0.9, 1.1, 5, 5.1, 4.9] },
    { columns: ['x', 'y'], k: 2, seed: 3 },
  );
  deepStrictEqual(Array.from(seg.sizes as Int32Array), [3, 3]);
  ok(seg.labels[0] === seg.labels[2] && seg.labels[0] !== seg.labels[3]);
});

Deno.test('a chart spec displays in Deno Jupyter as a Vega-Lite MIME bundle', () => {
  const { survey, truth } = api.sampleSurvey({ respondents: 300, seed: 2 });
  const fit = api.plsPathModel(survey, api.acsiModel(truth.blocks), { scale: [1, 10] });
  const spec = api.importancePerformanceChart(api.importancePerformance(fit, 'satisfaction'));
  const display = spec[Symbol.for('Jupyter.display')];
  strictEqual(typeof display, 'function', 'the spec carries a Symbol.for("Jupyter.display") method');
  const bundle = display.call(spec) as Record<string, unknown>;
  const vegaLite = bundle['application/vnd.vegalite.v5+json'] as Record<string, unknown>;
  ok(vegaLite, `MIME types: ${Object.keys(bundle).join(', ')}`);
  ok(String(vegaLite.$schema).includes('vega-lite/v6'), `$schema ${vegaLite.$schema}`);
  // the kernel sends the bundle as JSON: the spec must survive serialisation with its data and marks
  const sent = JSON.parse(JSON.stringify(vegaLite)) as Record<string, unknown>;
  ok(sent.data || sent.datasets, 'the spec carries its data inline');
  ok(sent.mark || sent.layer || sent.hconcat || sent.vconcat, 'the spec has marks');
});

Deno.test('a ClienteleError keeps its code and message under Deno', () => {
  try {
    api.abc({ key: ['a'], value: [1] }, { key: 'product', value: 'value' });
    throw new Error('abc accepted a missing key column');
  } catch (e) {
    const error = e as { name: string; code: string; message: string };
    strictEqual(error.name, 'ClienteleError');
    strictEqual(error.code, 'MISSING_COLUMN');
    ok(error.message.startsWith('abc: '), error.message);
  }
});

/** Table columns as exact JSON-able arrays, for comparing a table read back with the one written. */
const columnsOf = (table: Api, names: readonly string[]) =>
  Object.fromEntries(
    names.map((n) => [n, Array.from({ length: table.numRows }, (_, i) => String(table.getChild(n).get(i)))]),
  );

const ioDir = Deno.args[1];
Deno.test({
  name: 'io: every format written to a file and read back under Deno gives the table back',
  ignore: !ioDir || typeof api.writeTable !== 'function' || typeof api.readTable !== 'function',
  fn: async () => {
    const tx = api.sampleStore({ customers: 200, seed: 9 }).transactions;
    const names = tx.schema.fields.map((f: { name: string }) => f.name) as string[];
    // text formats keep the values, not necessarily the Arrow types (CSV infers them back)
    const textual = ['customer', 'amount', 'transaction', 'items'];
    for (const [extension, exact] of [
      ['arrow', true],
      ['parquet', true],
      ['csv', false],
      ['jsonl', false],
    ] as const) {
      const path = `${ioDir}/transactions.${extension}`;
      await api.writeTable(tx, path);
      const back = await api.readTable(path);
      strictEqual(back.numRows, tx.numRows, `${extension}: rows`);
      const compared = exact ? names : textual;
      deepStrictEqual(
        columnsOf(back, compared),
        columnsOf(tx, compared),
        `${extension}: columns ${compared.join(', ')}`,
      );
    }
  },
});
