import { checkRfmBreaks, RFM_SCORING, segmentLookup, STANDARD_SEGMENTS } from '../rfm/internal';
import type { ScoreRange, SegmentMap } from '../rfm/internal';
import { optionValue } from '../table/internal';
import { doubleLiteral } from './dialect';
import { textLiteral } from './names';
import { asOfDay } from './options';
import type { SqlContext } from './options';
import { admittedWhere, customerRules } from './admission-rules';
import { withClause } from './with-clause';

/**
 * The CTEs every per-customer query starts from: `tx` (cust, tday, amt: the rows `customerSummary` keeps),
 * `per_customer` (cust, first_day, last_day, n_tx, money) and `ref` (as_of: the reference epoch day).
 *
 * The rows kept are those no rule of {@link customerRules} drops (the customer kernel's rules, which `runSql`
 * counts); asOf defaults to the day after the last kept row.
 */
function customerCtes(ctx: SqlContext): [string, string][] {
  const { d, options, fn } = ctx;
  const customer = ctx.column('customer');
  const date = ctx.column('date');
  const amount = ctx.column('amount');
  const asOf = asOfDay(options, fn);
  return [
    [
      'tx',
      `SELECT ${customer} AS cust, ${d.epochDay(`CAST(${date} AS DATE)`)} AS tday, CAST(${amount} AS ${d.double}) AS amt\n` +
        `FROM ${ctx.source} AS src\n` +
        `WHERE ${admittedWhere(customerRules(ctx))}`,
    ],
    [
      'per_customer',
      `SELECT cust, MIN(tday) AS first_day, MAX(tday) AS last_day, COUNT(*) AS n_tx, ${d.sum('amt')} AS money\n` +
        'FROM tx\nGROUP BY cust',
    ],
    // from per_customer, not tx: `tx` then has one reader, so PostgreSQL inlines it and a table partitioned by
    // customer aggregates partition by partition (on the shards, when the partitions are foreign tables)
    ['ref', asOf === undefined ? 'SELECT MAX(last_day) + 1 AS as_of FROM per_customer' : `SELECT ${asOf} AS as_of`],
  ];
}

/** customerSummary: one row per customer, in customer key order. */
export function customerSummarySql(ctx: SqlContext): string {
  const { d } = ctx;
  const q = d.ident;
  const int = (x: string) => `CAST(${x} AS ${d.int})`;
  return (
    `${withClause(customerCtes(ctx))}\n` +
    `SELECT cust AS ${q('customer')},\n` +
    `  ${d.dateOfDay('first_day')} AS ${q('first')},\n` +
    `  ${d.dateOfDay('last_day')} AS ${q('last')},\n` +
    `  ${int('n_tx')} AS ${q('count')},\n` +
    `  ${int('n_tx - 1')} AS ${q('frequency')},\n` +
    `  ${int('as_of - last_day')} AS ${q('recency')},\n` +
    `  ${int('as_of - first_day')} AS ${q('T')},\n` +
    `  money AS ${q('monetary')},\n` +
    `  money / n_tx AS ${q('averageValue')}\n` +
    'FROM per_customer CROSS JOIN ref\n' +
    'ORDER BY cust ASC'
  );
}

const AXES = [
  { axis: 'recency', column: 'recency', prefix: 'r' },
  { axis: 'frequency', column: 'frequency', prefix: 'f' },
  { axis: 'monetary', column: 'monetary', prefix: 'm' },
] as const;

/** The rfm options that shape the query: bins and the fixed breaks. @throws {ClienteleError} `INVALID_OPTION` */
export function rfmBins(ctx: SqlContext): number {
  const { fn, options } = ctx;
  const bins = optionValue(options, 'bins', RFM_SCORING.bins, fn);
  checkRfmBreaks(options.breaks, bins, 'quantile', fn); // axes without breaks use quantiles, as rfm's default method
  return bins;
}

/**
 * rfm: the per-customer CTEs, then for each axis the R type 7 quantiles at j/bins computed from the sorted
 * values (ROW_NUMBER): h = (n − 1)·j/bins split exactly in integers, (n − 1)·j = k·bins + r, then
 * x[k] + (r/bins)(x[k + 1] − x[k]) with the same IEEE operations as rfm's `quantileBreaks` (so the breaks are the
 * same doubles in every dialect), then scores by counting the breaks a
 * value is above (intervals closed on the right), the score string and the segment.
 */
