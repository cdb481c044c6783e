import { describe, expect, it } from 'vitest';
import * as root from '../../src/index';
import { isClienteleError } from '../../src/table/errors';
import type { ClienteleError } from '../../src/table/errors';
import * as tableIndex from '../../src/table/index';
import * as rfmApi from '../../src/api/rfm';
import * as abcApi from '../../src/api/abc';
import * as clvIndex from '../../src/clv/index';
import * as sampleIndex from '../../src/sample/index';
import * as satisfactionIndex from '../../src/satisfaction/index';
import * as chartsIndex from '../../src/charts/index';
import * as segmentApi from '../../src/api/segment';
import * as basketApi from '../../src/api/basket';
import * as sequenceIndex from '../../src/sequence/index';
import * as ioIndex from '../../src/io/index';
import * as reportIndex from '../../src/report/index';
import * as sqlIndex from '../../src/sql/index';
import * as streamIndex from '../../src/stream/index';
import * as parallelIndex from '../../src/parallel/index';
import { refuses, refusesAsync, unchangedAfter } from './helpers';

/**
 * Classes 8 and 9 of issue 15 at the public surface: every public function that takes an options object refuses a
 * name it does not have (with a did-you-mean), reads only own properties, and names in its messages only options it
 * has. The tables below are the public surface: a new export must be added to one of them or this file fails.
 */

type Fn = (...args: unknown[]) => unknown;
const api = root as unknown as Record<string, Fn> & { clv: Record<string, Fn> };
const tx = { customer: ['a', 'a', 'b'], date: ['2024-01-01', '2024-02-01', '2024-01-15'], amount: [10, 20, 5] };

