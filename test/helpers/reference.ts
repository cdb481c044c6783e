/**
 * Slow, obviously-correct reference computations the tests compare the library against. Written from the
 * definitions (R's `quantile(type = 7)` and `findInterval`), on plain JS arrays, sharing no code with src/.
 */

/** R `quantile(x, p, type = 7)`: h = (n − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) on the sorted sample. */
export function rQuantile7(values: readonly number[], p: number): number {
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, x.length - 1);
  return x[lo] + (h - lo) * (x[hi] - x[lo]);
}

/** R `findInterval(x, breaks, left.open = TRUE)`: the number of breaks strictly below x. */
export function findIntervalLeftOpen(x: number, breaks: readonly number[]): number {
  return breaks.filter((b) => b < x).length;
}

/** Scores as the RFM convention states them, from the definitions. */
export function referenceScores(values: readonly number[], bins: number, higherIsBetter: boolean): number[] {
  const breaks = Array.from({ length: bins - 1 }, (_, j) => rQuantile7(values, (j + 1) / bins));
  return values.map((v) =>
    higherIsBetter ? 1 + findIntervalLeftOpen(v, breaks) : bins - findIntervalLeftOpen(v, breaks),
  );
}

export interface Tx {
  customer: string | number | null;
  day: number | null; // epoch day
  amount: number | null;
}

export interface RefCustomer {
  count: number;
  first: number;
  last: number;
  monetary: number;
}

/** Per-customer aggregates with a Map, in first-appearance order, keeping only valid rows. */
export function referenceSummary(rows: readonly Tx[], asOf?: number): Map<string | number, RefCustomer> {
  const out = new Map<string | number, RefCustomer>();
  for (const row of rows) {
    if (row.customer === null || row.day === null || row.amount === null || Number.isNaN(row.amount)) continue;
    if (asOf !== undefined && row.day > asOf) continue;
    const c = out.get(row.customer);
    if (!c) out.set(row.customer, { count: 1, first: row.day, last: row.day, monetary: row.amount });
    else {
      c.count++;
      c.first = Math.min(c.first, row.day);
      c.last = Math.max(c.last, row.day);
      c.monetary += row.amount;
    }
  }
  return out;
}

/** Plain JS values of a table column. */
export function col(
  table: { getChild(name: string): { toArray(): ArrayLike<unknown> } | null },
  name: string,
): unknown[] {
  const v = table.getChild(name);
  if (!v) throw new Error(`no column ${name}`);
  return Array.from(v.toArray());
}

/** Epoch day of an ISO date, via the platform's Date (independent of the library's date code). */
export function day(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}