export function rfmSql(ctx: SqlContext): string {
  const { d, options } = ctx;
  const q = d.ident;
  const bins = rfmBins(ctx);
  const js = Array.from({ length: bins - 1 }, (_, j) => j + 1);
  const quantiled = AXES.filter(({ axis }) => options.breaks?.[axis] === undefined);

  const ctes = customerCtes(ctx);
  ctes.push([
    'scored',
    `SELECT cust, CAST(as_of - last_day AS ${d.int}) AS recency, CAST(n_tx AS ${d.int}) AS frequency, money AS monetary\n` +
      'FROM per_customer CROSS JOIN ref',
  ]);
  if (quantiled.length > 0) {
    ctes.push([
      'ranked',
      `SELECT ${quantiled.map(({ column }) => `${column}, ROW_NUMBER() OVER (ORDER BY ${column} ASC) - 1 AS ${column}_pos`).join(',\n  ')}\nFROM scored`,
    ]);
    ctes.push([
      'positions',
      // h = (n − 1) j / bins split exactly in integers, (n − 1) j = k · bins + r: k the lower position, r / bins the
      // fraction, as rfm's quantileBreaks (a float (n − 1) · 0.7 lands below an integer h)
      `SELECT ${js.map((j) => `CAST((n - 1) * ${j} - MOD((n - 1) * ${j}, ${bins}) AS ${d.double}) / ${bins} AS k${j}, CAST(MOD((n - 1) * ${j}, ${bins}) AS ${d.double}) / ${bins} AS t${j}`).join(',\n  ')}\n` +
        'FROM (SELECT COUNT(*) AS n FROM scored) AS counted',
    ]);
    const at = (column: string, j: number, edge: 'FLOOR' | 'CEIL') =>
      `MAX(CASE WHEN ${column}_pos = k${j}${edge === 'CEIL' ? ` + CASE WHEN t${j} > 0 THEN 1 ELSE 0 END` : ''} THEN CAST(${column} AS ${d.double}) END) AS ${column}_${edge === 'FLOOR' ? 'lo' : 'hi'}${j}`;
    ctes.push([
      'order_statistics',
      `SELECT ${js.map((j) => `MAX(t${j}) AS t${j}`).join(', ')},\n  ` +
        quantiled
          .flatMap(({ column }) => js.flatMap((j) => [at(column, j, 'FLOOR'), at(column, j, 'CEIL')]))
          .join(',\n  ') +
        '\nFROM ranked CROSS JOIN positions',
    ]);
  }
  const breakOf = (axis: (typeof AXES)[number], j: number): string => {
    const fixed = options.breaks?.[axis.axis];
    if (fixed !== undefined) return doubleLiteral(d, fixed[j - 1]);
    const c = axis.column;
    return `${c}_lo${j} + t${j} * (${c}_hi${j} - ${c}_lo${j})`;
  };
  ctes.push([
    'breaks',
    `SELECT ${AXES.flatMap((axis) => js.map((j) => `${breakOf(axis, j)} AS ${axis.prefix}b${j}`)).join(',\n  ')}` +
      (quantiled.length > 0 ? '\nFROM order_statistics' : ''),
  ]);
  const above = (column: string, prefix: string) =>
    js.map((j) => `CASE WHEN ${column} > ${prefix}b${j} THEN 1 ELSE 0 END`).join(' + ');
  ctes.push([
    'scores',
    'SELECT cust, recency, frequency, monetary,\n' +
      `  CAST(${bins} - (${above('recency', 'r')}) AS ${d.int}) AS r,\n` +
      `  CAST(1 + ${above('frequency', 'f')} AS ${d.int}) AS f,\n` +
      `  CAST(1 + ${above('monetary', 'm')} AS ${d.int}) AS m\n` +
      'FROM scored CROSS JOIN breaks',
  ]);
  const sep = bins > 9 ? `, ${d.string('-')}, ` : ', ';
  const text = (x: string) => `CAST(${x} AS ${d.text})`;
  const columns = [
    `cust AS ${q('customer')}`,
    `recency AS ${q('recency')}`,
    `frequency AS ${q('frequency')}`,
    `monetary AS ${q('monetary')}`,
    `r AS ${q('r')}`,
    `f AS ${q('f')}`,
    `m AS ${q('m')}`,
    `CONCAT(${[text('r'), text('f'), text('m')].join(sep)}) AS ${q('score')}`,
  ];
  if (options.segments !== false)
    columns.push(`${segmentCase(ctx, bins, options.segments ?? STANDARD_SEGMENTS)} AS ${q('segment')}`);
  return `${withClause(ctes)}\nSELECT ${columns.join(',\n  ')}\nFROM scores\nORDER BY cust ASC`;
}

/**
 * The segment CASE, generated from the segment map itself. Rules written on the table's own scale become one
 * WHEN each (`fm` = ⌊(f + m + 1) / 2⌋, the mean rounded half up); a map on another scale goes through
 * `segmentLookup` (the in-process look-up table), one WHEN per segment listing its score cells.
 */
function segmentCase(ctx: SqlContext, bins: number, map: SegmentMap): string {
  const { d } = ctx;
  const { table, names } = segmentLookup(map, bins, ctx.fn); // validates the map as rfm does
  const other = textLiteral(d, map.other ?? 'Other', ctx.fn, 'segments.other');
  const ruleName = (text: string, k: number) => textLiteral(d, text, ctx.fn, `segments.rules[${k}].name`);
  if ((map.scale ?? bins) === bins) {
    const fm = d.intDiv('f + m + 1', '2');
    // scores are integers 1 … bins, so a bound clamped to [0, bins + 1] selects the same cells as in-process;
    // an infinite bound would otherwise be written as the name Infinity
    const bound = (b: number) => String(Math.min(Math.max(b, 0), bins + 1));
    const between = (x: string, range: ScoreRange | undefined) =>
      range === undefined ? [] : [`${x} BETWEEN ${bound(range[0])} AND ${bound(range[1])}`];
    const whens = map.rules.map((rule, k) => {
      const tests = [
        ...between('r', rule.r),
        ...between('f', rule.f),
        ...between('m', rule.m),
        ...between(fm, rule.fm),
      ];
      return `WHEN ${tests.length > 0 ? tests.join(' AND ') : 'TRUE'} THEN ${ruleName(rule.name, k)}`;
    });
    return `CASE\n    ${whens.join('\n    ')}\n    ELSE ${other}\n  END`;
  }
  const cells = names.map(() => [] as number[]);
  table.forEach((segment, cell) => cells[segment].push(cell));
  const cell = `(r - 1) * ${bins * bins} + (f - 1) * ${bins} + (m - 1)`;
  const whens = names.flatMap((label, k) =>
    cells[k].length > 0 ? [`WHEN ${cell} IN (${cells[k].join(', ')}) THEN ${ruleName(label, k)}`] : [],
  );
  return `CASE\n    ${whens.join('\n    ')}\n  END`;
}