/** Every public function with an options object: how to call it with `o` as that object. */
const WITH_OPTIONS: Readonly<Record<string, (o: unknown) => unknown>> = {
  toSql: (o) => api.toSql('rfm', o),
  runSql: (o) => api.runSql({ runAndReadAll: () => undefined }, 'rfm', o),
  kmeansInSql: (o) => api.kmeansInSql({ runAndReadAll: () => undefined }, o),
  plsPathModelInSql: (o) =>
    api.plsPathModelInSql(
      { runAndReadAll: () => undefined },
      api.pathModel({ blocks: { a: ['x'], b: ['y'] }, paths: [['a', 'b']] }),
      o,
    ),
  customerSummary: (o) => api.customerSummary(tx, o),
  rfm: (o) => api.rfm(tx, o),
  abc: (o) => api.abc(tx, o),
  paretoCurve: (o) => api.paretoCurve([1, 2], o),
  valueLoyaltyMatrix: (o) => api.valueLoyaltyMatrix(undefined, o),
  sampleStore: (o) => api.sampleStore(o),
  sampleSurvey: (o) => api.sampleSurvey(o),
  summaryFromTransactions: (o) => api.summaryFromTransactions(tx, o),
  lifecycleStage: (o) => api.lifecycleStage(tx, o),
  fitGammaGamma: (o) => api.fitGammaGamma(undefined, o),
  predictGammaGamma: (o) => api.predictGammaGamma(undefined, undefined, o),
  frequencyMonetaryCorrelation: (o) => api.frequencyMonetaryCorrelation(undefined, o),
  fitSbg: (o) => api.fitSbg([100, 50], o),
  fitBgBb: (o) => api.fitBgBb(undefined, o),
  predictBgBb: (o) => api.predictBgBb(undefined, undefined, o),
  retentionCurve: (o) => api.retentionCurve(tx, o),
  averageRetention: (o) => api.averageRetention(undefined, o),
  fitBgNbd: (o) => api.fitBgNbd(undefined, o),
  predictBgNbd: (o) => api.predictBgNbd(undefined, undefined, o),
  fitMbgNbd: (o) => api.fitMbgNbd(undefined, o),
  predictMbgNbd: (o) => api.predictMbgNbd(undefined, undefined, o),
  fitParetoNbd: (o) => api.fitParetoNbd(undefined, o),
  predictParetoNbd: (o) => api.predictParetoNbd(undefined, undefined, o),
  fitBgNbdWithCovariates: (o) => api.fitBgNbdWithCovariates(undefined, o),
  predictBgNbdWithCovariates: (o) => api.predictBgNbdWithCovariates(undefined, undefined, o),
  fitParetoNbdWithCovariates: (o) => api.fitParetoNbdWithCovariates(undefined, o),
  predictParetoNbdWithCovariates: (o) => api.predictParetoNbdWithCovariates(undefined, undefined, o),
  predictClv: (o) => api.predictClv(undefined, undefined, undefined, o),
  predictionIntervals: (o) => api.predictionIntervals(undefined, undefined, o),
  simulateBgNbd: (o) => api.simulateBgNbd(undefined, o),
  simulateParetoNbd: (o) => api.simulateParetoNbd(undefined, o),
  simulateGammaGamma: (o) => api.simulateGammaGamma(undefined, o),
  predictDert: (o) => api.predictDert(undefined, undefined, o),
  plsPathModel: (o) => api.plsPathModel(undefined, undefined, o),
  plsPredict: (o) => api.plsPredict(undefined, undefined, o),
  plsBlindfolding: (o) => api.plsBlindfolding(undefined, undefined, o),
  plsMultigroup: (o) => api.plsMultigroup(undefined, undefined as never, o as never),
  micom: (o) => api.micom(undefined, undefined as never, o as never),
  plsHigherOrder: (o) => api.plsHigherOrder(undefined, undefined as never, o as never),
  plsValidity: (o) => api.plsValidity(undefined, undefined, o),
  surveyModel: (o) => api.surveyModel({ a: [1] }, o),
  preview: (o) => api.preview({ a: [1] }, 10, o),
  importancePerformance: (o) => api.importancePerformance(undefined, 'x', o),
  ahpWeights: (o) => api.ahpWeights([[1]], o),
  loyaltyIndex: (o) => api.loyaltyIndex(undefined, undefined, o),
  loyaltyType: (o) => api.loyaltyType(undefined, o),
  satisfactionLoyalty: (o) => api.satisfactionLoyalty(undefined, o),
  kmeans: (o) => api.kmeans(undefined, o),
  chooseK: (o) => api.chooseK(undefined, o),
  profileSegments: (o) => api.profileSegments(undefined, undefined, o),
  miniBatchKmeans: (o) => api.miniBatchKmeans(undefined, o),
  explainSegments: (o) => api.explainSegments(undefined, undefined, o),
  churnModel: (o) => api.churnModel(undefined, o),
  baskets: (o) => api.baskets(undefined, o),
  frequentItemsets: (o) => api.frequentItemsets([['a']], o),
  associationRules: (o) => api.associationRules(undefined, o),
  rulesWithItem: (o) => api.rulesWithItem(undefined, 'a', o),
  topRules: (o) => api.topRules(undefined, 1, o),
  recommend: (o) => api.recommend(undefined, [], o),
  significantRules: (o) => api.significantRules(undefined, o),
  customerSequences: (o) => api.customerSequences(undefined, o),
  frequentSequences: (o) => api.frequentSequences([[['a']]], o),
  sequenceRules: (o) => api.sequenceRules(undefined, o),
  recommendNext: (o) => api.recommendNext(undefined, [], o),
  rfmHeatmap: (o) => api.rfmHeatmap(undefined, o),
  rfmSegmentChart: (o) => api.rfmSegmentChart(undefined, o),
  paretoChart: (o) => api.paretoChart(undefined, o),
  retentionHeatmap: (o) => api.retentionHeatmap(undefined, o),
  clvHistogram: (o) => api.clvHistogram(undefined, o),
  elbowChart: (o) => api.elbowChart(undefined, o),
  silhouetteChart: (o) => api.silhouetteChart(undefined, o),
  importancePerformanceChart: (o) => api.importancePerformanceChart(undefined, o),
  pathDiagram: (o) => api.pathDiagram(undefined, o),
  rulesScatter: (o) => api.rulesScatter(undefined, o),
  rulesGroupedMatrix: (o) => api.rulesGroupedMatrix(undefined, o),
  rulesGraph: (o) => api.rulesGraph(undefined, o),
  frequencyRecencyMatrix: (o) => api.frequencyRecencyMatrix(undefined, undefined, o),
  periodTransactionsChart: (o) => api.periodTransactionsChart(undefined, undefined, o),
  calibrationHoldoutChart: (o) => api.calibrationHoldoutChart(undefined, undefined, o),
  trackingChart: (o) => api.trackingChart(undefined, o),
  expectedCumulativeTransactions: (o) => api.expectedCumulativeTransactions(undefined, undefined, o),
  holdoutValidation: (o) => api.holdoutValidation(undefined, o),
  renderReport: (o) => api.renderReport([], o),
  analysisReport: (o) => api.analysisReport(tx, o),
  readTable: (o) => api.readTable(new Uint8Array(0), o),
  readBatches: (o) => api.readBatches(new Uint8Array(0), o),
  readBaskets: (o) => api.readBaskets(new Uint8Array(0), o),
  writeTable: (o) => api.writeTable(tx, '/nonexistent-dir/x.csv', o),
  tableToBytes: (o) => api.tableToBytes(tx, 'csv', o),
  summarizeInParallel: (o) => api.summarizeInParallel('customerSummary', tx, {}, 1, o),
  openParallel: (o) => api.openParallel(tx, 1, o),
  customerSummaryParallel: (o) => api.customerSummaryParallel(tx, o),
  rfmParallel: (o) => api.rfmParallel(tx, o),
  frequentItemsetsParallel: (o) => api.frequentItemsetsParallel([['a']], o),
  'clv.simple': (o) => api.clv.simple(o),
  'clv.discounted': (o) => api.clv.discounted(o),
  'clv.retention': (o) => api.clv.retention(o),
  frequentItemsetsInSql: (o) => api.frequentItemsetsInSql({ runAndReadAll: () => undefined }, o),
};

