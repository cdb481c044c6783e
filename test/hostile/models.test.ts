import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frequentItemsets } from '../../src/api/basket';
import { customerSummary, rfm } from '../../src/api/rfm';
import { kmeans } from '../../src/api/segment';
import { associationRules } from '../../src/basket/association-rules';
import { basketsFromLists } from '../../src/basket/baskets';
import { runCli } from '../../src/cli/run-cli';
import {
  fitBgBb,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  fitSbg,
  predictBgNbd,
  predictClv,
  predictParetoNbd,
  sbgChurnProbability,
  sbgSurvival,
  summaryFromTransactions,
} from '../../src/clv/index';
import { sampleStore, sampleSurvey } from '../../src/sample/index';
import { chooseK } from '../../src/segment/choose-k';
import { acsiModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { isClienteleError } from '../../src/table/errors';
import { dataset, readLines, splitCsvLine } from '../helpers/datasets';
import { refuses, unchangedAfter } from './helpers';

// ---------------------------------------------------------------------------------------------------------------
// class 7: fits that identify nothing

const CDNOW_BG = { kind: 'bgNbd' as const, params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
const GG = { params: { p: 6.25, q: 3.74, gamma: 15.44 } };

/** A small population that identifies BG/NBD: drawn from the model itself with fixed, hand-picked histories. */
function varied(n: number): { frequency: number[]; recency: number[]; T: number[] } {
  const frequency: number[] = [];
  const recency: number[] = [];
  const T: number[] = [];
  for (let i = 0; i < n; i++) {
    const age = 20 + (i % 17) * 2;
    const x = i % 5 === 0 ? 0 : (i * 7) % 6;
    frequency.push(x);
    recency.push(x === 0 ? 0 : Math.max(1, age - ((i * 3) % 19)));
    T.push(age);
  }
  return { frequency, recency, T };
}

describe('class 7: probabilistic fits the data do not identify', () => {
  it('class 7: fitBgNbd with every x = 0 is NOT_IDENTIFIED (was converged: true with NaN standard errors)', () => {
    const s = { frequency: [0, 0, 0, 0], recency: [0, 0, 0, 0], T: [10, 20, 30, 5] };
    const e = refuses([s], () => fitBgNbd(s), 'NOT_IDENTIFIED', 'fitBgNbd:', 'x = 0', 'allowUnidentified');
    expect(e.message).toMatch(/^fitBgNbd: the data do not identify the model \(found .*\); .*/);
  });

  it('class 7: fitBgNbd with every T = 0 is NOT_IDENTIFIED (was the start values, converged: true)', () => {
    const s = { frequency: [0, 0, 0], recency: [0, 0, 0], T: [0, 0, 0] };
    refuses([s], () => fitBgNbd(s), 'NOT_IDENTIFIED', 'T = 0');
  });

  it('class 7: fitBgNbd on one customer is NOT_IDENTIFIED (was r = 7.8e8 reported as converged)', () => {
    const s = { frequency: [2], recency: [5], T: [10] };
    refuses([s], () => fitBgNbd(s), 'NOT_IDENTIFIED', 'one distinct history');
  });

  it('class 7: fitBgNbd on many copies of one history is NOT_IDENTIFIED (was NOT_CONVERGED)', () => {
    const s = { frequency: [2, 2, 2], recency: [5, 5, 5], T: [10, 10, 10] };
    refuses([s], () => fitBgNbd(s), 'NOT_IDENTIFIED', 'one distinct history');
  });

  it('class 7: fitParetoNbd with every x = 0 is NOT_IDENTIFIED (was NOT_CONVERGED after 4,776 iterations)', () => {
    const s = { frequency: [0, 0, 0, 0], recency: [0, 0, 0, 0], T: [10, 20, 30, 5] };
    refuses([s], () => fitParetoNbd(s), 'NOT_IDENTIFIED', 'fitParetoNbd:', 'x = 0');
  });

  it('class 7: fitParetoNbd with every T = 0 is NOT_IDENTIFIED (was converged: true, standard errors 2,000× the estimates)', () => {
    const s = { frequency: [0, 0, 0], recency: [0, 0, 0], T: [0, 0, 0] };
    refuses([s], () => fitParetoNbd(s), 'NOT_IDENTIFIED', 'T = 0');
  });

  it('class 7: fitParetoNbd on one customer is NOT_IDENTIFIED before the search (was a search of more than 40 s)', () => {
    const s = { frequency: [2], recency: [5], T: [10] };
    refuses([s], () => fitParetoNbd(s), 'NOT_IDENTIFIED', 'one distinct history');
  });

  it('class 7: fitGammaGamma with one spend for every customer is NOT_IDENTIFIED', () => {
    const s = { frequency: [1, 2, 3, 4], monetary: [20, 20, 20, 20] };
    refuses([s], () => fitGammaGamma(s), 'NOT_IDENTIFIED', 'fitGammaGamma:', 'same mean spend');
  });

  it('class 7: fitGammaGamma on one customer is NOT_IDENTIFIED', () => {
    const s = { frequency: [2], monetary: [5] };
    refuses([s], () => fitGammaGamma(s), 'NOT_IDENTIFIED', 'same mean spend');
  });

  it('class 7: fitBgBb with no repeat transaction is NOT_IDENTIFIED', () => {
    const s = { frequency: [0, 0, 0], recency: [0, 0, 0], periods: [6, 6, 6] };
    refuses([s], () => fitBgBb(s), 'NOT_IDENTIFIED', 'fitBgBb:', 'x = 0');
  });

  it('class 7: fitSbg on a cohort that lost nobody is NOT_IDENTIFIED', () => {
    const counts = [1000, 1000, 1000, 1000];
    refuses([counts], () => fitSbg(counts), 'NOT_IDENTIFIED', 'fitSbg:', 'no customer was lost');
  });

  it('class 7: fitSbg on a cohort lost entirely in the first period is NOT_IDENTIFIED', () => {
    const counts = [500, 0, 0];
    refuses([counts], () => fitSbg(counts), 'NOT_IDENTIFIED', 'first period');
  });

  it('class 7: fitSbg on one period is NOT_IDENTIFIED (only α/(α + β) is determined)', () => {
    const counts = [1000, 631];
    refuses([counts], () => fitSbg(counts), 'NOT_IDENTIFIED', 'one period');
  });

  it('class 7: allowUnidentified returns the fit marked identified: false with the reason in warnings', () => {
    const s = { frequency: [0, 0, 0, 0], recency: [0, 0, 0, 0], T: [10, 20, 30, 5] };
    const { value: m, error } = unchangedAfter([s], () => fitBgNbd(s, { allowUnidentified: true }));
    expect(error).toBeUndefined();
    expect(m!.identified).toBe(false);
    expect(m!.warnings).toHaveLength(1);
    expect(m!.warnings[0]).toMatch(/^NOT_IDENTIFIED: fitBgNbd: .*x = 0/);
    expect(Object.isFrozen(m!.warnings)).toBe(true);
  });

  it('class 7: allowUnidentified must be a boolean (INVALID_OPTION)', () => {
    const s = varied(60);
    refuses([s], () => fitBgNbd(s, { allowUnidentified: 'yes' as never }), 'INVALID_OPTION', 'allowUnidentified');
  });

  it('class 7: BG/NBD on the real Online Retail sample is NOT_IDENTIFIED (was a = 5.7e-8, b = 159,372, converged: true)', () => {
    const lines = readLines(dataset('online_retail_sample.csv'));
    const header = splitCsvLine(lines[0]);
    const rows = lines.slice(1).map(splitCsvLine);
    const at = (name: string) => header.indexOf(name);
    const tx = {
      customer: rows.map((r) => (r[at('CustomerID')] === '' ? null : r[at('CustomerID')])),
      date: rows.map((r) => r[at('InvoiceDate')]),
      amount: rows.map((r) => Number(r[at('Quantity')]) * Number(r[at('UnitPrice')])),
    };
    const s = summaryFromTransactions(tx);
    refuses([s], () => fitBgNbd(s), 'NOT_IDENTIFIED', 'fitBgNbd:');
    const kept = fitBgNbd(s, { allowUnidentified: true });
    expect(kept.identified).toBe(false);
    // the reason is the boundary or the singular information, as found before: a → 0 or b → ∞
    expect(kept.params.a < 1e-5 || kept.params.b > 1e5 || kept.warnings[0].includes('singular')).toBe(true);
  });

  it('class 7: the rule does not fire on the published CDNOW fit (Fader, Hardie & Lee 2005): identified, no warnings', () => {
    const lines = readLines(dataset('cdnow_customers_summary.csv'));
    const header = splitCsvLine(lines[0]);
    const rows = lines.slice(1).map(splitCsvLine);
    const col = (name: string) => rows.map((r) => Number(r[header.indexOf(name)]));
    const s = { frequency: col('x'), recency: col('t_x'), T: col('T') };
    const m = fitBgNbd(s);
    expect(m.identified).toBe(true);
    expect(m.warnings).toEqual([]);
    expect(m.params.r).toBeCloseTo(0.243, 2);
    expect(m.params.b).toBeCloseTo(2.426, 1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// class 8 (first half): a table of the wrong kind or unit

const TX = {
  customer: ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c', 'd'],
  date: [
    '2024-01-01',
    '2024-02-10',
    '2024-05-01',
    '2024-01-15',
    '2024-03-20',
    '2024-01-03',
    '2024-01-30',
    '2024-02-28',
    '2024-04-02',
    '2024-02-02',
  ],
  amount: [10, 12, 9, 30, 28, 5, 6, 7, 5, 50],
};

describe('class 8: a summary of the wrong kind or time unit', () => {
  it('class 8: predictClv refuses a customerSummary table (was values 26 % too low)', () => {
    const s = customerSummary(TX);
    refuses(
      [s],
      () => predictClv(CDNOW_BG, GG, s),
      'INVALID_INPUT',
      'predictClv:',
      'customerSummary',
      'summaryFromTransactions',
    );
  });

  it('class 8: fitBgNbd refuses a customerSummary table, naming summaryFromTransactions', () => {
    const s = customerSummary(TX);
    const e = refuses([s], () => fitBgNbd(s), 'INVALID_INPUT', 'fitBgNbd:', 'RFM recency', 'summaryFromTransactions');
    expect(e.message).toMatch(
      /^fitBgNbd: the table is a customerSummary table \(found clientele\.kind = "customerSummary": .*\); pass /,
    );
  });

  it('class 8: fitParetoNbd refuses an rfm table', () => {
    const s = rfm(TX);
    refuses([s], () => fitParetoNbd(s), 'INVALID_INPUT', 'fitParetoNbd:', 'rfm table');
  });

  it('class 8: fitGammaGamma refuses a customerSummary table', () => {
    const s = customerSummary(TX);
    refuses([s], () => fitGammaGamma(s), 'INVALID_INPUT', 'fitGammaGamma:', 'customerSummary');
  });

  it('class 8: predictBgNbd and predictParetoNbd refuse a customerSummary table', () => {
    const s = customerSummary(TX);
    refuses([s], () => predictBgNbd(CDNOW_BG, s, { quantity: 'probabilityAlive' }), 'INVALID_INPUT', 'predictBgNbd:');
    const pnbd = { params: { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 } };
    refuses(
      [s],
      () => predictParetoNbd(pnbd, s, { quantity: 'probabilityAlive' }),
      'INVALID_INPUT',
      'predictParetoNbd:',
    );
  });

  it('class 8: predictClv refuses its own output as a summary', () => {
    const s = summaryFromTransactions(TX);
    const out = predictClv(CDNOW_BG, GG, s);
    refuses([out], () => predictClv(CDNOW_BG, GG, out), 'INVALID_INPUT', 'predictClv table');
  });

  it('class 8: a model fitted in weeks refuses a summary in days (predictClv, predictBgNbd)', () => {
    const weeks = summaryFromTransactions(TX, { unit: 'week' });
    const days = summaryFromTransactions(TX, { unit: 'day' });
    const m = fitBgNbd(weeks, { allowUnidentified: true, allowNonConvergence: true });
    expect(m.unit).toBe('week');
    refuses([days], () => predictClv(m, GG, days), 'INVALID_INPUT', 'fitted in weeks', "unit: 'week'");
    refuses([days], () => predictBgNbd(m, days, { quantity: 'probabilityAlive' }), 'INVALID_INPUT', 'in days');
  });

  it('class 8: the same model and summary in one unit predict as before', () => {
    const weeks = summaryFromTransactions(TX);
    const withUnit = { ...CDNOW_BG, unit: 'week' };
    const a = predictClv(withUnit, GG, weeks).getChild('clv')!.toArray();
    const plain = {
      customer: weeks.getChild('customer')!.toArray(),
      frequency: weeks.getChild('frequency')!.toArray(),
      recency: weeks.getChild('recency')!.toArray(),
      T: weeks.getChild('T')!.toArray(),
      monetary: weeks.getChild('monetary')!.toArray(),
    };
    const b = predictClv(CDNOW_BG, GG, plain).getChild('clv')!.toArray();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('class 8: a user-built table without metadata is read by its column names', () => {
    const s = { customer: [1], frequency: [2], recency: [30.43], T: [38.86], monetary: [22.35] };
    const { value, error } = unchangedAfter([s], () => predictClv(CDNOW_BG, GG, s, { discountRate: 0 }));
    expect(error).toBeUndefined();
    expect(value!.numRows).toBe(1);
  });

  it('class 8: predictClv refuses a BG/NBD model passed as the spend model', () => {
    const s = { customer: [1], frequency: [2], recency: [30.43], T: [38.86], monetary: [22.35] };
    refuses([s], () => predictClv(CDNOW_BG, CDNOW_BG as never, s), 'INVALID_INPUT', 'Gamma-Gamma', 'fitGammaGamma');
  });

  it('class 8: a holdout summary fits on its calibration columns (accepted, same fit as without the holdout)', () => {
    const plain = summaryFromTransactions(TX, { calibrationEnd: '2024-03-31' });
    const holdout = summaryFromTransactions(TX, { calibrationEnd: '2024-03-31', holdoutEnd: '2024-05-31' });
    const a = fitGammaGamma(plain, { allowUnidentified: true, allowNonConvergence: true });
    const b = fitGammaGamma(holdout, { allowUnidentified: true, allowNonConvergence: true });
    expect(b.params).toEqual(a.params);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// class 6: runaway work

function groceries(): string[][] {
  return readFileSync(dataset('groceries.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.trim().split(','));
}

describe('class 6: runaway work stops on a counted limit', () => {
  it('class 6: frequentItemsets on the real Groceries baskets at minSupport 0.0001 stops with LIMIT_EXCEEDED (was 3 GB in a minute)', () => {
    const b = basketsFromLists(groceries());
    const e = refuses(
      [],
      () => frequentItemsets(b, { minSupport: 0.0001, maxItemsets: 200_000 }),
      'LIMIT_EXCEEDED',
      'maxItemsets = 200000',
      'raise minSupport',
      'maxLength',
    );
    expect(e.message).toMatch(/^frequentItemsets: /);
  });

  it('class 6: the itemset guard fires in every algorithm at the same count', () => {
    // 12 items in one basket: 4,095 itemsets at minCount 1
    const lists = [Array.from({ length: 12 }, (_, i) => `i${i}`)];
    for (const algorithm of ['eclat', 'fpgrowth', 'apriori'] as const) {
      refuses([lists], () => frequentItemsets(lists, { minCount: 1, algorithm, maxItemsets: 4094 }), 'LIMIT_EXCEEDED');
      const ok = frequentItemsets(lists, { minCount: 1, algorithm, maxItemsets: 4095 });
      expect(ok.numRows).toBe(2 ** 12 - 1);
    }
  });

  it('class 6: maxItemsets: Infinity lifts the limit', () => {
    const lists = [Array.from({ length: 10 }, (_, i) => `i${i}`)];
    expect(frequentItemsets(lists, { minCount: 1, maxItemsets: Infinity }).numRows).toBe(1023);
  });

  it('class 6: maxItemsets must be a positive integer or Infinity (INVALID_OPTION)', () => {
    const lists = [['a', 'b']];
    for (const bad of [0, -1, 1.5, NaN, '10']) {
      refuses(
        [lists],
        () => frequentItemsets(lists, { minCount: 1, maxItemsets: bad as never }),
        'INVALID_OPTION',
        'maxItemsets',
      );
    }
  });

  it('class 6: the itemset guard fires on worker threads too (parallel)', async () => {
    const lists = Array.from({ length: 4 }, () => Array.from({ length: 12 }, (_, i) => `i${i}`));
    let caught: unknown;
    try {
      await frequentItemsets(lists, { minCount: 1, maxItemsets: 100, parallel: 2, minRowsPerWorker: 1 });
    } catch (e) {
      caught = e;
    }
    expect(isClienteleError(caught) && caught.code).toBe('LIMIT_EXCEEDED');
  });

  it('class 6: associationRules stops with LIMIT_EXCEEDED past maxRules, naming it', () => {
    const lists = [Array.from({ length: 8 }, (_, i) => `i${i}`)];
    const sets = frequentItemsets(lists, { minCount: 1 });
    // every itemset of k ≥ 2 items gives k one-item-consequent rules of confidence 1: Σ k·C(8, k) − 8 = 1016
    refuses(
      [sets],
      () => associationRules(sets, { maxRules: 1000 }),
      'LIMIT_EXCEEDED',
      'maxRules = 1000',
      'minConfidence',
    );
    expect(associationRules(sets, { maxRules: 1016 }).numRows).toBe(1016);
  });

  it('class 6: maxRules must be a positive integer or Infinity (INVALID_OPTION)', () => {
    const sets = frequentItemsets([['a', 'b']], { minCount: 1 });
    refuses([sets], () => associationRules(sets, { maxRules: 0 }), 'INVALID_OPTION', 'maxRules');
  });

  it('class 6: plsPathModel({ bootstrap: 1e9 }) stops with LIMIT_EXCEEDED before any resample (was forever)', () => {
    const { survey } = sampleSurvey({ respondents: 60, seed: 1 });
    const model = acsiModel({
      expectations: ['exp1', 'exp2', 'exp3'],
      quality: ['qual1', 'qual2', 'qual3'],
      value: ['val1', 'val2'],
      satisfaction: ['sat1', 'sat2', 'sat3'],
      complaints: ['comp1'],
      loyalty: ['loy1', 'loy2'],
    });
    refuses([survey], () => plsPathModel(survey, model, { bootstrap: 1e9 }), 'LIMIT_EXCEEDED', 'maxBootstrap = 10000');
    refuses(
      [survey],
      () => plsPathModel(survey, model, { bootstrap: 20, maxBootstrap: 10 }),
      'LIMIT_EXCEEDED',
      'maxBootstrap',
    );
    refuses([survey], () => plsPathModel(survey, model, { maxBootstrap: -1 }), 'INVALID_OPTION', 'maxBootstrap');
  });

  it('class 6: kmeans with nInit 1e9 or maxIterations 1e12 is refused before any run', () => {
    const t = { x: [1, 2, 3, 10, 11, 12], y: [1, 1, 2, 9, 9, 8] };
    refuses([t], () => kmeans(t, { columns: ['x', 'y'], k: 2, nInit: 1e9 }), 'INVALID_OPTION', 'nInit');
    refuses(
      [t],
      () => kmeans(t, { columns: ['x', 'y'], k: 2, maxIterations: 1e12 }),
      'INVALID_OPTION',
      'maxIterations',
    );
  });

  it('class 6: chooseK with kRange [2, 1e9] is refused before any fit', () => {
    const t = { x: [1, 2, 3, 10, 11, 12], y: [1, 1, 2, 9, 9, 8] };
    refuses([t], () => chooseK(t, { columns: ['x', 'y'], kRange: [2, 1e9] }), 'INVALID_OPTION', 'kRange', '1,000');
  });

  it('class 6: sampleStore({ customers: 1e12 }) and sampleSurvey({ respondents: 1e12 }) are refused, not allocated', () => {
    refuses([], () => sampleStore({ customers: 1e12 }), 'INVALID_OPTION', 'customers');
    refuses([], () => sampleSurvey({ respondents: 1e12 }), 'INVALID_OPTION', 'respondents');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// fuzz: random histories into every repeat-buying fit: a model, or a ClienteleError, never a raw error or a
// plausible fit on data without variation

describe('class 7: fuzz over small histories', () => {
  it('class 7: fitBgNbd on random small histories returns identified fits or a ClienteleError', () => {
    const history = fc
      .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }))
      .map(([x, a, b]) => {
        const T = Math.max(a, b);
        return { x, tx: x === 0 ? 0 : Math.max(1, Math.min(a, b)), T: Math.max(T, 1) };
      });
    fc.assert(
      fc.property(fc.array(history, { minLength: 1, maxLength: 8 }), (rows) => {
        const s = { frequency: rows.map((r) => r.x), recency: rows.map((r) => r.tx), T: rows.map((r) => r.T) };
        const { value, error } = unchangedAfter([s], () => fitBgNbd(s, { maxIterations: 300 }));
        if (error !== undefined) {
          expect(isClienteleError(error), String(error)).toBe(true);
          return;
        }
        // a fit returned without allowUnidentified is identified: finite estimates and standard errors
        expect(value!.identified).toBe(true);
        for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(Number.isFinite(value!.standardErrors[k])).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// class 7 in the command line: the outcome is shown, never a normal-looking model

describe('class 7: clientele clv', () => {
  const once = [
    'customer,date,amount',
    ...Array.from({ length: 30 }, (_, i) => `c${i},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${10 + i}`),
  ];

  async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'clientele-models-'));
    try {
      const file = join(dir, 'tx.csv');
      writeFileSync(file, `${once.join('\n')}\n`);
      let out = '';
      let err = '';
      const io = {
        stdout: { write: (s: string) => ((out += s), true) },
        stderr: { write: (s: string) => ((err += s), true), isTTY: false, columns: 100 },
      };
      const status = await runCli(['clv', file, ...argv], io);
      return { status, out, err };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('class 7: clv on one-time buyers exits 1 with NOT_IDENTIFIED (was a normal-looking model)', async () => {
    const r = await run([]);
    expect(r.status).toBe(1);
    expect(r.err).toContain('fitBgNbd: the data do not identify the model');
    expect(r.out).toBe('');
  });

  it('class 7: clv --allow-unidentified accepts the purchase model, then stops on the spend model (EMPTY_INPUT)', async () => {
    const r = await run(['--allow-unidentified']);
    // BG/NBD is kept (identified: false); Gamma-Gamma has no repeat buyer at all, which no option accepts
    expect(r.status).toBe(1);
    expect(r.err).not.toContain('fitBgNbd');
    expect(r.err).toContain('fitGammaGamma: no customer with repeat transactions');
  });
});

describe('class 6: a period count that would loop', () => {
  // α = 1, β = 3: S(t) = Π (i + 2)/(i + 3) = 3/(t + 3) exactly (telescoping), an independent reference at any t
  const model = { params: { alpha: 1, beta: 3 } };
  it('class 6: sbgSurvival at t = 1e9 is 3/(t + 3) without a billion-term loop (log-Beta ratio beyond 1,000)', () => {
    for (const t of [1000, 1001, 2000, 1e6, 1e9]) {
      expect(Math.abs(sbgSurvival(model, t) / (3 / (t + 3)) - 1), `t = ${t}`).toBeLessThan(1e-9);
    }
  });
  it('class 6: sbgChurnProbability at t = 1e9 is S(t − 1)·α/(α + β + t − 1) = 3/((t + 2)(t + 3))', () => {
    const t = 1e9;
    expect(Math.abs(sbgChurnProbability(model, t) / (3 / ((t + 2) * (t + 3))) - 1)).toBeLessThan(1e-9);
  });
});
