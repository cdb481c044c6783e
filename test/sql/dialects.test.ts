import sqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { runSql, SQL_ANALYSES, toSql } from '../../src/sql/index';
import type { SqlAnalysis, SqlDialect, ToSqlOptions } from '../../src/sql/index';
import { expectCode, rejectsWith } from '../helpers/errors';

/**
 * The dialects other than DuckDB cannot run here, so they are checked two ways: (1) each text parses with
 * node-sql-parser's grammar for that dialect — BigQuery with 'bigquery', PostgreSQL with 'postgresql', Spark SQL
 * with 'hive' (node-sql-parser has no Spark grammar; its Hive grammar is the nearest — Spark SQL descends from
 * HiveQL and shares backtick quoting, STRING, DATEDIFF/DATE_ADD, explode(sequence(…)); its 'trino' grammar rejects
 * the Spark type name STRING); (2) golden: after replacing each dialect's known spellings (quoting, escapes, type
 * names, the date, NaN, division, sum, series and truncation functions) by neutral tokens, the four texts are
 * equal — so the dialects differ only where the dialects differ.
 */
const { Parser } = sqlParser as unknown as {
  Parser: new () => {
    astify(sql: string, o: { database: string }): unknown;
    tableList(sql: string, o: { database: string }): string[];
  };
};
const parser = new Parser();
const GRAMMAR: Record<Exclude<SqlDialect, 'duckdb'>, string> = {
  spark: 'hive',
  bigquery: 'bigquery',
  postgres: 'postgresql',
};
const DIALECTS: SqlDialect[] = ['duckdb', 'spark', 'bigquery', 'postgres'];

/** Option sets that exercise every branch of every analysis. */
const CASES: [SqlAnalysis, Omit<ToSqlOptions, 'dialect'>][] = [
  ['customerSummary', { table: 'sales' }],
  [
    'customerSummary',
    {
      table: 'shop.sales',
      asOf: '2024-07-01',
      returns: 'exclude',
      columns: { customer: 'client id', date: 'sold_on', amount: 'net' },
    },
  ],
  ['rfm', { table: 'sales' }],
  ['rfm', { table: 'project-1.shop.sales', bins: 3, asOf: new Date(Date.UTC(2024, 6, 1)) }],
  ['rfm', { table: 'sales', bins: 12, breaks: { frequency: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] } }],
  [
    'rfm',
    { table: 'sales', bins: 4, segments: { rules: [{ name: "Can't \\ lose", r: [3, 4], fm: [3, 4] }], other: 'Rest' } },
  ],
  ['rfm', { table: 'sales', segments: false }],
  ['abc', { table: 'sales' }],
  ['abc', { table: 'sales', columns: { key: 'product', value: 'margin' }, cutoffs: [0.5, 0.7, 0.9] }],
  ['retentionCurve', { table: 'sales' }],
  ['retentionCurve', { table: 'sales', period: 'quarter' }],
  ['retentionCurve', { table: 'sales', period: 'year' }],
  ['basketPairs', { table: 'basket_items' }],
  ['basketPairs', { table: 'basket_items', minSupport: 0.01 }],
  ['basketPairs', { table: 'basket_items', minCount: 3 }],
  ['customerSummary', { table: "(SELECT * FROM sales WHERE region = 'north')" }],
];

/** Replaces every call `name(…)` (balanced parentheses) by `replace(args)`, args split at top-level commas. */
function rewriteCalls(text: string, name: string, replace: (args: string[]) => string): string {
  let out = '';
  let from = 0;
  const pattern = new RegExp(`\\b${name}\\(`, 'g');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index < from) continue;
    let depth = 0;
    const args: string[] = [];
    let start = m.index + m[0].length;
    let i = start;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) {
        args.push(text.slice(start, i).trim());
        start = i + 1;
      }
    }
    args.push(text.slice(start, i).trim());
    out += text.slice(from, m.index) + replace(args);
    from = i + 1;
    pattern.lastIndex = from;
  }
  return out + text.slice(from);
}