/** Every public function without an options object (positional arguments, data keyed by the user's names, or the
 * aggregate's own options: `aggregateBatches` passes them to the aggregate it is given). */
const OPTION_FREE = new Set([
  'closeWorkers',
  'warmWorkers',
  'ClienteleError',
  'asTable',
  'isClienteleError',
  'droppedRows',
  'readNumeric',
  'readKeys',
  'readDates',
  'parseDateString',
  'daysFromCivil',
  'isoDate',
  'rfmBreaks',
  'rfmSegments',
  'rfmSummary',
  'abcSummary',
  'topShare',
  'gini',
  'gammaGammaConditionalMean',
  'gammaGammaPopulationMean',
  'sbgSurvival',
  'sbgChurnProbability',
  'sbgRetentionRate',
  'sbgDiscountedExpectedResidualLifetime',
  'bgBbProbabilityAlive',
  'bgBbConditionalExpectedPurchases',
  'bgBbProbabilityOfPurchases',
  'bgNbdExpectedPurchases',
  'bgNbdProbabilityOfPurchases',
  'bgNbdProbabilityAlive',
  'bgNbdConditionalExpectedPurchases',
  'bgNbdConditionalProbabilityOfPurchases',
  'mbgNbdExpectedPurchases',
  'mbgNbdProbabilityOfPurchases',
  'mbgNbdProbabilityAlive',
  'mbgNbdConditionalExpectedPurchases',
  'mbgNbdConditionalProbabilityOfPurchases',
  'paretoNbdExpectedPurchases',
  'paretoNbdProbabilityAlive',
  'paretoNbdConditionalExpectedPurchases',
  'paretoNbdDert',
  'bgNbdDert',
  'bgBbDert',
  'paretoNbdProbabilityOfPurchases',
  'paretoNbdConditionalProbabilityOfPurchases',
  'bgbbExpectedTransactions',
  'bgbbPredictions',
  'bgbbProbabilityAlive',
  'bgbbProbabilityOfTransactions',
  'fitBetaGeoBetaBinomial',
  'fitShiftedBetaGeometric',
  'gammaGammaConditionalMeans',
  'pathModel',
  'acsiModel',
  'ecsiModel',
  'loyaltyTypeSummary',
  'predictSegments',
  'predictChurn',
  'basketsFromLists',
  'basketLists',
  'sequencesFromLists',
  'sequenceLists',
  'displayable',
  'formatFromPath',
  'toDanfo',
  'aggregateBatches',
]);

