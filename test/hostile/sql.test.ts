import fc from 'fast-check';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSql, toSql } from '../../src/sql/index';
import type { DuckDBConnectionLike, SqlDialect, ToSqlOptions } from '../../src/sql/index';
import { isClienteleError } from '../../src/table/errors';
import { onlyClienteleErrors, refuses, refusesAsync, unchangedAfterAsync } from './helpers';
import { expectedSums, PAYLOADS, SALES, SALES_TABLE } from './sql-payloads';

/**
 * Class 1 of issue 15, SQL text: every way user text reaches the SQL. The injection corpus runs through `runSql`
 * on the real embedded DuckDB, with the catalog checked for the payloads' marker tables afterwards; the same corpus
 * runs on PostgreSQL in sql.slow.test.ts. The other dialects' lexing is checked on the text.
 */
const duckdb = await import('@duckdb/node-api');
/** A property's runs, scaled as `npm run test:fuzz` scales the global default (FC_RUNS_SCALE). */
const runs = (n: number) => Math.round(n * Number(process.env.FC_RUNS_SCALE ?? 1));
let instance: DuckDBInstance;
let con: DuckDBConnection;

beforeAll(async () => {
  instance = await duckdb.DuckDBInstance.create(':memory:');
  con = await instance.connect();
  const rows = SALES.map(([p, a]) => `('${p.replace(/'/g, "''")}', ${a})`).join(', ');
  await con.run(
    `CREATE TABLE ${SALES_TABLE} (product VARCHAR, amount DOUBLE); INSERT INTO ${SALES_TABLE} VALUES ${rows}`,
  );
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

/** How many marker tables any payload managed to create. */
async function pwned(): Promise<number> {
  const r = await con.runAndReadAll(
    "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'h15_pwned%' OR table_name LIKE 'fuzz_pwned%'",
  );
  return Number(r.getColumnsJS()[0][0]);
}

const abcOn = (table: string): Omit<ToSqlOptions, 'dialect'> => ({
  table,
  columns: { key: 'product', value: 'amount' },
});

describe('class 1: the injection corpus on the real DuckDB', () => {
  it.each(PAYLOADS.map((p) => [p.n, p.name, p] as const))(
    'class 1: DuckDB payload %i, %s: refused or correct, and no second statement ran',
    async (_, __, payload) => {
      const options = abcOn(payload.table);
      const { value, error } = await unchangedAfterAsync([options], () => runSql(con, 'abc', options));
      if (payload.duckdb === 'refused') {
        expect(isClienteleError(error), String(error)).toBe(true);
        expect((error as { code: string }).code).toBe('INVALID_OPTION');
        expect((error as Error).message).toMatch(
          /^runSql: option table is not (one parenthesised duckdb sub-query \(found .+ at character \d+|a table name)/,
        );
      } else {
        expect(error, String(error)).toBeUndefined();
        const got = new Map<string, number>();
        for (let i = 0; i < value!.numRows; i++)
          got.set(value!.getChild('key')!.get(i), value!.getChild('value')!.get(i));
        expect(got).toEqual(expectedSums());
      }
      expect(await pwned()).toBe(0);
    },
  );
});

describe('class 1: the tokenizer against DuckDB’s own parser', () => {
  const FRAGMENTS = [
    '(',
    ')',
    "'",
    '"',
    '`',
    '$',
    '$$',
    '$a$',
    '$b$',
    ';',
    '--',
    '\n',
    '/*',
    '*/',
    '\\',
    "E'",
    "e'",
    'U&',
    '#',
    ' ',
    'x',
    '1',
    ',',
    'SELECT',
    ' * FROM h15_sales',
    ' CREATE TABLE fuzz_pwned AS SELECT 1',
    ' SELECT 1',
    '\r',
    '\u2019',
  ];
  it('class 1: random sub-queries (fast-check): toSql refuses, or DuckDB reads exactly one statement that runs nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 }), async (parts) => {
        const table = `(${parts.join('')})`;
        let sql: string;
        try {
          sql = toSql('abc', { ...abcOn(table), dialect: 'duckdb' });
        } catch (e) {
          expect(isClienteleError(e) && e.code === 'INVALID_OPTION', String(e)).toBe(true);
          return;
        }
        expect(sql).toContain(`FROM ${table.trim()} AS src\n`);
        let statements = 1;
        try {
          statements = (await con.extractStatements(sql)).count;
        } catch {
          // a parse error: nothing runs
        }
        expect(statements).toBe(1);
        await runSql(con, 'abc', abcOn(table)).catch((e: unknown) => expect(isClienteleError(e), String(e)).toBe(true));
        expect(await pwned()).toBe(0);
      }),
      { numRuns: runs(300) },
    );
  });

  it('class 1: random text in every dialect (fast-check): toSql returns a string or throws a ClienteleError', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.constantFrom<SqlDialect>('duckdb', 'postgres', 'spark', 'bigquery'),
        (text, dialect) => {
          onlyClienteleErrors(() => toSql('abc', { table: `(${text})`, dialect }));
          onlyClienteleErrors(() => toSql('abc', { table: text, dialect }));
          onlyClienteleErrors(() => toSql('rfm', { table: 's', dialect, columns: { customer: text } }));
          onlyClienteleErrors(() =>
            toSql('rfm', { table: 's', dialect, segments: { rules: [{ name: text, r: [1, 5] }], other: text } }),
          );
        },
      ),
      { numRuns: runs(50) },
    );
  });
});

