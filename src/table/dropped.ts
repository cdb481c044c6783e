import type { Table } from 'apache-arrow';
import { ClienteleError, describeValue } from './errors';

/** Why an analysis dropped a row. */
export type DropReason =
  | 'nullCustomer'
  | 'nullKey'
  | 'invalidDate'
  | 'invalidAmount'
  | 'afterAsOf'
  | 'negativeAmount'
  | 'invalidValue'
  // model fits: histories and spend that a model cannot use
  | 'invalidWeight'
  | 'zeroWeight'
  | 'invalidFrequency'
  | 'invalidMonetary'
  | 'zeroMonetary'
  | 'noRepeat'
  | 'recencyAfterAge'
  | 'recencyWithoutRepeat'
  | 'repeatAtZero'
  | 'inconsistentRecency'
  // surveys: a respondent without an answer to one of the model's questions (listwise deletion)
  | 'missingAnswer'
  // classification trees: a row without a class (segment −1 or null, null churn label)
  | 'missingLabel';

/** What an analysis did with its input rows, as stored in its result's schema metadata. */
export interface DropReport {
  /** Rows in the input. */
  readonly rows: number;
  /** Rows that went into the result. */
  readonly kept: number;
  /** Rows dropped, by reason (a row with several faults is counted once, under the first reason checked). */
  readonly dropped: Readonly<Partial<Record<DropReason, number>>>;
  /** The first dropped row (0-based input row) for each reason, to look at. */
  readonly firstRow: Readonly<Partial<Record<DropReason, number>>>;
  /** Total rows dropped: `rows - kept`. */
  readonly total: number;
}

/** Metadata keys used on result schemas. */
export const META = {
  kind: 'clientele.kind',
  rows: 'clientele.rows',
  kept: 'clientele.kept',
  dropped: 'clientele.dropped',
  firstRow: 'clientele.firstDroppedRow',
  asOf: 'clientele.asOf',
} as const;

/** Counts dropped rows by reason while an analysis scans its input. */
export class DropCounter {
  readonly counts: Partial<Record<DropReason, number>> = {};
  readonly first: Partial<Record<DropReason, number>> = {};
  total = 0;

  drop(reason: DropReason, row: number): void {
    const count = this.counts[reason];
    if (count === undefined) {
      this.counts[reason] = 1;
      this.first[reason] = row;
    } else this.counts[reason] = count + 1;
    this.total++;
  }

  /** The metadata entries describing `rows` input rows of which all but the dropped were kept. */
  metadata(rows: number): Record<string, string> {
    return {
      [META.rows]: String(rows),
      [META.kept]: String(rows - this.total),
      [META.dropped]: JSON.stringify(this.counts),
      [META.firstRow]: JSON.stringify(this.first),
    };
  }
}

/**
 * What an analysis dropped from its input: reads the counts that every clientele result carries in its schema
 * metadata (`clientele.rows`, `clientele.kept`, `clientele.dropped`).
 *
 * @throws {ClienteleError} `INVALID_INPUT` when the table is not a clientele result
 * @example
 * const summary = customerSummary({ customer: ['a', null, 'b'], date: ['2024-01-01', '2024-01-02', '2024-01-03'], amount: [5, 7, 9] });
 * droppedRows(summary); // { rows: 3, kept: 2, dropped: { nullCustomer: 1 }, firstRow: { nullCustomer: 1 }, total: 1 }
 */
export function droppedRows(table: Table): DropReport {
  const metadata = table?.schema?.metadata;
  const rows = metadata?.get(META.rows);
  if (rows === undefined) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `droppedRows: the table carries no clientele row counts (found ${describeValue(table)} without ` +
        `"${META.rows}" metadata); pass a table returned by a clientele analysis`,
    );
  }
  const kept = Number(metadata!.get(META.kept));
  const dropped = JSON.parse(metadata!.get(META.dropped) ?? '{}');
  const firstRow = JSON.parse(metadata!.get(META.firstRow) ?? '{}');
  return Object.freeze({ rows: Number(rows), kept, dropped, firstRow, total: Number(rows) - kept });
}

/** Dropped-row counts of a partial: plain objects, so they clone; first rows are 0-based in the partial's rows. */
export interface PartialDrops {
  readonly rows: number;
  readonly dropped: Readonly<Partial<Record<DropReason, number>>>;
  readonly firstRow: Readonly<Partial<Record<DropReason, number>>>;
}

/** The plain-data form of a counter that scanned `rows` rows. */
export function partialDrops(rows: number, drops: DropCounter): PartialDrops {
  return { rows, dropped: { ...drops.counts }, firstRow: { ...drops.first } };
}

export const NO_DROPS: PartialDrops = Object.freeze({
  rows: 0,
  dropped: Object.freeze({}),
  firstRow: Object.freeze({}),
});

/**
 * The drops of `a`'s rows followed by `b`'s: counts add, a first row of `b` moves by `a.rows`. Reasons keep the
 * order in which rows first hit them, as one scan of all rows would record them.
 */
export function mergeDrops(a: PartialDrops, b: PartialDrops): PartialDrops {
  const dropped: Partial<Record<DropReason, number>> = { ...a.dropped };
  const firstRow: Partial<Record<DropReason, number>> = { ...a.firstRow };
  for (const reason of Object.keys(b.dropped) as DropReason[]) {
    const count = b.dropped[reason]!;
    if (dropped[reason] === undefined) {
      dropped[reason] = count;
      firstRow[reason] = a.rows + b.firstRow[reason]!;
    } else dropped[reason]! += count;
  }
  // a reason first met in b but listed after a's: order by first row, as a single scan would
  const order = (Object.keys(dropped) as DropReason[]).sort((x, y) => firstRow[x]! - firstRow[y]!);
  const sortedDropped: Partial<Record<DropReason, number>> = {};
  const sortedFirst: Partial<Record<DropReason, number>> = {};
  for (const r of order) {
    sortedDropped[r] = dropped[r];
    sortedFirst[r] = firstRow[r];
  }
  return { rows: a.rows + b.rows, dropped: sortedDropped, firstRow: sortedFirst };
}

/** A `DropCounter` holding the counts of a partial (to build metadata and messages as a one-pass scan does). */
export function dropCounter(p: PartialDrops): DropCounter {
  const counter = new DropCounter();
  for (const reason of Object.keys(p.dropped) as DropReason[]) {
    counter.counts[reason] = p.dropped[reason];
    counter.first[reason] = p.firstRow[reason];
    counter.total += p.dropped[reason]!;
  }
  return counter;
}

/** Total rows dropped. */
export function droppedTotal(p: PartialDrops): number {
  let total = 0;
  for (const count of Object.values(p.dropped)) total += count!;
  return total;
}