/** Deprecated aliases: they forward to a function in WITH_OPTIONS, so they share its check. */
const ALIASES: Readonly<Record<string, string>> = {};

/** The subpath exports of package.json (tsup.config.ts's entries), each a module of the package. */
const SUBPATHS: readonly Record<string, unknown>[] = [
  tableIndex,
  rfmApi,
  abcApi,
  clvIndex,
  sampleIndex,
  satisfactionIndex,
  chartsIndex,
  segmentApi,
  basketApi,
  sequenceIndex,
  ioIndex,
  reportIndex,
  sqlIndex,
  streamIndex,
  parallelIndex,
];

/** Calls `call` with `o`, sync or async, and returns what it threw (undefined when it returned). */
async function thrown(call: (o: unknown) => unknown, o: unknown): Promise<unknown> {
  try {
    const r = call(o);
    if (r && typeof (r as Promise<unknown>).then === 'function') await r;
    if (r && typeof (r as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      for await (const batch of r as AsyncIterable<unknown>) void batch;
    }
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The option names a function reports for a name far from all of them ("the options of f are a, b, c"). */
async function knownNames(call: (o: unknown) => unknown): Promise<string[]> {
  const e = (await thrown(call, { zzzzzzzzzzzzzzzzzzzzzz: 1 })) as ClienteleError;
  const m = /the options of \S+ are (.*)$/.exec(e.message);
  if (!m) throw new Error(`no list of options in: ${e.message}`);
  return m[1].split(', ');
}

describe('class 8: the public surface and its options', () => {
  it('class 8: every public function export is listed as taking options or as option-free', async () => {
    const names = new Set<string>();
    for (const [k, v] of Object.entries(root)) if (typeof v === 'function') names.add(k);
    for (const k of Object.keys(api.clv)) names.add(`clv.${k}`);
    for (const m of SUBPATHS) {
      for (const [k, v] of Object.entries(m)) if (typeof v === 'function') names.add(k);
    }
    const unlisted = [...names].filter((n) => !(n in WITH_OPTIONS) && !OPTION_FREE.has(n) && !(n in ALIASES));
    expect(unlisted, 'add each new export to WITH_OPTIONS or OPTION_FREE').toEqual([]);
    const stale = [...Object.keys(WITH_OPTIONS), ...OPTION_FREE].filter((n) => !names.has(n));
    expect(stale).toEqual([]);
  });

  it('class 8: every function with options refuses an unknown name with INVALID_OPTION naming it', async () => {
    const wrong: string[] = [];
    for (const [name, call] of Object.entries(WITH_OPTIONS)) {
      const o = { zzzzzzzzzzzzzzzzzzzzzz: 1 };
      const e = await thrown(call, o);
      if (!isClienteleError(e) || e.code !== 'INVALID_OPTION' || !e.message.includes('unknown option zzzz')) {
        wrong.push(`${name}: ${e === undefined ? 'returned' : String((e as Error).message ?? e)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('class 8: every function with options suggests its own option for a one-letter typo of each name', async () => {
    const wrong: string[] = [];
    for (const [name, call] of Object.entries(WITH_OPTIONS)) {
      for (const option of await knownNames(call)) {
        if (option.length < 3) continue; // a one-letter change to `k` or `t` is another name, not a typo
        if (option[0] === option[1] || (name === 'kmeans' && option === 'init')) continue; // 'niit': nInit is as near
        const typo = option[1] + option[0] + option.slice(2); // two letters swapped
        const e = (await thrown(call, { [typo]: 1 })) as Error;
        if (!e?.message?.endsWith(`did you mean ${option}?`)) wrong.push(`${name} ${typo}: ${e?.message}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('class 8: every function with options refuses null, a number, a string and an array as its options', async () => {
    const wrong: string[] = [];
    for (const [name, call] of Object.entries(WITH_OPTIONS)) {
      for (const o of [null, 42, 'bins', [1, 2]]) {
        const e = await thrown(call, o);
        if (!isClienteleError(e) || e.code !== 'INVALID_OPTION') wrong.push(`${name}(${String(o)}): ${String(e)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('class 9: every option a message names is an option of the function that threw it', async () => {
    const wrong: string[] = [];
    const bad: unknown[] = [-1, 0.5, 'zzz', NaN, true, [], {}];
    for (const [name, call] of Object.entries(WITH_OPTIONS)) {
      const known = await knownNames(call);
      for (const option of known) {
        for (const value of bad) {
          if (/^(parallel|module|scripts|onProgress)$/.test(option)) continue; // would start threads or load files
          const e = await thrown(call, { [option]: value });
          if (!isClienteleError(e)) continue;
          for (const m of e.message.matchAll(/(?<!the )\boption ([A-Za-z_$][\w$]*)/g)) {
            if (!known.includes(m[1])) wrong.push(`${name}: names option ${m[1]} in "${e.message}"`);
          }
        }
      }
    }
    expect([...new Set(wrong)]).toEqual([]);
  });
});

describe('class 8: unknown option names', () => {
  it("class 8: fitBgNbd({ penalizer_coef }) (lifetimes' name) is refused and lists fitBgNbd's options", () => {
    const o = { penalizer_coef: 0.1 };
    refuses(
      [o],
      () => api.fitBgNbd({ frequency: [1], recency: [1], T: [2] }, o),
      'INVALID_OPTION',
      'fitBgNbd: unknown option penalizer_coef (found 0.1)',
      'the options of fitBgNbd are weights, frequency, recency, T, start, maxIterations, allowNonConvergence',
    );
  });

  it("class 8: associationRules({ minLen: 2 }) (arules' name) is refused, not taken as minLift", () => {
    const o = { minLen: 2 };
    const e = refuses(
      [o],
      () => api.associationRules(undefined, o),
      'INVALID_OPTION',
      'unknown option minLen (found 2)',
    );
    expect(e.message).not.toContain('did you mean');
    expect(e.message).toContain(
      'minConfidence, minLift, minSupport, maxConsequent, minLength, measures, pruneRedundant',
    );
  });

  it('class 8: frequentItemsets({ minSuport }) suggests minSupport', () => {
    const o = { minSuport: 0.1 };
    refuses([o], () => api.frequentItemsets([['a', 'b']], o), 'INVALID_OPTION', 'did you mean minSupport?');
  });

  it('class 8: a snake_case name suggests its camelCase option (max_iterations → maxIterations)', () => {
    const o = { max_iterations: 10 };
    refuses([o], () => api.fitParetoNbd(undefined, o), 'INVALID_OPTION', 'did you mean maxIterations?');
  });

  it('class 8: a wrongly-cased name suggests the option (K → k, ASOF → asOf)', () => {
    refuses([], () => api.kmeans(undefined, { K: 3 }), 'INVALID_OPTION', 'unknown option K', 'did you mean k?');
    refuses([], () => api.rfm(tx, { ASOF: '2024-03-01' }), 'INVALID_OPTION', 'did you mean asOf?');
  });

  it('class 8: swapped letters suggest the option (bisn → bins)', () => {
    refuses([tx], () => api.rfm(tx, { bisn: 3 }), 'INVALID_OPTION', 'did you mean bins?');
  });

  it('class 8: an option of another function is refused (abc does not take bins)', () => {
    refuses([tx], () => api.abc(tx, { bins: 3 }), 'INVALID_OPTION', 'abc: unknown option bins', 'key, value, cutoffs');
  });

  it('class 8: a typo is refused even when the value would be valid for the real option (rfm {bin: 3})', () => {
    refuses(
      [tx],
      () => api.rfm(tx, { bin: 3 }),
      'INVALID_OPTION',
      'unknown option bin (found 3)',
      'did you mean bins?',
    );
  });

  it('class 8: the async functions reject (not throw) an unknown option (readTable, writeTable)', async () => {
    await refusesAsync(
      [],
      () => api.readTable(new Uint8Array(0), { delimeter: ';' }) as Promise<unknown>,
      'INVALID_OPTION',
      'did you mean delimiter?',
    );
    await refusesAsync(
      [tx],
      () => api.writeTable(tx, '/nonexistent/x.csv', { compresion: 'gzip' }) as Promise<unknown>,
      'INVALID_OPTION',
      'did you mean compression?',
    );
  });

  it('class 8: readBatches refuses an unknown option before reading anything', () => {
    refuses(
      [],
      () => api.readBatches('/nonexistent/file.csv', { batchsize: 10 }),
      'INVALID_OPTION',
      'did you mean batchSize?',
    );
  });

  it('class 8: the parallel form refuses an unknown option before starting a thread', () => {
    refuses(
      [tx],
      () => api.rfm(tx, { parallel: 2, minRowsPerWorkers: 1 }),
      'INVALID_OPTION',
      'did you mean minRowsPerWorker?',
    );
  });

  it("class 8: toSql refuses an option the analysis does not read (rfm has no cutoffs) and lists the analysis's own", () => {
    const o = { table: 't', cutoffs: [0.8, 0.95] };
    refuses(
      [o],
      () => api.toSql('rfm', o),
      'INVALID_OPTION',
      "toSql('rfm'): unknown option cutoffs (found array(2))",
      "the options of toSql('rfm') are table, dialect, columns, asOf, returns, bins, breaks, segments",
    );
  });

  it('class 8: toSql refuses an unknown column option with a did-you-mean (custmer → customer)', () => {
    const o = { table: 't', columns: { custmer: 'id' } };
    refuses(
      [o],
      () => api.toSql('rfm', o),
      'INVALID_OPTION',
      "toSql('rfm') columns: unknown option custmer",
      'did you mean customer?',
    );
  });

  it('class 8: runSql refuses dialect (it always runs DuckDB) rather than ignoring it', async () => {
    const o = { table: 't', dialect: 'postgres' };
    await refusesAsync(
      [o],
      () => api.runSql({ runAndReadAll: () => undefined }, 'rfm', o) as Promise<unknown>,
      'INVALID_OPTION',
      'runSql: unknown option dialect',
    );
  });

  it('class 8: the clv closed forms refuse a typo with a did-you-mean (clv.simple lifespam)', () => {
    const o = { averageOrderValue: 10, purchaseFrequency: 2, lifespam: 3 };
    refuses([o], () => api.clv.simple(o), 'INVALID_OPTION', 'did you mean lifespan?');
  });

  it('class 8: a name far from every option lists all of them (no guess)', () => {
    const e = refuses(
      [],
      () => api.topRules(undefined, 3, { sortBy: 'lift' }),
      'INVALID_OPTION',
      'unknown option sortBy',
    );
    expect(e.message).toMatch(/the options of topRules are by$/);
  });

  it('class 8: a name with control characters or spaces is printed quoted, not raw', () => {
    const e = refuses([], () => api.abc(tx, { 'cut offs\n': [0.5] }), 'INVALID_OPTION');
    expect(e.message).toContain('unknown option "cut offs\\n"');
    expect(e.message).toContain('did you mean cutoffs?');
  });

  it('class 8: an options object of many unknown names names the first and stops (bounded work)', () => {
    const o = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`opt${i}`, i]));
    refuses([o], () => api.abc(tx, o), 'INVALID_OPTION', 'unknown option opt0');
  });

  it('class 8: a huge unknown name is cut in the message and compared in bounded time', () => {
    const name = 'x'.repeat(1_000_000);
    const e = refuses([], () => api.abc(tx, { [name]: 1 }), 'INVALID_OPTION');
    expect(e.message.length).toBeLessThan(400);
  });
});

describe('class 8: options are own properties only', () => {
  it('class 8: an option inherited from a prototype is not an option (rfm bins stays 5)', () => {
    const inherited = Object.create({ bins: 3 }) as object;
    const { value } = unchangedAfter([tx, inherited], () => api.rfm(tx, inherited) as { getChild(n: string): unknown });
    const plain = api.rfm(tx, {}) as { getChild(n: string): { toArray(): unknown } };
    const scored = value as { getChild(n: string): { toArray(): unknown } };
    expect(Array.from(scored.getChild('score').toArray() as string[])).toEqual(
      Array.from(plain.getChild('score').toArray() as string[]),
    );
  });

  it('class 8: a polluted Object.prototype does not reach an option (minSupport read as own only)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.minSupport = 1;
    try {
      const sets = api.frequentItemsets([['a', 'b'], ['a'], ['b']], { minCount: 1 }) as { numRows: number };
      // minCount 1 keeps a, b and {a, b}; a polluted minSupport of 1 would keep none
      expect(sets.numRows).toBe(3);
    } finally {
      delete proto.minSupport;
    }
  });

  it('class 8: JSON options with an own __proto__ key are refused as an unknown option', () => {
    const o = JSON.parse('{"__proto__": {"bins": 3}}') as object;
    refuses([o], () => api.rfm(tx, o), 'INVALID_OPTION', 'unknown option __proto__');
  });

  it('class 8: a literal { __proto__: … } sets the prototype, so its keys are not options', () => {
    const o = { __proto__: { cutoffs: 'broken' } } as object;
    const { error } = unchangedAfter([o], () => api.abc(tx, o));
    expect(error).toBeUndefined();
  });

  it('class 8: constructor, toString and hasOwnProperty as option names are unknown options', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      refuses([], () => api.rfmHeatmap(undefined, { [name]: 'customers' }), 'INVALID_OPTION', `unknown option ${name}`);
    }
  });

  it('class 8: rfmHeatmap({ color: "constructor" }) is refused as a colour', () => {
    const scored = api.rfm(tx);
    refuses([scored], () => api.rfmHeatmap(scored, { color: 'constructor' }), 'INVALID_OPTION', 'option color');
  });

  it('class 8: a symbol-keyed and a non-enumerable property are not options and are ignored', () => {
    const o = { bins: 3, [Symbol('x')]: 1 } as Record<string | symbol, unknown>;
    Object.defineProperty(o, 'hidden', { value: 9, enumerable: false });
    const { error } = unchangedAfter([o], () => api.rfm(tx, o));
    expect(error).toBeUndefined();
  });

  it('class 8: a getter that throws is named as an unreadable option, not a raw error', () => {
    const o = Object.defineProperty({}, 'bins', {
      enumerable: true,
      get: () => {
        throw new TypeError('boom');
      },
    });
    refuses(
      [],
      () => api.rfm(tx, o),
      'INVALID_OPTION',
      'rfm: the options could not be read at bins',
      'TypeError: boom',
    );
  });

  it('class 8: a Proxy whose ownKeys trap throws is refused with INVALID_OPTION', () => {
    const o = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    refuses([], () => api.abc(tx, o), 'INVALID_OPTION', 'abc: the options could not be read');
  });

  it('class 8: a frozen options object and a null-prototype one are read (not copied into, not refused)', () => {
    const frozen = Object.freeze({ bins: 3 });
    const bare = Object.assign(Object.create(null) as object, { bins: 3 });
    for (const o of [frozen, bare]) expect(unchangedAfter([o, tx], () => api.rfm(tx, o)).error).toBeUndefined();
  });

  it('class 8: undefined options are the defaults (an omitted argument)', () => {
    const a = api.abc(tx, undefined) as { numRows: number };
    expect(a.numRows).toBe(2);
  });

  it('class 8: the options object given is never changed (filtered copy, not edited in place)', () => {
    const o = { bins: 3, asOf: '2024-03-01' };
    unchangedAfter([o], () => api.rfm(tx, o));
    expect(Object.keys(o)).toEqual(['bins', 'asOf']);
  });
});
