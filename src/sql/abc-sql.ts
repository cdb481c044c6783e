import { checkCutoffs } from '../abc/internal';
import { abcRules, admittedWhere } from './admission-rules';
import { withClause } from './with-clause';
import { doubleLiteral } from './dialect';
import type { SqlContext } from './options';

/**
 * abc: the rows no rule of {@link abcRules} drops (null key; null, NaN or ±Infinity value), values summed per key, ranked by value descending then key ascending; share of the positive total (0 for
 * a value ≤ 0); cumulative share through the key (capped at 1); class by the cumulative share of the keys ranked
 * before it (A while it is below the first cut-off, …), and the last class for a value ≤ 0 — `classifyByValue`.
 */
export function abcSql(ctx: SqlContext): string {
  const { d } = ctx;
  const q = d.ident;
  const cutoffs = checkCutoffs(ctx.options.cutoffs ?? [0.8, 0.95], ctx.fn);
  const labels = Array.from({ length: cutoffs.length + 1 }, (_, j) => d.string(String.fromCharCode(65 + j)));
  const key = ctx.column('key');
  const value = ctx.column('value');
  const window = (end: string) => ` OVER (ORDER BY key_rank ASC ROWS BETWEEN UNBOUNDED PRECEDING AND ${end})`;
  const ctes: [string, string][] = [
    [
      'base',
      `SELECT ${key} AS k, CAST(${value} AS ${d.double}) AS v\nFROM ${ctx.source} AS src\nWHERE ${admittedWhere(abcRules(ctx))}`,
    ],
    ['totals', `SELECT k, ${d.sum('v')} AS total\nFROM base\nGROUP BY k`],
    [
      'ranked',
      'SELECT k, total, CASE WHEN total > 0 THEN total ELSE 0 END AS positive,\n' +
        '  ROW_NUMBER() OVER (ORDER BY total DESC, k ASC) AS key_rank\nFROM totals',
    ],
    ['grand', `SELECT ${d.sum('positive')} AS positive_total FROM ranked`],
    [
      'shares',
      'SELECT k, total, key_rank, CASE WHEN total > 0 THEN total / positive_total ELSE 0 END AS share\nFROM ranked CROSS JOIN grand',
    ],
    [
      'running',
      `SELECT k, total, key_rank, share, ${d.sum('share', window('CURRENT ROW'))} AS share_through\nFROM shares`,
    ],
    // the running share of the keys ranked before: the running share through the previous key
    [
      'classed',
      'SELECT k, total, key_rank, share, share_through,\n  LAG(share_through, 1, 0) OVER (ORDER BY key_rank ASC) AS share_before\nFROM running',
    ],
  ];
  const classes = cutoffs.map((c, j) => `WHEN share_before < ${doubleLiteral(d, c)} THEN ${labels[j]}`);
  return (
    `${withClause(ctes)}\n` +
    `SELECT k AS ${q('key')},\n` +
    `  total AS ${q('value')},\n` +
    `  share AS ${q('share')},\n` +
    `  LEAST(1, share_through) AS ${q('cumulativeShare')},\n` +
    `  CAST(key_rank AS ${d.int}) AS ${q('rank')},\n` +
    `  CASE WHEN total <= 0 THEN ${labels[cutoffs.length]} ${classes.join(' ')} ELSE ${labels[cutoffs.length]} END AS ${q('class')}\n` +
    'FROM classed\nORDER BY key_rank ASC'
  );
}
