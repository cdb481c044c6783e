/**
 * The representative subset of clientele that must give the same numbers on Node and on Deno (DESIGN principle 2:
 * the same input and seed give the same output on Node and Deno). Plain JavaScript with no imports, so that Node
 * (scripts/deno-reference.mjs) and Deno (test/deno/dist_deno.ts) run this very code over the module namespace
 * each of them loaded from the same dist/ build.
 *
 * Every case returns a plain JSON-able value built by `encode`, which is exact: doubles go through JSON's
 * shortest round-trip form, and the values JSON cannot hold (NaN, ±Infinity, −0, bigint, Date) become tagged
 * strings, so the comparison sees every bit; the Deno test states which differences it tolerates and why.
 */

/** Encodes any result (Arrow tables and vectors, typed arrays, models, maps) into exact, comparable JSON. */
export function encode(value, depth = 0) {
  if (depth > 40) throw new Error('encode: nesting deeper than 40 levels');
  const next = (v) => encode(v, depth + 1);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (value === Infinity) return 'Infinity';
      if (value === -Infinity) return '-Infinity';
      if (Object.is(value, -0)) return '-0';
      return value;
    case 'bigint':
      return `${value}n`;
    case 'string':
    case 'boolean':
      return value;
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  if (ArrayBuffer.isView(value)) return Array.from(value, next);
  if (Array.isArray(value)) return value.map(next);
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [next(k), next(v)]) };
  // Arrow tables and vectors, recognised by shape (never instanceof: a second copy of apache-arrow may load)
  if (value.schema && typeof value.getChild === 'function' && typeof value.numRows === 'number') {
    const columns = {};
    for (const field of value.schema.fields) columns[field.name] = next(value.getChild(field.name));
    const metadata = Object.fromEntries([...value.schema.metadata].sort(([a], [b]) => (a < b ? -1 : 1)));
    return {
      table: value.numRows,
      types: value.schema.fields.map((f) => `${f.name}: ${String(f.type)}${f.nullable ? '?' : ''}`),
      metadata,
      columns,
    };
  }
  if (value.type && typeof value.get === 'function' && typeof value.length === 'number') {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = next(value.get(i));
    return out;
  }
  if (typeof value.toJSON === 'function') return next(value.toJSON());
  const out = {};
  for (const key of Object.keys(value).sort()) {
    const v = next(value[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Column `name` of an Arrow table as a plain array. */
const column = (table, name) => Array.from(table.getChild(name).toArray());

/**
 * Runs every case over `api` (the namespace of dist/index.js) and returns `{ name: encodedResult }`. Cases that
 * need a part of the API this build does not have yet are reported as `{ skipped: reason }`, so both runtimes
 * skip the same ones and the Deno test names them.
 */
export async function runCases(api) {
  const out = {};
  const add = async (name, needs, run) => {
    const missing = needs.filter((n) => typeof api[n] !== 'function');
    out[name] = missing.length ? { skipped: `not exported: ${missing.join(', ')}` } : encode(await run());
  };

  const store = api.sampleStore({ customers: 1500, seed: 7 });
  const tx = store.transactions;

  await add('sampleStore', ['sampleStore'], () => ({
    transactions: tx,
    basketItems: store.basketItems,
    truth: store.truth,
  }));

  await add('customerSummary', ['customerSummary'], () => api.customerSummary(tx));

  await add('rfm + rfmSegments + rfmSummary', ['rfm', 'rfmSegments', 'rfmSummary'], () => {
    const scored = api.rfm(tx, { asOf: '2025-01-01' });
    return { scored, named: api.rfmSegments(scored), summary: api.rfmSummary(scored) };
  });

  await add('abc + gini + paretoCurve', ['abc', 'abcSummary', 'gini', 'paretoCurve', 'customerSummary'], () => {
    const summary = api.customerSummary(tx);
    const classes = api.abc(summary, { key: 'customer', value: 'monetary' });
    const monetary = summary.getChild('monetary');
    return {
      classes,
      summary: api.abcSummary(classes),
      gini: api.gini(monetary),
      pareto: api.paretoCurve(monetary, { points: 11 }),
    };
  });

  await add(
    'BG/NBD + Gamma-Gamma + predictClv',
    ['summaryFromTransactions', 'fitBgNbd', 'fitGammaGamma', 'predictClv'],
    () => {
      const summary = api.summaryFromTransactions(tx, { unit: 'week' });
      const bg = api.fitBgNbd(summary);
      const gg = api.fitGammaGamma(summary);
      const value = api.predictClv(bg, gg, summary, { horizon: 52, discountRate: 0.01, margin: 0.3 });
      return { bg, gg, value };
    },
  );

  await add(
    'simulated BG/NBD histories + prediction intervals (draws, bootstrap)',
    ['simulateBgNbd', 'simulateGammaGamma', 'predictionIntervals'],
    () => {
      const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
      const data = api.simulateBgNbd({ params }, { T: 39, customers: 500, seed: 8 });
      const spend = api.simulateGammaGamma(
        { params: { p: 6.25, q: 3.74, gamma: 15.44 } },
        { frequency: [0, 1, 4], seed: 8 },
      );
      // published values and a fixed covariance (a fit's numeric covariance differs between engines in its 9th digit)
      const variances = [1.6e-4, 0.14, 0.035, 0.5];
      const covariance = variances.map((v, i) => variances.map((_, j) => (i === j ? v : 0)));
      const model = { kind: 'bgNbd', params, covariance };
      const probes = { frequency: [0, 2, 7], recency: [0, 30, 35], T: [39, 39, 39] };
      const options = { quantity: 'conditionalExpectedPurchases', t: 39, seed: 2 };
      const draws = api.predictionIntervals(model, probes, { ...options, method: 'draws', draws: 200 });
      const boot = api.predictionIntervals(model, probes, {
        ...options,
        method: 'bootstrap',
        draws: 5,
        calibration: data,
      });
      return { data, spend, draws: [draws.table, draws.total], boot: [boot.table, boot.total] };
    },
  );

  await add('ACSI PLS path model with bootstrap', ['sampleSurvey', 'acsiModel', 'plsPathModel'], () => {
    const { survey, truth } = api.sampleSurvey({ respondents: 400, seed: 3 });
    return api.plsPathModel(survey, api.acsiModel(truth.blocks), { scale: [1, 10], bootstrap: 40, seed: 11 });
  });

  await add('kmeans (seeded, nInit 4)', ['rfm', 'kmeans'], () => {
    const scored = api.rfm(tx);
    const features = {
      recency: column(scored, 'recency'),
      logFrequency: column(scored, 'frequency').map(Math.log1p),
      logMonetary: column(scored, 'monetary').map(Math.log1p),
    };
    const seg = api.kmeans(features, { columns: ['recency', 'logFrequency', 'logMonetary'], k: 4, seed: 5, nInit: 4 });
    return { seg, predicted: seg.predict({ recency: [3, 400], logFrequency: [2, 0], logMonetary: [6, 3] }) };
  });

  await add(
    'baskets + frequentItemsets + associationRules',
    ['baskets', 'frequentItemsets', 'associationRules'],
    () => {
      const b = api.baskets(store.basketItems, { transaction: 'transaction', item: 'item' });
      const itemsets = api.frequentItemsets(b, { minSupport: 0.01 });
      return { count: b.count, itemsets, rules: api.associationRules(itemsets, { minConfidence: 0.1 }) };
    },
  );

  await add('io round-trip (tableToBytes + readTable)', ['tableToBytes', 'readTable'], async () => {
    const results = {};
    for (const format of ['csv', 'parquet', 'arrow', 'arrows', 'jsonl']) {
      const bytes = await api.tableToBytes(tx, format);
      results[format] = { bytes: bytes.length, table: await api.readTable(bytes, { format }) };
    }
    return results;
  });

  // issue 15, class 3: names that Object.prototype answers are ordinary names on both runtimes
  await add('proto-named keys and columns', ['asTable', 'customerSummary', 'pathModel'], () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    const records = JSON.parse('[{"__proto__":"x","constructor":1},{"__proto__":"y","toString":2.5}]');
    const table = api.asTable(records);
    const summary = api.customerSummary({
      customer: [...names, '__proto__'],
      date: names.concat('__proto__').map((_, i) => `2024-01-0${i + 1}`),
      amount: [1, 2, 4, 8, 16, 32],
    });
    const model = api.pathModel({
      blocks: JSON.parse('{"__proto__":["q1","q2"],"constructor":["s1","s2"]}'),
      paths: [['__proto__', 'constructor']],
    });
    // entries, not objects: a plain {} in `encode` would itself take "__proto__" as its prototype
    return {
      columns: table.schema.fields.map((f) => f.name),
      rows: names.slice(0, 3).map((n) => Array.from(table.getChild(n).toArray())),
      summary,
      blocks: Object.entries(model.blocks),
      modes: Object.entries(model.modes),
    };
  });

  // issue 15, class 9: a lone surrogate id is refused the same way (V8 in both, but the UTF-8 encoder is the runtime's)
  await add('lone-surrogate ids', ['customerSummary'], () => {
    const refusal = (ids) => {
      try {
        const out = api.customerSummary({ customer: ids, date: ids.map(() => '2024-01-01'), amount: ids.map(() => 1) });
        return { threw: false, customers: Array.from(out.getChild('customer').toArray()) };
      } catch (e) {
        return { threw: true, code: e.code, column: e.column ?? null, row: e.row ?? null, message: e.message };
      }
    };
    return {
      lone: refusal(['a', '\uD800', '\uDBFF']),
      low: refusal(['\uDC00']),
      paired: refusal(['\uD83D\uDE00', '\uD83D\uDE01', '\uD83D\uDE00']),
    };
  });

  await add('ClienteleError', ['rfm'], () => {
    try {
      api.rfm({ customer: ['a'], date: ['2024-01-01'] });
      return { threw: false };
    } catch (e) {
      return { threw: true, name: e.name, code: e.code, message: e.message, column: e.column ?? null };
    }
  });

  return out;
}
