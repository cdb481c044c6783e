#!/usr/bin/env node
/**
 * Checks a notebook executed by scripts/run-notebook.sh (examples/notebook.ipynb run on Deno's kernel):
 *   1. every code cell ran (has an execution count) and none produced an error output;
 *   2. every cell tagged "chart" produced an application/vnd.vegalite.v5+json output holding a Vega-Lite v6 spec
 *      with data and marks that vega-lite compiles to Vega without an error or warning, and there are at least
 *      MIN_CHARTS of them;
 *   3. every cell that ends with preview(…) displayed a text/html table (preview's Jupyter.display);
 *   4. the key figures the notebook prints are the ones Node computes from the same dist/ build: the store's size,
 *      the Champions' shares, the Pareto share and Gini, the BG/NBD estimates, the ACSI index, the chosen k and its
 *      segment sizes, the {diapers} → {beer} rule. Printed figures are rounded, so Node's and Deno's last-bit
 *      differences (see test/deno/dist_deno.ts) do not show.
 *
 *   node scripts/check-notebook.mjs <executed.ipynb>
 */
import { readFileSync } from 'node:fs';
import { compile } from 'vega-lite';

const VEGA_LITE = 'application/vnd.vegalite.v5+json';
const MIN_CHARTS = 10;

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/check-notebook.mjs <executed.ipynb>');
  process.exit(2);
}
const notebook = JSON.parse(readFileSync(file, 'utf8'));
const problems = [];
const join = (s) => (Array.isArray(s) ? s.join('') : String(s ?? ''));

/** Text a cell printed or displayed as plain text. */
function textOf(cell) {
  return cell.outputs.map((o) => (o.output_type === 'stream' ? join(o.text) : join(o.data?.['text/plain']))).join('\n');
}

