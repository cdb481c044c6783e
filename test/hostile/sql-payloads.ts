/**
 * The SQL injection corpus: `table` values for `toSql`/`runSql`, run on the real DuckDB (sql.test.ts) and the real
 * PostgreSQL (sql.slow.test.ts). Each payload that could run a second statement creates a marker table
 * `h15_pwned_<n>` there; the tests check the catalog afterwards. `expect` is what the tokenizer must answer:
 * `'refused'` (INVALID_OPTION) or `'result'` (accepted, and the analysis gives the rows of {@link SALES}).
 */
export interface Payload {
  readonly n: number;
  readonly name: string;
  readonly table: string;
  /** Per engine: refused, a correct result, or (PostgreSQL only) either a correct result or an engine error. */
  readonly duckdb: 'refused' | 'result';
  readonly postgres: 'refused' | 'result' | 'engine may refuse';
}

/** The source table both engines hold: (product, amount) rows, and the per-product sums the analysis must give. */
export const SALES_TABLE = 'h15_sales';
export const SALES: readonly (readonly [string, number])[] = [
  ['p0', 10],
  ['p1', 2.5],
  ['p0', 4],
  ['p2', 7],
  ['p3', 1],
  ['p1', 0.5],
  ["it's", 3],
  ['p2', 2],
];

/** product → summed amount, computed here independently of clientele. */
export function expectedSums(): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [p, a] of SALES) sums.set(p, (sums.get(p) ?? 0) + a);
  return sums;
}

const S = SALES_TABLE;
const marker = (n: number) => `CREATE TABLE h15_pwned_${n} AS SELECT 1 AS x; COMMIT`;
/**
 * A sub-query that a reader fooled by `open`/`close` takes for one expression, while the engine, reading them
 * right, sees `)) SELECT 1; CREATE TABLE h15_pwned_n …; COMMIT; WITH z AS (…` between them (closing the sub-query
 * and the CTE around it): the classic bypass.
 */
const hide = (n: number, open: string, close = open) =>
  `(SELECT * FROM ${S} WHERE 'x' <> ${open}) AS q) SELECT 1; ${marker(n)}; WITH z AS (SELECT * FROM (SELECT * FROM ${S} WHERE 'x' <> ${close})`;

type Spec = [name: string, table: (n: number) => string, duckdb: Payload['duckdb'], postgres?: Payload['postgres']];

