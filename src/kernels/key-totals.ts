import type { Vector } from 'apache-arrow';
import { addCompensated, checkFiniteTotal, compensatedTotal } from '../math/internal';
import {
  asTable,
  ClienteleError,
  describeValue,
  dropCounter,
  DropCounter,
  droppedTotal,
  isAdmissible,
  mergeDrops,
  NO_DROPS,
  partialDrops,
  readKeys,
  readNumeric,
  resized,
  takeVector,
} from '../table/internal';
import type { PartialDrops } from '../table/internal';
import { emptyKeySet, KeyUnion, keySetOf, keyVector } from './key-set';
import type { KeySet } from './key-set';
import type { Accumulator } from './mergeable';

/**
 * Value per key (compensated sum) of some rows, as plain data: the partial aggregate behind `abc`. Keys are every
 * distinct non-null key of the rows in order of first appearance; `rows[id]` counts the rows summed into it.
 */
export interface KeyTotalsPartial {
  readonly kind: 'keyTotals';
  readonly keys: KeySet;
  readonly rows: Int32Array;
  readonly sum: Float64Array;
  readonly compensation: Float64Array;
  readonly drops: PartialDrops;
}

/** The partial of no rows. */
export function initKeyTotals(): KeyTotalsPartial {
  return {
    kind: 'keyTotals',
    keys: emptyKeySet(),
    rows: new Int32Array(0),
    sum: new Float64Array(0),
    compensation: new Float64Array(0),
    drops: NO_DROPS,
  };
}

/**
 * Sums column `valueName` by column `keyName` in one pass; rows with a null key (`nullKey`) or a null/NaN value
 * (`invalidValue`) are dropped and counted.
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`
 */
export function summarizeKeyTotals(input: unknown, keyName: string, valueName: string, fn: string): KeyTotalsPartial {
  const table = asTable(input);
  const keys = readKeys(table, keyName, fn, 'key');
  const { values } = readNumeric(table, valueName, fn, 'value');
  const n = table.numRows;
  const rows = new Int32Array(keys.size);
  const sum = new Float64Array(keys.size);
  const compensation = new Float64Array(keys.size);
  const drops = new DropCounter();
  for (let i = 0; i < n; i++) {
    const c = keys.codes[i];
    const v = values[i];
    if (c < 0 || !isAdmissible(v)) {
      drops.drop(c < 0 ? 'nullKey' : 'invalidValue', i);
      continue;
    }
    rows[c]++;
    addCompensated(sum, compensation, c, v);
  }
  return { kind: 'keyTotals', keys: keySetOf(keys.keys), rows, sum, compensation, drops: partialDrops(n, drops) };
}

/** An in-place union of key-total partials added in row order (O(keys of the partial added) per add). */
export class KeyTotalsAccumulator implements Accumulator<KeyTotalsPartial> {
  private union: KeyUnion;
  private rows = new Int32Array(0);
  private sum = new Float64Array(0);
  private compensation = new Float64Array(0);
  private drops: PartialDrops = NO_DROPS;

  /** @param where the public function and the key column, named if a batch's keys change type */
  constructor(where?: { fn: string; column: string }) {
    this.union = new KeyUnion(where);
  }

  add(p: KeyTotalsPartial): void {
    const ids = this.union.add(p.keys);
    if (this.union.size > this.rows.length) {
      const capacity = Math.max(1024, this.rows.length * 2, this.union.size);
      this.rows = resized(this.rows, capacity);
      this.sum = resized(this.sum, capacity);
      this.compensation = resized(this.compensation, capacity);
    }
    for (let j = 0; j < ids.length; j++) {
      const c = ids[j];
      this.rows[c] += p.rows[j];
      addCompensated(this.sum, this.compensation, c, p.sum[j]);
      this.compensation[c] += p.compensation[j];
    }
    this.drops = mergeDrops(this.drops, p.drops);
  }

  result(): KeyTotalsPartial {
    const size = this.union.size;
    return {
      kind: 'keyTotals',
      keys: this.union.keySet(),
      rows: this.rows.slice(0, size),
      sum: this.sum.slice(0, size),
      compensation: this.compensation.slice(0, size),
      drops: this.drops,
    };
  }
}

/** The partial of `a`'s rows followed by `b`'s (inputs unchanged). */
export function mergeKeyTotals(a: KeyTotalsPartial, b: KeyTotalsPartial): KeyTotalsPartial {
  const acc = new KeyTotalsAccumulator();
  acc.add(a);
  acc.add(b);
  return acc.result();
}

/** Keys with at least one row summed, their totals, and the drop counts. */
export interface KeyTotals {
  readonly keys: Vector;
  readonly values: Float64Array;
  readonly rows: number;
  readonly drops: DropCounter;
}

/**
 * The totals of a finished partial: keys with at least one kept row, in order of first appearance.
 *
 * @param column the value column, named when a key's total overflows
 * @throws {ClienteleError} `EMPTY_INPUT` (no rows, or every row dropped), `INVALID_VALUE` (a key's total overflows
 *   a double)
 */
export function finishKeyTotals(p: KeyTotalsPartial, fn: string, column: string): KeyTotals {
  const n = p.drops.rows;
  if (n === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass at least one row`);
  const drops = dropCounter(p.drops);
  if (droppedTotal(p.drops) === n) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${n} rows were dropped (${JSON.stringify(drops.counts)}); check the key and value columns`,
    );
  }
  const size = p.rows.length;
  let kept = 0;
  for (let c = 0; c < size; c++) if (p.rows[c] > 0) kept++;
  const ids = new Int32Array(kept);
  const values = new Float64Array(kept);
  for (let c = 0, k = 0; c < size; c++) {
    if (p.rows[c] > 0) {
      ids[k] = c;
      values[k++] = compensatedTotal(p.sum[c], p.compensation[c]);
    }
  }
  const all = keyVector(p.keys);
  for (let k = 0; k < kept; k++) {
    if (values[k] - values[k] !== 0) checkFiniteTotal(values[k], fn, column, `key ${describeValue(all.get(ids[k]))}`);
  }
  return { keys: kept === size ? all : takeVector(all, ids), values, rows: n, drops };
}
