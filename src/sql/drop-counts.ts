import { META } from '../table/internal';
import type { DropReason } from '../table/internal';
import { withClause } from './with-clause';
import type { SqlContext } from './options';
import { numberOf } from './engine';
import type { SqlRows } from './engine';

/**
 * One admission rule of an analysis, as SQL: `dropped` is a boolean expression over the source row (`src`) that is
 * true when the in-process function drops the row for `reason`. A NULL result counts as false, so write each test
 * to be true or false (`x IS NULL`, not `x = NULL`).
 */
export interface AdmissionRule {
  readonly reason: DropReason;
  readonly dropped: string;
}

/**
 * The statement that counts what an analysis's admission rules drop: one row with `input_rows` (every source row)
 * and one column per rule, `drop_0`, `drop_1`, …, each counting the rows whose FIRST true rule it is — as the
 * in-process functions count a row with several faults once, under the first reason checked. The rules must be
 * given in the in-process order.
 */
export function dropCountsSql(ctx: SqlContext, rules: readonly AdmissionRule[]): string {
  const { d } = ctx;
  const why =
    rules.length === 0
      ? '0'
      : `CASE\n${rules.map((r, k) => `    WHEN ${r.dropped} THEN ${k + 1}`).join('\n')}\n    ELSE 0\n  END`;
  const counts = rules.map((_, k) => `,\n  COUNT(CASE WHEN why = ${k + 1} THEN 1 END) AS ${d.ident(`drop_${k}`)}`);
  return (
    `${withClause([['judged', `SELECT ${why} AS why\nFROM ${ctx.source} AS src`]])}\n` +
    `SELECT COUNT(*) AS ${d.ident('input_rows')}${counts.join('')}\nFROM judged`
  );
}

/**
 * The row-count metadata of a result (`clientele.rows`, `clientele.kept`, `clientele.dropped`, as `droppedRows`
 * reads them) from the one row of {@link dropCountsSql}. `keptBeyond` subtracts rows the analysis sets aside after
 * admission (none for most). SQL has no row order, so `clientele.firstDroppedRow` is `{}`.
 */
export function dropMetadata(rows: SqlRows, rules: readonly AdmissionRule[]): Record<string, string> {
  const cell = (name: string) => {
    const j = rows.names.indexOf(name);
    return j < 0 ? 0 : numberOf(rows.columns[j][0] ?? 0);
  };
  const input = cell('input_rows');
  const dropped: Partial<Record<DropReason, number>> = {};
  let total = 0;
  rules.forEach((r, k) => {
    const n = cell(`drop_${k}`);
    if (n > 0) {
      dropped[r.reason] = (dropped[r.reason] ?? 0) + n;
      total += n;
    }
  });
  return {
    [META.rows]: String(input),
    [META.kept]: String(input - total),
    [META.dropped]: JSON.stringify(dropped),
    [META.firstRow]: '{}',
  };
}
