import { DropCounter } from '../table/dropped';
import type { DropReason } from '../table/dropped';

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

export const NO_DROPS: PartialDrops = Object.freeze({ rows: 0, dropped: Object.freeze({}), firstRow: Object.freeze({}) });

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