describe('class 1: dialects DuckDB cannot check here are read by their own rules', () => {
  const refused = (dialect: SqlDialect, table: string, ...inMessage: string[]) => {
    const options = { table, dialect };
    return refuses(
      [options],
      () => toSql('abc', options),
      'INVALID_OPTION',
      `option table is not one parenthesised ${dialect}`,
      ...inMessage,
    );
  };
  const accepted = (dialect: SqlDialect, table: string) =>
    expect(toSql('abc', { table, dialect })).toContain(`FROM ${table} AS src\n`);

  it('class 1: Spark: "${" is refused even inside a string (variable substitution happens before parsing)', () => {
    refused('spark', "(SELECT * FROM t WHERE x <> '${a}')", 'Spark substitutes variables', 'at character 30');
  });
  it('class 1: Spark: a backslash in a string is refused (escapedStringLiterals decides how it reads)', () => {
    refused('spark', "(SELECT * FROM t WHERE x <> '\\') SELECT 1; SELECT ('')", 'a backslash inside a quote');
  });
  it('class 1: Spark: a backslash in a double-quoted text is refused (a name or a string by the ANSI flag)', () => {
    refused('spark', '(SELECT * FROM t WHERE x <> "\\") SELECT 1; SELECT ("")', 'a backslash inside a quote');
  });
  it("class 1: Spark: prefixed literals r'…' and X'…' are refused (versions differ)", () => {
    refused('spark', "(SELECT r'\\' FROM t)", 'a quote right after "r"');
    refused('spark', "(SELECT X'1F' FROM t)", 'a quote right after "X"');
  });
  it('class 1: Spark: a nested block comment is refused, a flat one accepted', () => {
    refused('spark', '(SELECT * FROM t /* /* */ ; */)', '"/*" inside a comment');
    accepted('spark', '(SELECT * FROM t /* ) ; */)');
  });
  it('class 1: Spark: a backslash in a -- comment is refused (it continues the comment to the next line)', () => {
    refused('spark', '(SELECT * FROM t -- a \\\n) ; SELECT (1\n)', 'a backslash in a -- comment');
  });
  it('class 1: Spark: strings and backtick names with quotes inside are read whole', () => {
    accepted('spark', "(SELECT `a``) ;`, 'it''s ;', \"b;)\" FROM t)");
  });
  it("class 1: BigQuery: triple-quoted strings hide ' and ; as BigQuery reads them", () => {
    accepted('bigquery', "(SELECT * FROM t WHERE x <> ''') ; SELECT (''' AND y <> \"\"\"it's\"\"\")");
  });
  it("class 1: BigQuery: \\' inside a string is an escaped quote", () => {
    accepted('bigquery', "(SELECT * FROM t WHERE x <> 'a\\') ; SELECT (\\'')");
    refused('bigquery', "(SELECT * FROM t WHERE x <> 'a\\\\') ; SELECT ('')", 'text after the closing parenthesis');
  });
  it('class 1: BigQuery: # starts a comment there, and the comment ends at the newline', () => {
    accepted('bigquery', "(SELECT * FROM t # ') ; '\n)");
    refused('bigquery', '(SELECT * FROM t # x\n) ; SELECT (1)', 'text after the closing parenthesis');
  });
  it('class 1: BigQuery: a raw string with a backslash is refused; without one it is read whole', () => {
    refused('bigquery', "(SELECT r'a\\' FROM t)", 'a backslash in a raw string');
    accepted('bigquery', "(SELECT r'a;)' FROM t)");
    accepted('bigquery', "(SELECT rb'''a'');)''' FROM t)");
  });
  it('class 1: BigQuery: $ and non-ASCII outside quotes are refused', () => {
    refused('bigquery', '(SELECT $a$ FROM t)', '"$"');
    refused('bigquery', '(SELECT \u00e9 FROM t)', 'character U+00E9 outside a quoted string');
  });
  it('class 1: PostgreSQL: a backslash in a plain string is refused (standard_conforming_strings), with its position', () => {
    const e = refused(
      'postgres',
      "(SELECT * FROM t WHERE x <> 'a\\')",
      'a backslash inside a quote',
      'at character 31',
    );
    expect(e.message).toMatch(/write the text without a backslash, or pass a table name/);
  });
  it("class 1: DuckDB: U&'…' is refused (DuckDB does not read it), PostgreSQL reads it", () => {
    refused('duckdb', "(SELECT U&'\\0041')", "a U&'…' string");
    accepted('postgres', "(SELECT U&'\\0041;)')");
  });
  it('class 1: the position in the message is the offending character (1-based)', () => {
    const table = '(SELECT 1; SELECT 2)';
    const e = refused('duckdb', table, '";" at character 10');
    expect(table[9]).toBe(';');
    expect(e.message).toContain('pass one statement without semicolons');
  });
});