const cells = new Map();
let charts = 0;
for (const [index, cell] of notebook.cells.entries()) {
  if (cell.cell_type !== 'code') continue;
  const name = cell.id ?? `cell ${index + 1}`;
  cells.set(name, cell);
  if (cell.execution_count == null) problems.push(`${name}: did not run`);
  for (const o of cell.outputs) {
    if (o.output_type === 'error') problems.push(`${name}: ${o.ename}: ${o.evalue}`);
    if (o.output_type === 'stream' && o.name === 'stderr')
      problems.push(`${name}: wrote to stderr: ${join(o.text).slice(0, 300)}`);
  }
  // a cell that ends with preview(…) displays it as an HTML table through its Symbol.for('Jupyter.display')
  const last = join(cell.source).trim().split('\n').at(-1) ?? '';
  if (/^preview\(/.test(last) && !cell.outputs.some((o) => join(o.data?.['text/html']).includes('<table'))) {
    problems.push(`${name}: ends with preview(…) but displayed no text/html table`);
  }
  if (cell.metadata?.tags?.includes('chart')) {
    const specs = cell.outputs.map((o) => o.data?.[VEGA_LITE]).filter(Boolean);
    if (specs.length !== 1) {
      problems.push(
        `${name}: expected one ${VEGA_LITE} output, found ${specs.length} (outputs: ${cell.outputs.map((o) => Object.keys(o.data ?? { [o.output_type]: 1 }).join('+')).join(', ') || 'none'})`,
      );
      continue;
    }
    const spec = specs[0];
    const marks = spec.mark ?? spec.layer ?? spec.hconcat ?? spec.vconcat ?? spec.concat;
    const data = spec.data ?? spec.datasets ?? (spec.layer ?? spec.hconcat ?? spec.vconcat ?? []).some((s) => s.data);
    if (!String(spec.$schema).includes('vega-lite/v6')) problems.push(`${name}: $schema is ${spec.$schema}`);
    else if (!marks || !data) problems.push(`${name}: the spec has no ${marks ? 'data' : 'marks'}`);
    else {
      const warnings = [];
      const logger = {
        level: () => logger,
        info: () => logger,
        debug: () => logger,
        warn: (...m) => (warnings.push(m.join(' ')), logger),
        error: (...m) => (warnings.push(m.join(' ')), logger),
      };
      try {
        compile(spec, { logger });
        if (warnings.length) problems.push(`${name}: vega-lite warns: ${warnings.join('; ')}`);
        else charts++;
      } catch (e) {
        problems.push(`${name}: vega-lite cannot compile the spec: ${e.message}`);
      }
    }
  }
}
if (charts < MIN_CHARTS)
  problems.push(`only ${charts} charts rendered as ${VEGA_LITE}; expected at least ${MIN_CHARTS}`);

// The key figures, recomputed by Node from the same build with the notebook's inputs.
const api = await import(new URL('../dist/index.js', import.meta.url).href);
const pct = (x, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const count = (x) => x.toLocaleString('en-US');
const expected = new Map(); // cell id → strings its output must contain
const expect = (id, text) => expected.set(id, [...(expected.get(id) ?? []), text]);

const store = api.sampleStore({ customers: 5000, seed: 42, acquisitionDays: 730 });
const tx = store.transactions;
expect('store', `5,000 customers, ${count(tx.numRows)} transactions`);

const scored = api.rfmSegments(api.rfm(tx));
const champions = api
  .rfmSummary(scored)
  .toArray()
  .find((s) => s.segment === 'Champions');
expect(
  'rfm',
  `Champions: ${count(champions.customers)} customers (${pct(champions.customerShare)}) bring ${pct(champions.revenueShare)} of revenue`,
);

const monetary = api.customerSummary(tx).getChild('monetary');
expect(
  'abc',
  `The top 20% of customers bring ${pct(api.topShare(monetary, 0.2))} of revenue; Gini coefficient ${api.gini(monetary).toFixed(3)}`,
);

const bg = api.fitBgNbd(api.summaryFromTransactions(tx, { unit: 'week' }));
const f3 = (x) => x.toFixed(3);
expect(
  'clv',
  `BG/NBD fitted: r ${f3(bg.params.r)}, alpha ${f3(bg.params.alpha)}, a ${f3(bg.params.a)}, b ${f3(bg.params.b)}`,
);

const fit = api.plsPathModel(store.survey, api.acsiModel(store.truth.acsi.blocks), { scale: [1, 10] });
expect('acsi', `ACSI (satisfaction index): ${fit.index.satisfaction.toFixed(1)} / 100`);

const recency = Array.from(scored.getChild('recency').toArray());
const frequency = Array.from(scored.getChild('frequency').toArray());
const spend = Array.from(scored.getChild('monetary').toArray());
const features = { recency, logFrequency: frequency.map(Math.log1p), logMonetary: spend.map(Math.log1p) };
const columns = ['recency', 'logFrequency', 'logMonetary'];
const choice = api.chooseK(features, { columns, kRange: [2, 8], seed: 1, nInit: 4 });
expect('segments-choose', choice.reason);
const seg = api.kmeans(features, { columns, k: choice.elbow, seed: 1 });
expect('segments', `k-means with k = ${seg.k}: segment sizes ${Array.from(seg.sizes).map(count).join(', ')}`);

const rules = api.associationRules(
  api.frequentItemsets(api.baskets(store.basketItems, { transaction: 'transaction', item: 'item' }), {
    minSupport: 0.005,
  }),
  { minConfidence: 0.05 },
);
const rule = rules.toArray().find((r) => [...r.antecedent].join() === 'diapers' && [...r.consequent].join() === 'beer');
if (!rule) problems.push('Node did not mine {diapers} → {beer} from the sample store');
else
  expect(
    'rules',
    `{diapers} → {beer}: support ${pct(rule.support)}, confidence ${pct(rule.confidence)}, lift ${rule.lift.toFixed(2)}`,
  );

for (const [id, texts] of expected) {
  const cell = cells.get(id);
  if (!cell) {
    problems.push(`${id}: no code cell with this id`);
    continue;
  }
  const text = textOf(cell);
  for (const t of texts)
    if (!text.includes(t))
      problems.push(
        `${id}: expected the output to contain "${t}"; it printed:\n    ${text.split('\n').slice(0, 6).join('\n    ')}`,
      );
}

const figures = [...expected.values()].flat().length;
if (problems.length) {
  console.error(`check-notebook: ${problems.length} problem(s) in ${file}:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(
  `check-notebook: ${cells.size} code cells ran without errors, ${charts} charts rendered as ${VEGA_LITE}, ${figures} key figures match Node`,
);