/** The text with each dialect's own spellings replaced by neutral tokens. */
/** The argument of an admission test: a name, or a source column cast to the dialect's double. */
const ARG = String.raw`(\w+|CAST\([^()]* AS [A-Z0-9 ]+\))`;

function normalise(sql: string, dialect: SqlDialect): string {
  let s = sql;
  switch (dialect) {
    case 'duckdb':
    case 'postgres':
      s = s.replace(/\((CAST\([^()]* AS DATE\)) - DATE '1970-01-01'\)/g, 'EPOCH_DAY($1)');
      s = s.replace(/CAST\(DATE '1970-01-01' \+ CAST\((\w+) AS INTEGER\) AS DATE\)/g, 'DAY_DATE($1)');
      s = s.replace(
        /CAST\(date_trunc\('(\w+)', (MIN\(\w+\))\) AS DATE\)/g,
        (_, p: string, x: string) => `TRUNC_DATE(${x}, ${p.toUpperCase()})`,
      );
      s = s.replace(
        /CAST\(EXTRACT\(YEAR FROM (\w+)\) AS INTEGER\) \* 12 \+ CAST\(EXTRACT\(MONTH FROM \w+\) AS INTEGER\) - 1/g,
        'MONTH_INDEX($1)',
      );
      if (dialect === 'duckdb') {
        s = s.replace(/\(\((.+?)\) \/\/ \((\w+)\)\)/g, 'INT_DIV($1, $2)');
        s = s.replace(/SELECT unnest\(generate_series\(0, (.+?)\)\) AS k FROM (\w+)/g, 'SERIES($1, $2)');
        s = rewriteCalls(s, 'fsum', (a) => `SUM(${a.join(', ')})`);
        s = s.replace(new RegExp(String.raw`NOT isfinite\(${ARG}\)`, 'g'), 'INADMISSIBLE($1)');
      } else {
        s = s.replace(/\(\((.+?)\) \/ \((\w+)\)\)/g, 'INT_DIV($1, $2)');
        s = s.replace(/SELECT generate_series\(0, (.+?)\) AS k FROM (\w+)/g, 'SERIES($1, $2)');
        s = s.replace(
          new RegExp(
            String.raw`${ARG} IN \(CAST\('NaN' AS DOUBLE PRECISION\), CAST\('Infinity' AS DOUBLE PRECISION\), CAST\('-Infinity' AS DOUBLE PRECISION\)\)`,
            'g',
          ),
          'INADMISSIBLE($1)',
        );
        s = s.replace(/DOUBLE PRECISION/g, 'DOUBLE').replace(/\bTEXT\b/g, 'VARCHAR');
        // a text with a backslash is an E'…' string, where the backslash is doubled
        s = s.replace(/E'((?:[^']|'')*)'/g, (_, body: string) => `'${body.replace(/\\\\/g, '\\')}'`);
      }
      break;
    case 'bigquery':
      s = rewriteCalls(s, 'UNIX_DATE', (a) => `EPOCH_DAY(${a[0]})`);
      s = rewriteCalls(s, 'DATE_FROM_UNIX_DATE', (a) => `DAY_DATE(${a[0]})`);
      s = rewriteCalls(s, 'DATE_TRUNC', (a) => `TRUNC_DATE(${a[0]}, ${a[1]})`);
      s = s.replace(
        /CAST\(EXTRACT\(YEAR FROM (\w+)\) AS INT64\) \* 12 \+ CAST\(EXTRACT\(MONTH FROM \w+\) AS INT64\) - 1/g,
        'MONTH_INDEX($1)',
      );
      s = rewriteCalls(s, 'DIV', (a) => `INT_DIV(${a[0]}, ${a[1]})`);
      s = s.replace(new RegExp(String.raw`\(IS_NAN\(${ARG}\) OR IS_INF\(\1\)\)`, 'g'), 'INADMISSIBLE($1)');
      s = s.replace(/SELECT k FROM (\w+) CROSS JOIN UNNEST\(GENERATE_ARRAY\(0, (.+?)\)\) AS k/g, 'SERIES($2, $1)');
      s = s
        .replace(/\bFLOAT64\b/g, 'DOUBLE')
        .replace(/\bINT64\b/g, 'INTEGER')
        .replace(/\bSTRING\b/g, 'VARCHAR');
      s = s.replace(/`/g, '"').replace(/\\'/g, "''").replace(/\\\\/g, '\\');
      break;
    case 'spark':
      s = s.replace(/DATEDIFF\((CAST\([^()]* AS DATE\)), DATE '1970-01-01'\)/g, 'EPOCH_DAY($1)');
      s = s.replace(/DATE_ADD\(DATE '1970-01-01', (\w+)\)/g, 'DAY_DATE($1)');
      s = s.replace(/trunc\((MIN\(\w+\)), '(\w+)'\)/g, 'TRUNC_DATE($1, $2)');
      s = s.replace(/YEAR\((\w+)\) \* 12 \+ MONTH\(\w+\) - 1/g, 'MONTH_INDEX($1)');
      s = s.replace(/CAST\(FLOOR\(\((.+?)\) \/ \((\w+)\)\) AS INT\)/g, 'INT_DIV($1, $2)');
      s = s.replace(/SELECT explode\(sequence\(0, (.+?)\)\) AS k FROM (\w+)/g, 'SERIES($1, $2)');
      s = s.replace(
        new RegExp(String.raw`\(isnan\(${ARG}\) OR abs\(\1\) = double\('infinity'\)\)`, 'g'),
        'INADMISSIBLE($1)',
      );
      s = s.replace(/\bINT\b/g, 'INTEGER').replace(/\bSTRING\b/g, 'VARCHAR');
      // a literal with a quote, backslash or dollar is a CONCAT of plain literals and CHR(39), CHR(92), CHR(36)
      s = s.replace(/CONCAT\(((?:'[^'\\$]*'|CHR\(\d+\))(?:, (?:'[^'\\$]*'|CHR\(\d+\)))*)\)/g, (_, parts: string) => {
        const text = parts
          .split(/, (?='|CHR)/)
          .map((p) => (p.startsWith("'") ? p.slice(1, -1) : String.fromCharCode(Number(p.slice(4, -1)))))
          .join('');
        return `'${text.replace(/'/g, "''")}'`;
      });
      s = s.replace(/`/g, '"').replace(/\\'/g, "''").replace(/\\\\/g, '\\');
      break;
  }
  return s;
}

describe('toSql dialects', () => {
  it.each(CASES.map(([a, o], k) => [k, a, o] as const))(
    'case %i (%s) parses in the Spark (hive), BigQuery and PostgreSQL grammars',
    (_, analysis, options) => {
      for (const dialect of ['spark', 'bigquery', 'postgres'] as const) {
        // the Hive grammar knows db.table but not Spark 3's catalog.db.table: parse that case with two parts
        const table =
          dialect === 'spark' && options.table.split('.').length === 3
            ? options.table.split('.').slice(1).join('.')
            : options.table;
        const sql = toSql(analysis, { ...options, table, dialect });
        const database = GRAMMAR[dialect];
        const ast = parser.astify(sql, { database });
        // one statement, a SELECT, reading the source table
        const statements = Array.isArray(ast) ? ast : [ast];
        expect(statements).toHaveLength(1);
        expect((statements[0] as { type: string }).type).toBe('select');
        const name = table.startsWith('(') ? 'sales' : table.split('.').at(-1)!;
        expect(
          parser.tableList(sql, { database }).some((t) => t.endsWith(`::${name}`)),
          `${dialect}: ${parser.tableList(sql, { database })}`,
        ).toBe(true);
      }
    },
  );

  it.each(CASES.map(([a, o], k) => [k, a, o] as const))(
    'case %i (%s): the four dialect texts differ only in dialect spellings',
    (_, analysis, options) => {
      const texts = DIALECTS.map((dialect) => toSql(analysis, { ...options, dialect }));
      // the raw texts do differ …
      expect(new Set(texts).size).toBe(4);
      // … and are equal once each dialect's known spellings are replaced by neutral tokens
      const neutral = texts.map((t, k) => normalise(t, DIALECTS[k]));
      for (let k = 1; k < 4; k++) expect(neutral[k], DIALECTS[k]).toBe(neutral[0]);
      // nothing dialect-specific is left over
      expect(neutral[0]).not.toMatch(
        /fsum|isnan\(|isfinite\(|IS_NAN|\/\/|generate_series|date_trunc|EXTRACT|DATE '1970-01-01'/,
      );
    },
  );

  it("writes string literals with each dialect's escapes (quote doubled, or backslash-escaped where adjacent literals concatenate)", () => {
    const options = { table: 'sales', bins: 4, segments: { rules: [{ name: "Can't \\ lose", r: [1, 4] as const }] } };
    expect(toSql('rfm', { ...options, dialect: 'duckdb' })).toContain("'Can''t \\ lose'");
    // PostgreSQL: an E'…' string, read the same whatever standard_conforming_strings says
    expect(toSql('rfm', { ...options, dialect: 'postgres' })).toContain("E'Can''t \\\\ lose'");
    // Spark: no quote or backslash inside a literal (escapedStringLiterals decides how a backslash reads)
    expect(toSql('rfm', { ...options, dialect: 'spark' })).toContain("CONCAT('Can', CHR(39), 't ', CHR(92), ' lose')");
    expect(toSql('rfm', { ...options, dialect: 'bigquery' })).toContain("'Can\\'t \\\\ lose'");
    // the standard segments' own apostrophe
    expect(toSql('rfm', { table: 'sales' })).toContain("THEN 'Can''t Lose Them'");
  });

  it('generates the standard segment CASE from STANDARD_SEGMENTS, one WHEN per rule in rule order', () => {
    const sql = toSql('rfm', { table: 'sales' });
    const whens = [
      ...sql.matchAll(
        /WHEN r BETWEEN (\d) AND (\d) AND \(\(f \+ m \+ 1\) \/\/ \(2\)\) BETWEEN (\d) AND (\d) THEN '([^']*(?:''[^']*)*)'/g,
      ),
    ].map((m) => `${m[5]} r${m[1]}-${m[2]} fm${m[3]}-${m[4]}`);
    // the grid of rfmSegments' doc comment, written out here independently
    expect(whens).toEqual([
      'Champions r5-5 fm4-5',
      'Loyal r3-4 fm4-5',
      'Potential Loyalist r4-5 fm2-3',
      'New r5-5 fm1-1',
      'Promising r4-4 fm1-1',
      'Need Attention r3-3 fm3-3',
      'About to Sleep r3-3 fm1-2',
      "Can''t Lose Them r1-2 fm5-5",
      'At Risk r1-2 fm3-4',
      'Hibernating r2-2 fm1-2',
      'Lost r1-1 fm1-2',
    ]);
  });

  it('lists every analysis', () => {
    expect(SQL_ANALYSES).toEqual([
      'customerSummary',
      'rfm',
      'abc',
      'retentionCurve',
      'basketPairs',
      'clvSummary',
      'clvPatterns',
      'spendPatterns',
      'clvScores',
    ]);
  });
});

describe('toSql refuses bad options with a ClienteleError', () => {
  it('line-item options (transaction, quantity, price) of customerSummary and rfm → INVALID_OPTION, never compiled silently', () => {
    for (const analysis of ['customerSummary', 'rfm'] as const) {
      for (const name of ['transaction', 'quantity', 'price']) {
        expectCode(
          () => toSql(analysis, { table: 'sales', columns: { [name]: 'x' } as never }),
          'INVALID_OPTION',
          name,
        );
        expectCode(() => toSql(analysis, { table: 'sales', [name]: 'x' } as never), 'INVALID_OPTION', name);
      }
    }
  });

  it("returns defaults to 'exclude' as in-process: the SQL keeps only amounts ≥ 0 unless returns: 'keep'", () => {
    // the negativeAmount admission rule (src/sql/admission-rules.ts), which filters and counts
    expect(toSql('rfm', { table: 'sales' })).toContain('NOT (CAST("amount" AS DOUBLE) < 0)');
    expect(toSql('rfm', { table: 'sales', returns: 'keep' })).not.toContain('CAST("amount" AS DOUBLE) < 0');
  });

  it('unknown analysis or dialect', () => {
    expectCode(() => toSql('clv' as SqlAnalysis, { table: 'sales' }), 'INVALID_OPTION', 'unknown analysis', "'rfm'");
    expectCode(
      () => toSql('rfm', { table: 'sales', dialect: 'oracle' as SqlDialect }),
      'INVALID_OPTION',
      'dialect',
      "'bigquery'",
    );
    expectCode(() => toSql('rfm', undefined as unknown as ToSqlOptions), 'INVALID_OPTION', 'options must be an object');
  });

  it.each([
    'sales; DROP TABLE sales',
    'sales"; DROP TABLE sales; --',
    'sales` UNION SELECT 1 --',
    "sales' OR '1'='1",
    'a.b.c.d',
    'a..b',
    '',
    ' sales',
    'sales\n',
    'sales/*',
    '(SELECT 1); DROP TABLE sales',
    '(SELECT 1) x',
    "(SELECT '\\') UNION SELECT 1 --')",
    '(SELECT 1 -- comment)',
    '(SELECT 1 /* c )',
    '(SELECT (1)',
    "(SELECT ')')",
  ])('unsafe table %j', (table) => {
    if (table === "(SELECT ')')") {
      // a parenthesis inside a string literal is fine
      expect(toSql('abc', { table })).toContain("FROM (SELECT ')') AS src");
      return;
    }
    expectCode(() => toSql('abc', { table }), 'INVALID_OPTION', 'option table');
  });

  it('a table that is not a string', () => {
    expectCode(() => toSql('abc', { table: 42 as unknown as string }), 'INVALID_OPTION', 'option table', 'found 42');
  });

  it.each(['customer" OR 1=1 --', 'a`b', "a'b", 'a.b', '', ' x', 'a;b', 'a\\b', 'x\n', 'x\u0000'])(
    'unsafe column name %j',
    (name) => {
      for (const dialect of DIALECTS) {
        expectCode(
          () => toSql('rfm', { table: 'sales', dialect, columns: { customer: name } }),
          'INVALID_OPTION',
          'columns.customer',
        );
      }
      expectCode(
        () => toSql('basketPairs', { table: 'sales', columns: { item: name } }),
        'INVALID_OPTION',
        'columns.item',
      );
    },
  );

  it('options out of range', () => {
    expectCode(() => toSql('rfm', { table: 's', bins: 1 }), 'INVALID_OPTION', 'bins');
    expectCode(() => toSql('rfm', { table: 's', bins: 2.5 }), 'INVALID_OPTION', 'bins');
    expectCode(
      () => toSql('rfm', { table: 's', bins: 3, breaks: { monetary: [10, 5] } }),
      'INVALID_OPTION',
      'breaks.monetary',
    );
    expectCode(() => toSql('rfm', { table: 's', segments: { rules: [] } }), 'INVALID_OPTION', 'segment map');
    expectCode(() => toSql('rfm', { table: 's', returns: 'drop' as 'keep' }), 'INVALID_OPTION', 'returns');
    expectCode(() => toSql('customerSummary', { table: 's', asOf: 'not a date' }), 'INVALID_VALUE', 'asOf');
    expectCode(
      () => toSql('customerSummary', { table: 's', asOf: 20240101 as unknown as string }),
      'INVALID_VALUE',
      'asOf',
    );
    expectCode(() => toSql('abc', { table: 's', cutoffs: [0.9, 0.8] }), 'INVALID_OPTION', 'cutoffs');
    expectCode(() => toSql('retentionCurve', { table: 's', period: 'week' as 'month' }), 'INVALID_OPTION', 'period');
    expectCode(() => toSql('basketPairs', { table: 's', minSupport: 0 }), 'INVALID_OPTION', 'minSupport');
    expectCode(() => toSql('basketPairs', { table: 's', minCount: 1.5 }), 'INVALID_OPTION', 'minCount');
  });

  it('runSql without a connection', async () => {
    await rejectsWith(
      () => runSql({} as never, 'rfm', { table: 'sales' }),
      'INVALID_INPUT',
      'DuckDBConnection',
      'pg Client',
    );
  });
});