/** Independent decoders of each dialect's string literal, as the engine reads the literal toSql writes. */
const DECODE: Record<SqlDialect, (literal: string) => string> = {
  duckdb: (l) => {
    expect(l).toMatch(/^'(?:[^']|'')*'$/);
    return l.slice(1, -1).replace(/''/g, "'");
  },
  postgres: (l) => {
    if (l.startsWith("E'")) return l.slice(2, -1).replace(/\\(.)|''/gs, (m, c: string) => c ?? "'");
    expect(l).not.toContain('\\');
    return l.slice(1, -1).replace(/''/g, "'");
  },
  spark: (l) => {
    const parts = l.startsWith('CONCAT(') ? l.slice(7, -1).split(/, (?=CHR\(|')/) : [l];
    return parts
      .map((p) => {
        if (p.startsWith('CHR(')) return String.fromCharCode(Number(p.slice(4, -1)));
        const body = p.slice(1, -1);
        expect(body).not.toMatch(/['\\$]/);
        return body;
      })
      .join('');
  },
  bigquery: (l) =>
    l
      .slice(1, -1)
      .replace(/\\(u([0-9a-f]{4})|.)/gs, (_, c: string, code?: string) =>
        code ? String.fromCharCode(parseInt(code, 16)) : c,
      ),
};

/** The segment-name literals of an rfm query with one rule named `name`. */
function segmentLiteral(name: string, dialect: SqlDialect): string {
  const sql = toSql('rfm', { table: 's', dialect, segments: { rules: [{ name, r: [1, 5] }], other: 'zz' } });
  const rule = 'WHEN r BETWEEN 1 AND 5 THEN ';
  const at = sql.indexOf(rule) + rule.length;
  const end = sql.indexOf('\n', at);
  return sql.slice(at, end);
}

describe('class 1: user text written as SQL literals', () => {
  it('class 1: segment names (fast-check, any well-formed text) decode back exactly in every dialect', () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
          .filter((s) => !s.includes('\0') && !s.includes('\n')),
        fc.constantFrom<SqlDialect>('duckdb', 'postgres', 'spark', 'bigquery'),
        (name, dialect) => {
          expect(DECODE[dialect](segmentLiteral(name, dialect))).toBe(name);
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it.each([
    ['a quote', 'Can\'t "Lose"'],
    ['backslashes', 'a\\b\\'],
    ['dollar quotes and comments', '$$ $a$ -- /* */ ; #'],
    ['Spark variables', '${x} $x'],
    ['a newline and a tab', 'two\nlines\t'],
    ['emoji and a look-alike quote', '\u{1F600} \u2019'],
  ])('class 1: DuckDB: a segment name with %s comes back as the exact label', async (_, name) => {
    const options = {
      table: SALES_TABLE,
      columns: { customer: 'product', date: 'd', amount: 'amount' },
      segments: { rules: [{ name, r: [1, 5] as const }] },
    };
    const sub = `(SELECT product, amount, DATE '2024-01-01' AS d FROM ${SALES_TABLE})`;
    const t = await runSql(con, 'rfm', { ...options, table: sub });
    const labels = new Set(Array.from({ length: t.numRows }, (_, i) => t.getChild('segment')!.get(i)));
    expect([...labels]).toEqual([name]);
  });

  it('class 1: a segment name with a NUL is refused (engines cut the statement there)', () => {
    const options = { table: 's', segments: { rules: [{ name: 'a\0b', r: [1, 5] as const }] } };
    refuses(
      [options],
      () => toSql('rfm', options),
      'INVALID_OPTION',
      'segments.rules[0].name holds a NUL character at 2',
    );
  });
  it('class 1: a segment name with a lone surrogate is refused (it would come back as U+FFFD)', () => {
    const options = { table: 's', segments: { rules: [{ name: 'a\ud800', r: [1, 5] as const }] } };
    refuses([options], () => toSql('rfm', options), 'INVALID_OPTION', 'lone UTF-16 surrogate at 2');
  });
  it('class 1: a segments.other that is not a string is refused (was a raw TypeError)', () => {
    const options = {
      table: 's',
      segments: { rules: [{ name: 'a', r: [1, 2] as const }], other: 5 as unknown as string },
    };
    refuses(
      [options],
      () => toSql('rfm', options),
      'INVALID_OPTION',
      'option segments.other is not a string (found 5)',
    );
  });
});

describe('class 1: column names, numbers and dates', () => {
  it.each([
    ['a double quote', 'a"b'],
    ['a backtick', 'a`b'],
    ['a semicolon', 'a;b'],
    ['a dot', 'a.b'],
    ['a NUL', 'a\0b'],
    ['a lone surrogate', 'a\udc00'],
    ['a Spark variable', '${a}'],
    ['129 characters', 'x'.repeat(129)],
    ['a leading space', ' a'],
  ])('class 1: a column name with %s is refused', (_, name) => {
    for (const dialect of ['duckdb', 'spark'] as const) {
      const options = { table: 's', dialect, columns: { customer: name } };
      const e = refuses(
        [options],
        () => toSql('rfm', options),
        'INVALID_OPTION',
        'columns.customer is not a plain column name',
      );
      expect(e.column).toBe(name);
    }
  });

  it.each([
    ['bins NaN', { bins: NaN }],
    ['bins 1e9', { bins: 1e9 }],
    ['bins 2.5', { bins: 2.5 }],
    ['bins -0', { bins: -0 }],
    ['breaks with Infinity', { breaks: { monetary: [1, 2, 3, Infinity] } }],
    ['breaks with NaN', { breaks: { recency: [NaN, 1, 2, 3] } }],
  ])('class 1: rfm %s is refused before any SQL is written', (_, extra) => {
    const options = { table: 's', ...extra };
    refuses([options], () => toSql('rfm', options), 'INVALID_OPTION');
  });

  it.each([
    ['cutoffs [NaN]', 'abc', { cutoffs: [NaN] }],
    ['cutoffs [-0, 0.5]', 'abc', { cutoffs: [-0, 0.5] }],
    ['minSupport NaN', 'basketPairs', { minSupport: NaN }],
    ['minSupport Infinity', 'basketPairs', { minSupport: Infinity }],
    ['minSupport -0', 'basketPairs', { minSupport: -0 }],
    ['minSupport as text', 'basketPairs', { minSupport: '0.5; DROP TABLE t' }],
    ['minCount Infinity', 'basketPairs', { minCount: Infinity }],
    ['minCount 0.5', 'basketPairs', { minCount: 0.5 }],
  ] as const)('class 1: %s is refused', (_, analysis, extra) => {
    const options = { table: 's', ...extra } as ToSqlOptions;
    refuses([options], () => toSql(analysis, options), 'INVALID_OPTION');
  });

  it('class 1: DuckDB: a segment range bound of Infinity selects as in-process (it was written as the name Infinity)', async () => {
    const table = `(SELECT product, amount, DATE '2024-01-01' AS d FROM ${SALES_TABLE})`;
    const rules = [
      { name: 'low', r: [-Infinity, 2] as const },
      { name: 'high', r: [3, Infinity] as const },
    ];
    const options = { table, columns: { customer: 'product', date: 'd', amount: 'amount' }, segments: { rules } };
    const sql = toSql('rfm', options);
    expect(sql).not.toContain('Infinity');
    const t = await runSql(con, 'rfm', options);
    for (let i = 0; i < t.numRows; i++) {
      expect(t.getChild('segment')!.get(i)).toBe(t.getChild('r')!.get(i) <= 2 ? 'low' : 'high');
    }
  });

  it('class 1: columns given as an array is refused (it was ignored, every default used)', () => {
    const options = { table: 's', columns: ['product'] as unknown as { key: string } };
    refuses([options], () => toSql('abc', options), 'INVALID_OPTION', 'option columns must be an object', 'array(1)');
  });

  it('class 1: a huge minCount is written exactly as an integer', () => {
    expect(toSql('basketPairs', { table: 's', minCount: 2 ** 53 })).toContain('p.n_pair >= 9007199254740992');
  });

  it.each([
    ['an injected string', "2024-01-01'; DROP TABLE t; --"],
    ['an invalid Date', new Date(NaN)],
    ['a number', 20240101 as unknown as string],
  ])('class 1: asOf as %s is refused', (_, asOf) => {
    const options = { table: 's', asOf: asOf as string };
    refuses([options], () => toSql('customerSummary', options), 'INVALID_VALUE', 'asOf');
  });
});

describe('class 1: runSql on DuckDB', () => {
  it('class 1: runSql prepares one statement on a real connection (DuckDB refuses to prepare two)', async () => {
    const calls: string[] = [];
    const spy: DuckDBConnectionLike = {
      runAndReadAll: (sql) => (calls.push('runAndReadAll'), con.runAndReadAll(sql)),
      prepare: (sql) => (calls.push('prepare'), con.prepare(sql)),
    };
    await runSql(spy, 'abc', abcOn(SALES_TABLE));
    // the result, then its drop counts: each one prepared statement, never a text run as a script
    expect(calls).toEqual(['prepare', 'prepare']);
    await expect(con.prepare('SELECT 1; CREATE TABLE h15_pwned_prepare AS SELECT 1')).rejects.toThrow(
      /multiple statements/,
    );
    expect(await pwned()).toBe(0);
  });

  it('class 1: a refused table never reaches the connection', async () => {
    let called = 0;
    const stub = {
      runAndReadAll: async () => (called++, Promise.reject(new Error('must not run'))),
    } as DuckDBConnectionLike;
    await refusesAsync([], () => runSql(stub, 'abc', abcOn(PAYLOADS[0].table)), 'INVALID_OPTION');
    expect(called).toBe(0);
  });

  it('class 1: a missing table is a ClienteleError quoting DuckDB (was a raw DuckDB error)', async () => {
    await refusesAsync(
      [],
      () => runSql(con, 'abc', abcOn('no_such_table')),
      'INVALID_INPUT',
      'DuckDB refused the query',
      'no_such_table',
    );
  });

  it('class 1: a missing column is MISSING_COLUMN naming it', async () => {
    const e = await refusesAsync(
      [],
      () => runSql(con, 'abc', { table: SALES_TABLE, columns: { key: 'nope', value: 'amount' } }),
      'MISSING_COLUMN',
    );
    expect(e.column).toBe('nope');
  });

  it.each([
    ['DATE', "DATE '2024-01-01' + CAST(amount AS INTEGER)", 'is DATE'],
    ['BLOB', 'CAST(product AS BLOB)', 'is BLOB'],
    ['LIST', '[amount]', 'is DOUBLE[]'],
    ['BOOLEAN', 'amount > 2', 'is BOOLEAN'],
  ])('class 1: a %s key is refused (it came back as NaN, null or epoch ms)', async (_, expr, said) => {
    const table = `(SELECT ${expr} AS k, amount FROM ${SALES_TABLE})`;
    const e = await refusesAsync(
      [],
      () => runSql(con, 'abc', { table, columns: { key: 'k', value: 'amount' } }),
      'INVALID_TYPE',
      said,
    );
    expect(e.column).toBe('key');
  });

  it('class 1: a newline inside a string of the sub-query is kept (the CTE indentation changed it)', async () => {
    const table = "(SELECT 'x\ny' AS product, 2.5 AS amount)";
    const t = await runSql(con, 'abc', abcOn(table));
    expect(t.getChild('key')!.get(0)).toBe('x\ny');
    expect(toSql('abc', { ...abcOn(table), dialect: 'postgres' })).toContain(`FROM ${table} AS src\n`);
  });

  it('class 1: an integer key beyond 2^53 is refused naming its row (two keys merged into one double)', async () => {
    const table = `(SELECT 9007199254740993 + CAST(amount > 5 AS BIGINT) AS k, amount FROM ${SALES_TABLE})`;
    const e = await refusesAsync(
      [],
      () => runSql(con, 'abc', { table, columns: { key: 'k', value: 'amount' } }),
      'INVALID_TYPE',
      'beyond ±2^53',
    );
    expect(e.row).toBe(0);
  });
});
