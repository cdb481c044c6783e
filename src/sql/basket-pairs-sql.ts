import { ClienteleError, describeValue } from '../table/internal';
import { admittedWhere, basketRules } from './admission-rules';
import { withClause } from './with-clause';
import { doubleLiteral } from './dialect';
import type { SqlContext } from './options';

/**
 * basketPairs: the rules a → b between two items, with the measures `associationRules` gives them.
 * N = baskets (distinct non-null transaction ids, including baskets whose items are all null, as `baskets`);
 * n_a = baskets holding a (an item bought twice in a basket counts once); n_ab = baskets holding both.
 * The items are those of the rows no rule of {@link basketRules} drops (null transaction or item), as `baskets`.
 * support = n_ab / N, confidence = n_ab / n_a, lift = (n_ab · N) / (n_a · n_b) — each one rounding of exact
 * integers, as in-process. Kept when n_ab ≥ ⌈minSupport · N⌉ (with `frequentItemsets`' guard against 0.01 ·
 * 100000 = 1000.0000000000001) or n_ab ≥ minCount. Order: lift, confidence, support descending, then names.
 */
export function basketPairsSql(ctx: SqlContext): string {
  const { d, fn, options } = ctx;
  const q = d.ident;
  const transaction = ctx.column('transaction');
  const item = ctx.column('item');
  let threshold = '1';
  if (options.minCount !== undefined) {
    if (!Number.isInteger(options.minCount) || options.minCount < 1) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option minCount must be an integer ≥ 1 (found ${describeValue(options.minCount)})`,
      );
    }
    threshold = String(options.minCount);
  } else if (options.minSupport !== undefined) {
    const s = options.minSupport;
    if (typeof s !== 'number' || !(s > 0 && s <= 1)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option minSupport must be a share of baskets in (0, 1] (found ${describeValue(s)}); e.g. 0.01, or pass minCount`,
      );
    }
    const sn = `${doubleLiteral(d, s)} * CAST(bk.n AS ${d.double})`;
    threshold = `GREATEST(1, CEIL(${sn} - ${doubleLiteral(d, 1e-9)} * GREATEST(1, ${sn})))`;
  }
  const ctes: [string, string][] = [
    [
      'rows_kept',
      `SELECT ${transaction} AS tid, ${item} AS item_value\nFROM ${ctx.source} AS src\nWHERE ${transaction} IS NOT NULL`,
    ],
    ['baskets', 'SELECT COUNT(DISTINCT tid) AS n FROM rows_kept'],
    [
      'items',
      `SELECT DISTINCT tid, CAST(item_value AS ${d.text}) AS item\nFROM rows_kept\nWHERE ${admittedWhere(basketRules(ctx, 'tid', 'item_value'))}`,
    ],
    ['item_counts', 'SELECT item, COUNT(*) AS n_item FROM items GROUP BY item'],
    [
      'pairs',
      'SELECT a.item AS antecedent, b.item AS consequent, COUNT(*) AS n_pair\n' +
        'FROM items AS a\nJOIN items AS b ON a.tid = b.tid AND a.item <> b.item\n' +
        'GROUP BY a.item, b.item',
    ],
    [
      'measured',
      'SELECT p.antecedent, p.consequent, p.n_pair,\n' +
        `  CAST(p.n_pair AS ${d.double}) / bk.n AS support,\n` +
        `  CAST(p.n_pair AS ${d.double}) / ca.n_item AS confidence,\n` +
        `  (CAST(p.n_pair AS ${d.double}) * bk.n) / (CAST(ca.n_item AS ${d.double}) * cc.n_item) AS lift\n` +
        'FROM pairs AS p\n' +
        'JOIN item_counts AS ca ON ca.item = p.antecedent\n' +
        'JOIN item_counts AS cc ON cc.item = p.consequent\n' +
        'CROSS JOIN baskets AS bk\n' +
        `WHERE p.n_pair >= ${threshold}`,
    ],
  ];
  return (
    `${withClause(ctes)}\n` +
    `SELECT antecedent AS ${q('antecedent')},\n` +
    `  consequent AS ${q('consequent')},\n` +
    `  support AS ${q('support')},\n` +
    `  confidence AS ${q('confidence')},\n` +
    `  lift AS ${q('lift')},\n` +
    `  CAST(n_pair AS ${d.int}) AS ${q('count')}\n` +
    'FROM measured\n' +
    'ORDER BY lift DESC, confidence DESC, support DESC, antecedent ASC, consequent ASC'
  );
}
