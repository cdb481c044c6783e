import { describe, expect, it } from 'vitest';
import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { sampleStore } from '../../src/sample/index.js';
import type { SampleStore } from '../../src/sample/index.js';
import { isClienteleError } from '../../src/table/errors.js';

/** The raw buffer values of a fixed-width column (Int32, Float64, DateDay days, dictionary indices). */
function raw(table: Table, name: string): Float64Array {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`no column ${name}`);
  const out = new Float64Array(vector.length);
  let at = 0;
  for (const data of vector.data) {
    const values = data.values as ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> };
    const part = values.subarray(data.offset, data.offset + data.length);
    for (let i = 0; i < part.length; i++) out[at++] = part[i];
  }
  return out;
}

function strings(table: Table, name: string): string[] {
  return Array.from(table.getChild(name)!.toArray() as ArrayLike<string>);
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function expectInvalidOption(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(isClienteleError(e)).toBe(true);
    expect((e as { code: string }).code).toBe('INVALID_OPTION');
    expect((e as Error).message.startsWith('sampleStore: ')).toBe(true);
    return;
  }
  throw new Error('expected a ClienteleError');
}

const ipc = (store: SampleStore) => [store.transactions, store.basketItems, store.survey].map((t) => tableToIPC(t));

describe('sampleStore', () => {
  const store = sampleStore({ customers: 5000, seed: 11 });
  const { transactions, basketItems, survey, truth } = store;

  it('is deterministic: the same options give byte-identical Arrow IPC, another seed differs', () => {
    const a = ipc(sampleStore({ customers: 300, seed: 3 }));
    const b = ipc(sampleStore({ customers: 300, seed: 3 }));
    const c = ipc(sampleStore({ customers: 300, seed: 4 }));
    for (let i = 0; i < 3; i++) {
      expect(Buffer.from(a[i]).equals(Buffer.from(b[i]))).toBe(true);
      expect(Buffer.from(a[i]).equals(Buffer.from(c[i]))).toBe(false);
    }
  });

  it('has the documented columns and Arrow types', () => {
    const types = (t: Table) => t.schema.fields.map((f) => `${f.name}:${String(f.type)}`);
    expect(types(transactions)).toEqual([
      'transaction:Int32',
      'customer:Utf8',
      'date:Date32<DAY>',
      'amount:Float64',
      'items:Int32',
    ]);
    expect(types(basketItems)).toEqual(['transaction:Int32', 'item:Dictionary<Int32, Utf8>']);
    const indicators = [
      'exp1',
      'exp2',
      'exp3',
      'qual1',
      'qual2',
      'qual3',
      'val1',
      'val2',
      'sat1',
      'sat2',
      'sat3',
      'comp1',
      'loy1',
      'loy2',
    ];
    expect(types(survey)).toEqual(['customer:Utf8', ...indicators.map((c) => `${c}:Int32`)]);
    expect(Object.isFrozen(store)).toBe(true);
    expect(Object.isFrozen(truth.bgNbd) && Object.isFrozen(truth.acsi.paths[0])).toBe(true);
  });

  it('uses the defaults of the brief: 1000 customers, seed 42, from 2023-01-01 over 730 days, 60 products', () => {
    const d = sampleStore();
    expect(new Set(strings(d.transactions, 'customer')).size).toBe(1000);
    expect(d.truth.window).toEqual({ start: '2023-01-01', startDay: 19358, days: 730, acquisitionDays: 365 });
    expect(d.truth.basket.catalogue).toHaveLength(60);
    expect(d.truth.basket.catalogue.slice(0, 4)).toEqual(['beer', 'diapers', 'milk', 'bread']);
    expect(ipc(d)).toEqual(ipc(sampleStore({ seed: 42, start: new Date(Date.UTC(2023, 0, 1)) })));
  });

  it('gives every customer at least one transaction, numbered 1..n and sorted by date then customer', () => {
    const customers = strings(transactions, 'customer');
    expect(new Set(customers)).toEqual(
      new Set(Array.from({ length: 5000 }, (_, i) => `C${String(i + 1).padStart(6, '0')}`)),
    );
    const id = raw(transactions, 'transaction');
    const date = raw(transactions, 'date');
    for (let k = 0; k < id.length; k++) expect(id[k]).toBe(k + 1);
    let sorted = true;
    for (let k = 1; k < date.length; k++) {
      if (date[k] < date[k - 1] || (date[k] === date[k - 1] && customers[k] < customers[k - 1])) sorted = false;
    }
    expect(sorted).toBe(true);
  });

  it('keeps amounts positive and in whole cents, and dates inside the window', () => {
    const amount = raw(transactions, 'amount');
    const date = raw(transactions, 'date');
    const { startDay, days } = truth.window;
    expect(amount.every((a) => a > 0 && Math.abs(a * 100 - Math.round(a * 100)) < 1e-6)).toBe(true);
    expect(date.every((d) => d >= startDay && d < startDay + days)).toBe(true);
    const first = transactions.getChild('date')!.get(0) as unknown as number;
    expect(new Date(first).toISOString().slice(0, 10) >= truth.window.start).toBe(true);
  });

  it('matches BG/NBD: the share of one-time buyers equals E[(α/(α+T))^r] within 0.02', () => {
    // P(no repeat purchase by the window's end | first purchase at t0) = (α / (α + days − t0))^r
    // (Fader, Hardie & Lee 2005, eq. 7 with x = 0 repeat purchases and no dropout before the first repeat).
    const big = sampleStore({ customers: 20_000, seed: 5 });
    const { r, alpha } = big.truth.bgNbd;
    const { days, acquisitionDays } = big.truth.window;
    let expected = 0;
    const steps = 20;
    for (let d = 0; d < acquisitionDays; d++) {
      for (let s = 0; s < steps; s++) {
        const T = days - d - (s + 0.5) / steps;
        expected += (alpha / (alpha + T)) ** r / (acquisitionDays * steps);
      }
    }
    const counts = new Map<string, number>();
    for (const c of strings(big.transactions, 'customer')) counts.set(c, (counts.get(c) ?? 0) + 1);
    let once = 0;
    for (const n of counts.values()) if (n === 1) once++;
    const share = once / counts.size;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.5);
    expect(Math.abs(share - expected)).toBeLessThan(0.02);
  });

  it('matches Gamma-Gamma: first-purchase amounts average pγ/(q−1) = 30 within 5 %', () => {
    const customers = strings(transactions, 'customer');
    const amount = raw(transactions, 'amount');
    const seen = new Set<string>();
    let sum = 0;
    for (let k = 0; k < customers.length; k++) {
      if (seen.has(customers[k])) continue;
      seen.add(customers[k]);
      sum += amount[k];
    }
    const { p, q, gamma } = truth.gammaGamma;
    expect(Math.abs(sum / seen.size / ((p * gamma) / (q - 1)) - 1)).toBeLessThan(0.05);
  });

  it('lists each basket in basketItems with `items` rows and no repeated product', () => {
    const tx = raw(basketItems, 'transaction');
    const item = raw(basketItems, 'item');
    const items = raw(transactions, 'items');
    const count = new Float64Array(items.length);
    let duplicates = 0;
    for (let row = 0; row < tx.length; row++) {
      count[tx[row] - 1]++;
      if (row > 0 && tx[row] === tx[row - 1] && item[row] <= item[row - 1]) duplicates++; // sorted within a basket
    }
    expect(duplicates).toBe(0);
    expect(Array.from(count)).toEqual(Array.from(items));
    expect(items.every((k) => k >= 1)).toBe(true);
  });

  it('plants beer-and-diapers: confidence > 2 × support(beer), weekend lift above weekday lift', () => {
    const n = transactions.numRows;
    const beer = new Uint8Array(n);
    const diapers = new Uint8Array(n);
    const tx = raw(basketItems, 'transaction');
    const item = strings(basketItems, 'item');
    for (let row = 0; row < tx.length; row++) {
      if (item[row] === 'beer') beer[tx[row] - 1] = 1;
      if (item[row] === 'diapers') diapers[tx[row] - 1] = 1;
    }
    const date = raw(transactions, 'date');
    const lift = (keep: (k: number) => boolean) => {
      let rows = 0;
      let withBeer = 0;
      let withDiapers = 0;
      let both = 0;
      for (let k = 0; k < n; k++) {
        if (!keep(k)) continue;
        rows++;
        withBeer += beer[k];
        withDiapers += diapers[k];
        both += beer[k] & diapers[k];
      }
      const support = withBeer / rows;
      const confidence = both / withDiapers;
      return { support, confidence, lift: confidence / support };
    };
    const weekend = (k: number) => {
      const dow = new Date(date[k] * 86_400_000).getUTCDay();
      return dow === 0 || dow === 6;
    };
    const all = lift(() => true);
    const sat = lift(weekend);
    const week = lift((k) => !weekend(k));
    expect(all.confidence).toBeGreaterThan(2 * all.support);
    expect(sat.lift).toBeGreaterThan(week.lift);
    expect(week.lift).toBeGreaterThan(2);
    // The planted probabilities, within sampling error (about 0.04 for ~1000 weekday diaper baskets).
    expect(Math.abs(week.confidence - truth.basket.beerGivenDiapersWeekday)).toBeLessThan(0.06);
    expect(Math.abs(sat.confidence - truth.basket.beerGivenDiapersWeekend)).toBeLessThan(0.08);
  });

  it('surveys 40 % of customers on a 1–10 integer scale, with sat1 ~ loy1 positive and sat1 ~ comp1 negative', () => {
    expect(survey.numRows).toBe(2000);
    const ids = strings(survey, 'customer');
    expect(new Set(ids).size).toBe(2000);
    expect([...ids].sort()).toEqual(ids);
    for (const field of survey.schema.fields.slice(1)) {
      expect(raw(survey, field.name).every((v) => Number.isInteger(v) && v >= 1 && v <= 10)).toBe(true);
    }
    const sat1 = raw(survey, 'sat1');
    expect(pearson(sat1, raw(survey, 'loy1'))).toBeGreaterThan(0.3);
    expect(pearson(sat1, raw(survey, 'comp1'))).toBeLessThan(-0.15);
    expect(pearson(raw(survey, 'sat1'), raw(survey, 'sat2'))).toBeGreaterThan(0.5); // same latent, λ ≈ 0.9 · 0.85
    expect(sampleStore({ customers: 1 }).survey.numRows).toBe(1);
  });

  it('gives every latent variable unit variance: residual variances in (0, 1], exogenous 1', () => {
    const psi = truth.acsi.residualVariance;
    expect(psi.expectations).toBe(1);
    expect(psi.quality).toBeCloseTo(0.75, 12); // 1 − 0.5²
    expect(psi.complaints).toBeCloseTo(0.75, 12); // 1 − 0.5²
    for (const v of Object.values(psi)) expect(v > 0 && v <= 1).toBe(true);
  });

  it('rejects out-of-range options with INVALID_OPTION', () => {
    expectInvalidOption(() => sampleStore({ customers: 0 }));
    expectInvalidOption(() => sampleStore({ customers: 2.5 }));
    expectInvalidOption(() => sampleStore({ days: 0 }));
    expectInvalidOption(() => sampleStore({ products: 2 }));
    expectInvalidOption(() => sampleStore({ seed: Number.NaN }));
    expectInvalidOption(() => sampleStore({ start: '2023-02-30' }));
    expectInvalidOption(() => sampleStore({ start: 'yesterday' }));
  });

  it('handles small catalogues and windows (3 products, 1 day)', () => {
    const tiny = sampleStore({ customers: 50, products: 3, days: 1, seed: 9 });
    expect(tiny.truth.basket.catalogue).toEqual(['beer', 'diapers', 'milk']);
    expect(raw(tiny.transactions, 'date').every((d) => d === tiny.truth.window.startDay)).toBe(true);
    const many = sampleStore({ customers: 20, products: 70 });
    expect(many.truth.basket.catalogue[69]).toBe('product-70');
  });
});

describe('sampleStore acquisitionDays', () => {
  it('spreads first purchases over the days asked for, and rejects a window longer than the store', () => {
    const store = sampleStore({ customers: 3000, seed: 5, acquisitionDays: 730 });
    expect(store.truth.window.acquisitionDays).toBe(730);
    // first purchase day per customer, by brute force over the rows
    const customers = store.transactions.getChild('customer')!.toArray() as unknown as string[];
    const days = store.transactions.getChild('date')!.data[0].values as Int32Array; // epoch days (toArray gives ms)
    const first = new Map<string, number>();
    customers.forEach((c, i) => first.set(c, Math.min(first.get(c) ?? Infinity, days[i])));
    const late = [...first.values()].filter((d) => d - store.truth.window.startDay >= 365).length;
    // uniform over 730 days: about half acquired in the second year (binomial sd ≈ 27 of 3000)
    expect(Math.abs(late / 3000 - 0.5)).toBeLessThan(0.04);
    expect(() => sampleStore({ customers: 10, days: 30, acquisitionDays: 31 })).toThrow(/acquisitionDays/);
  });
});
