/**
 * The seeded transaction log of the RFM benchmark, as plain typed arrays. Deliberately free of `apache-arrow`,
 * so that the danfo.js child process can generate the very same rows without loading Arrow (see
 * `danfo-groupby.ts` for why that matters).
 */

export const SEED = 20240602;
/** 2023-01-01 as an epoch day. */
export const DAY0 = 19358;
/** The log spans two years. */
export const DAYS = 730;

/** mulberry32: a small seeded generator of uniforms in [0, 1); the benchmark data never uses Math.random. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TransactionArrays {
  readonly n: number;
  /** Customer ids 1..⌊n/10⌋ (a few ids draw no transaction). */
  readonly customer: Int32Array;
  /** Epoch days. */
  readonly date: Int32Array;
  /** Money, rounded to cents. */
  readonly amount: Float64Array;
}

/**
 * n transactions of about n/10 customers, in date order over two years (a log as it is written): customer ids
 * drawn with a skew (id = 1 + ⌊C·u^1.5⌋, so a few customers buy very often), dates spread evenly from 2023-01-01,
 * amounts log-normal (median ≈ 25) rounded to cents, at least 0.01. The same (n, seed) always gives the same rows.
 */
export function transactionArrays(n: number, seed = SEED): TransactionArrays {
  const customer = new Int32Array(n);
  const date = new Int32Array(n);
  const amount = new Float64Array(n);
  fillTransactions(mulberry32(seed ^ n), n, 0, customer, date, amount);
  return { n, customer, date, amount };
}

/**
 * Draws rows `start … start + customer.length − 1` of an n-row log into the given arrays (the rows of
 * {@link transactionArrays}; scale-data.ts draws a 100M-row log chunk by chunk with it, each chunk from its own
 * generator).
 */
export function fillTransactions(
  uniform: () => number,
  n: number,
  start: number,
  customer: Int32Array,
  date: Int32Array,
  amount: Float64Array,
): void {
  const customers = Math.max(1, Math.floor(n / 10));
  for (let j = 0; j < customer.length; j++) {
    const i = start + j;
    customer[j] = 1 + Math.floor(customers * uniform() ** 1.5);
    date[j] = DAY0 + Math.floor((DAYS * i) / n);
    const z = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()); // Box–Muller
    amount[j] = Math.max(1, Math.round(100 * Math.exp(3.2 + 0.9 * z))) / 100;
  }
}