const SPECS: Spec[] = [
  // quotes that hide a semicolon from a reader that does not know them
  ['dollar quote without a tag', (n) => hide(n, "$$'$$"), 'refused'],
  ['dollar quotes with two tags', (n) => hide(n, "$a$'$a$", "$b$'$b$"), 'refused'],
  ['dollar quote with a long tag', (n) => hide(n, "$tag_1$'$tag_1$"), 'refused'],
  ['dollar quote hiding a double quote', (n) => hide(n, '$a$"$a$'), 'refused'],
  ['E-string with a backslash-escaped quote', (n) => hide(n, "E'\\''"), 'refused'],
  ['lower-case e-string', (n) => hide(n, "e'\\''"), 'refused'],
  ['plain string ending in a backslash', (n) => hide(n, "'\\'"), 'refused'],
  ['comment hiding a quote', (n) => hide(n, "'a' /* ' */"), 'refused'],
  ['nested comment hiding a quote', (n) => hide(n, "'a' /* /* */ ' */"), 'refused'],
  ['line comment hiding a quote', (n) => hide(n, "'a' -- '\n"), 'refused'],
  ['hash comment (not a comment here)', (n) => hide(n, "'a' # '\n"), 'refused'],
  ['backtick quote', (n) => hide(n, "'a' OR `"), 'refused'],
  ['unicode look-alike quote', (n) => hide(n, '\u2019a\u2019'), 'refused'],
  ['fullwidth apostrophe', (n) => hide(n, '\uff07a\uff07'), 'refused'],
  ['line comment ended by a lone carriage return', (n) => hide(n, "'a' -- x\r"), 'refused'],
  ['number glued to a dollar quote', (n) => hide(n, "1$a$'$a$"), 'refused'],
  ['positional parameter', (n) => hide(n, '$1'), 'refused'],
  ['backslash outside a string', (n) => hide(n, "'a' \\"), 'refused'],
  ['NUL byte before the payload', (n) => `(SELECT * FROM ${S})\0; ${marker(n)}`, 'refused'],
  ['NUL byte inside a string', (n) => hide(n, "'\0'"), 'refused'],
  ['non-breaking space outside quotes', (n) => hide(n, "'a'\u00a0"), 'refused'],
  ['form feed outside quotes', (n) => hide(n, "'a'\f"), 'refused'],
  ['lone surrogate in a string', (n) => hide(n, "'\ud800'"), 'refused'],
  // semicolons and closing parentheses in every position
  ['semicolon inside the parentheses', (n) => `(SELECT * FROM ${S}; ${marker(n)}; SELECT * FROM ${S})`, 'refused'],
  ['semicolon right after the opening parenthesis', (n) => `(; ${marker(n)}; SELECT * FROM ${S})`, 'refused'],
  ['semicolon after the closing parenthesis', (n) => `(SELECT * FROM ${S}); ${marker(n)}`, 'refused'],
  ['semicolon before the sub-query', (n) => `; ${marker(n)}; (SELECT * FROM ${S})`, 'refused'],
  [
    'closing parenthesis then a second statement',
    (n) => `(SELECT * FROM ${S})) SELECT 1; ${marker(n)}; WITH z AS ((SELECT * FROM ${S})`,
    'refused',
  ],
  ['closing parenthesis then UNION', () => `(SELECT * FROM ${S}) UNION ALL (SELECT * FROM ${S})`, 'refused'],
  [
    'CTE injected after the source',
    (n) => `(SELECT * FROM ${S})), h AS (SELECT 1) SELECT 1; ${marker(n)}; WITH base AS ((SELECT * FROM ${S})`,
    'refused',
  ],
  ['unclosed string', (n) => `(SELECT * FROM ${S} WHERE 'x' <> ') SELECT 1; ${marker(n)}`, 'refused'],
  ['unclosed dollar quote', (n) => `(SELECT * FROM ${S} WHERE 'x' <> $a$) SELECT 1; ${marker(n)}`, 'refused'],
  ['unclosed block comment', (n) => `(SELECT * FROM ${S} /* ) SELECT 1; ${marker(n)}`, 'refused'],
  ['line comment running to the end', () => `(SELECT * FROM ${S}) -- x`, 'refused'],
  ['payload after a megabyte of text', (n) => hide(n, `'${'y'.repeat(1 << 20)}' /* ' */`), 'refused'],
  // accepted: the dangerous text is inside a literal or a comment for the engine too, and nothing runs
  [
    'whole payload inside a dollar quote',
    (n) => `(SELECT * FROM ${S} WHERE 'x' <> $a$) SELECT 1; ${marker(n)}; --$a$)`,
    'result',
  ],
  [
    'dollar tags are case-sensitive',
    (n) => `(SELECT * FROM ${S} WHERE 'x' <> $a$ $A$) SELECT 1; ${marker(n)}; $A$ $a$)`,
    'result',
  ],
  [
    'name with dollars before a dollar quote',
    (n) => `(SELECT product AS a$b$, * FROM ${S} WHERE 'q' <> $b$) SELECT 1; ${marker(n)}; --$b$)`,
    'result',
  ],
  ['payload inside a block comment', (n) => `(SELECT * FROM ${S} /* ) SELECT 1; ${marker(n)}; ( */)`, 'result'],
  ['payload inside a nested comment', (n) => `(SELECT * FROM ${S} /* /* */ ) SELECT 1; ${marker(n)}; ( */)`, 'result'],
  ['payload inside a line comment', (n) => `(SELECT * FROM ${S} -- ) SELECT 1; ${marker(n)};\n)`, 'result'],
  ['payload inside a string', (n) => `(SELECT * FROM ${S} WHERE 'x' <> ') SELECT 1; ${marker(n)}; (')`, 'result'],
  [
    'payload inside an E-string with escapes',
    (n) => `(SELECT * FROM ${S} WHERE E'\\') SELECT 1; ${marker(n)}; (\\'' <> 'x')`,
    'result',
  ],
  ['payload inside a quoted name', (n) => `(SELECT product AS ") SELECT 1; ${marker(n)}; (", * FROM ${S})`, 'result'],
  [
    'semicolon and comment markers in strings',
    () => `(SELECT * FROM ${S} WHERE ';' <> '--' AND '/*' <> $$;$$)`,
    'result',
  ],
  [
    'E-string with a doubled quote and a backslash',
    () => `(SELECT * FROM ${S} WHERE E'it''s \\\\ ok' <> 'x')`,
    'result',
  ],
  ['string continued on the next line', () => `(SELECT * FROM ${S} WHERE 'x'\n'y' <> 'z')`, 'result'],
  ['CTE inside the sub-query', () => `(WITH x AS (SELECT * FROM ${S}) SELECT * FROM x)`, 'result'],
  ['a megabyte-long string literal', () => `(SELECT * FROM ${S} WHERE 'x' <> '${'y'.repeat(1 << 20)}')`, 'result'],
  [
    'two thousand nested parentheses',
    () => `${'('.repeat(2000)}SELECT * FROM ${S}${')'.repeat(2000)}`,
    'result',
    'engine may refuse',
  ],
  ['a byte order mark before the sub-query', () => `\ufeff(SELECT * FROM ${S})`, 'result'],
  ["U&'…' string (PostgreSQL only)", () => `(SELECT *, U&'d\\0061t\\+000061' AS u FROM ${S})`, 'refused', 'result'],
];

export const PAYLOADS: readonly Payload[] = SPECS.map(([name, table, duckdb, postgres], k) => ({
  n: k + 1,
  name,
  table: table(k + 1),
  duckdb,
  postgres: postgres ?? duckdb,
}));
