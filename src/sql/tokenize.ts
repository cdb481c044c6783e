import type { SqlDialect } from './dialect';

/**
 * The lexer of one dialect, as far as `toSql` needs it: where string literals, quoted names and comments begin
 * and end. Whatever the dialects (or versions and settings of one engine) read differently is refused, not
 * guessed: a text accepted here splits into the same tokens in the engine.
 */
interface Lexicon {
  /** `$tag$ … $tag$` strings, and `$` inside names (DuckDB, PostgreSQL). */
  readonly dollar: boolean;
  /** How a backslash inside `'…'` is read: a literal character, an escape, or refused (it depends on a setting). */
  readonly singleBackslash: 'literal' | 'escape' | 'refuse';
  /** What `"…"` is: a quoted name (`""` doubles), a string with escapes (BigQuery), or either (Spark's ANSI flag). */
  readonly doubleQuote: 'name' | 'string' | 'either';
  /** What `` `…` `` is: a quoted name, or refused (DuckDB and PostgreSQL do not quote with it). */
  readonly backtick: 'name' | 'refuse';
  /** What a word directly followed by a quote is: E'…' and U&'…' (PostgreSQL), E'…' (DuckDB), r/b (BigQuery). */
  readonly prefixes: 'postgres' | 'duckdb' | 'bigquery' | 'refuse';
  /** `/* … *\/` nests (PostgreSQL, DuckDB); elsewhere a nested opener is refused. */
  readonly nestedComments: boolean;
  /** `#` starts a comment (BigQuery); elsewhere `#` is refused. */
  readonly hashComment: boolean;
  /** `'''…'''` and `"""…"""` (BigQuery). */
  readonly tripleQuotes: boolean;
}

const LEXICONS: Record<SqlDialect, Lexicon> = {
  duckdb: {
    dollar: true,
    singleBackslash: 'literal',
    doubleQuote: 'name',
    backtick: 'refuse',
    prefixes: 'duckdb',
    nestedComments: true,
    hashComment: false,
    tripleQuotes: false,
  },
  // a backslash in '…' is an escape when standard_conforming_strings is off: refused, E'…' says it explicitly
  postgres: {
    dollar: true,
    singleBackslash: 'refuse',
    doubleQuote: 'name',
    backtick: 'refuse',
    prefixes: 'postgres',
    nestedComments: true,
    hashComment: false,
    tripleQuotes: false,
  },
  // spark.sql.parser.escapedStringLiterals turns backslash escapes off, and spark.sql.ansi.doubleQuotedIdentifiers
  // makes "…" a name: a backslash in either quote is refused
  spark: {
    dollar: false,
    singleBackslash: 'refuse',
    doubleQuote: 'either',
    backtick: 'name',
    prefixes: 'refuse',
    nestedComments: false,
    hashComment: false,
    tripleQuotes: false,
  },
  bigquery: {
    dollar: false,
    singleBackslash: 'escape',
    doubleQuote: 'string',
    backtick: 'name',
    prefixes: 'bigquery',
    nestedComments: false,
    hashComment: true,
    tripleQuotes: true,
  },
};

/** Where the text stops being one parenthesised expression, and how to write it instead. */
export interface SqlTextProblem {
  /** 0-based position (UTF-16 code units) of the offending character. */
  readonly at: number;
  readonly what: string;
  readonly fix: string;
}

/** A problem found while scanning: thrown inside this file only, and returned by {@link subqueryProblem}. */
class Refusal {
  constructor(readonly problem: SqlTextProblem) {}
}

const refuse = (at: number, what: string, fix: string): never => {
  throw new Refusal({ at, what, fix });
};

const WORD_START = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const BLANK = new Set([' ', '\t', '\n', '\r']);
/** Printable ASCII operators and punctuation that are nothing else in any of the four dialects. */
const PUNCTUATION = new Set([...'+-*/%<>=!~^&|,.:[]{}?@']);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const hex = (s: string, i: number) => `U+${s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why `text` is not exactly one parenthesised expression in `dialect` — a `;`, text after the closing parenthesis,
 * an unclosed quote or comment, or a character the dialects read differently — or `undefined` when it is one.
 * The scan reads quotes, dollar quotes, escapes and comments as the engine does, so a `)` or `;` inside a string
 * literal or a comment never counts and one outside never hides. O(n).
 */
export function subqueryProblem(text: string, dialect: SqlDialect): SqlTextProblem | undefined {
  try {
    scan(text, LEXICONS[dialect], dialect);
    return undefined;
  } catch (e) {
    if (e instanceof Refusal) return e.problem;
    throw e;
  }
}

function scan(text: string, lex: Lexicon, dialect: SqlDialect): void {
  const nul = text.indexOf('\0');
  if (nul >= 0) refuse(nul, 'a NUL character', 'remove it (engines cut the text at a NUL)');
  const lone = LONE_SURROGATE.exec(text);
  if (lone) refuse(lone.index, 'a lone UTF-16 surrogate', 'remove it or pair it (it cannot be sent as UTF-8)');
  // Spark substitutes ${…} variables in the whole text, strings included, before it parses
  const variable = dialect === 'spark' ? text.indexOf('${') : -1;
  if (variable >= 0) refuse(variable, '"${" (Spark substitutes variables there)', 'write it as two literals');
  if (text[0] !== '(') refuse(0, 'text before the opening parenthesis', "start with '('");
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (depth === 0 && i > 0)
      refuse(i, 'text after the closing parenthesis', 'pass one (SELECT …) and nothing after it');
    if (BLANK.has(ch) || PUNCTUATION.has(ch)) {
      i =
        ch === '-' && text[i + 1] === '-'
          ? lineComment(text, i)
          : ch === '/' && text[i + 1] === '*'
            ? blockComment(text, i, lex)
            : i + 1;
    } else if (ch === '(') {
      depth++;
      i++;
    } else if (ch === ')') {
      depth--;
      i++;
    } else if (ch === ';') refuse(i, '";"', 'pass one statement without semicolons');
    else if (WORD_START.test(ch)) i = word(text, i, lex);
    else if (DIGIT.test(ch)) i = number(text, i);
    else i = quoted(text, i, lex);
  }
  if (depth > 0) refuse(text.length - 1, 'an unclosed "("', 'close every parenthesis');
}

/** After `--`: to the end of the line. A backslash (Spark continues the comment) or a CR alone is refused. */
function lineComment(text: string, i: number): number {
  let j = i + 2;
  while (j < text.length && text[j] !== '\n') {
    if (text[j] === '\\' || text[j] === '\r') {
      refuse(
        j,
        `${text[j] === '\\' ? 'a backslash' : 'a carriage return'} in a -- comment`,
        'use /* … */ or remove it',
      );
    }
    j++;
  }
  return j + 1;
}

/** After `/*`: to the matching `*\/`, nested where the dialect nests them. */
function blockComment(text: string, i: number, lex: Lexicon): number {
  let depth = 1;
  let j = i + 2;
  while (j < text.length) {
    if (text[j] === '*' && text[j + 1] === '/') {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else if (text[j] === '/' && text[j + 1] === '*') {
      if (!lex.nestedComments) refuse(j, '"/*" inside a comment (it nests in some versions only)', 'remove it');
      depth++;
      j += 2;
    } else j++;
  }
  return refuse(i, 'an unclosed /* comment', 'close it with */');
}

/** A name or keyword; `$` continues it in DuckDB and PostgreSQL. A quote right after it may make a prefixed string. */
function word(text: string, i: number, lex: Lexicon): number {
  let j = i + 1;
  while (j < text.length && (WORD.test(text[j]) || (lex.dollar && text[j] === '$'))) j++;
  const next = text[j];
  const w = text.slice(i, j).toLowerCase();
  const unicode = w === 'u' && next === '&' && /['"]/.test(text[j + 1] ?? '') && lex.prefixes !== 'refuse';
  if (next !== "'" && next !== '"' && next !== '`' && !unicode) return j;
  switch (lex.prefixes) {
    case 'postgres':
    case 'duckdb':
      if (w === 'e' && next === "'") return string(text, j, "'", 'escape', true);
      if (unicode) {
        if (lex.prefixes === 'duckdb') refuse(i, "a U&'…' string (DuckDB does not read it)", 'write the characters');
        return string(text, j + 1, text[j + 1], 'literal', true);
      }
      return j; // X'…', B'…', N'…' and a name before a quote are read as the plain quote that follows
    case 'bigquery':
      if (/^(r|b|rb|br)$/.test(w) && next !== '`') {
        return w.includes('r') ? bigQueryString(text, j, 'refuse') : bigQueryString(text, j, 'escape');
      }
      return refuse(j, `a quote right after "${text.slice(i, j)}"`, 'put a space before the quote');
    case 'refuse':
      return refuse(
        j,
        `a quote right after "${text.slice(i, j)}" (prefixed literals differ between versions)`,
        'put a space before the quote',
      );
    default: {
      const never: never = lex.prefixes;
      return never;
    }
  }
}

/** A number; a `$` right after it is refused (a dollar quote in some engines, junk in others). */
function number(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && (WORD.test(text[j]) || text[j] === '.')) j++;
  if (text[j] === '$') refuse(j, '"$" right after a number', 'put a space before it');
  return j;
}

/** A quote, a dollar quote, a comment or a character that is refused. */
function quoted(text: string, i: number, lex: Lexicon): number {
  const ch = text[i];
  if (ch === "'")
    return lex.tripleQuotes ? bigQueryString(text, i, 'escape') : string(text, i, "'", lex.singleBackslash, true);
  if (ch === '"') {
    if (lex.doubleQuote === 'string') return bigQueryString(text, i, 'escape');
    return string(text, i, '"', lex.doubleQuote === 'either' ? 'refuse' : 'literal', true);
  }
  if (ch === '`') {
    if (lex.backtick === 'refuse') refuse(i, 'a backtick (this dialect quotes names with "…")', 'quote names with "…"');
    return string(text, i, '`', lex.tripleQuotes ? 'refuse' : 'literal', true);
  }
  if (ch === '#' && lex.hashComment) {
    const end = text.indexOf('\n', i);
    if (end < 0) refuse(i, 'a # comment that runs to the end', 'end it with a newline');
    if (text.slice(i, end).includes('\r')) refuse(i, 'a carriage return in a # comment', 'remove it');
    return end + 1;
  }
  if (ch === '$' && lex.dollar) return dollarString(text, i);
  if (ch === '\\') return refuse(i, 'a backslash outside a string', 'remove it');
  const code = text.charCodeAt(i);
  return refuse(
    i,
    code < 0x20 || code === 0x7f || code > 0x7e
      ? `character ${hex(text, i)} outside a quoted string or name`
      : `"${ch}"`,
    code > 0x7e ? 'quote the name or string that holds it' : 'remove it',
  );
}

/** A quoted string or name closed by `close`, where a doubled `close` stands for one. */
function string(
  text: string,
  i: number,
  close: string,
  backslash: 'literal' | 'escape' | 'refuse',
  doubled: boolean,
): number {
  let j = i + 1;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '\\') {
      if (backslash === 'refuse')
        refuse(
          j,
          'a backslash inside a quote (dialect settings read it differently)',
          'write the text without a backslash',
        );
      j += backslash === 'escape' ? 2 : 1;
    } else if (ch === close) {
      if (doubled && text[j + 1] === close) j += 2;
      else return j + 1;
    } else j++;
  }
  return refuse(i, `an unclosed ${close} quote`, 'close it');
}

/** A BigQuery string: '…', "…", '''…''' or """…""", with backslash escapes (or raw, where a backslash is refused). */
function bigQueryString(text: string, i: number, backslash: 'escape' | 'refuse'): number {
  const q = text[i];
  const triple = text[i + 1] === q && text[i + 2] === q;
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  while (j < text.length) {
    if (text[j] === '\\') {
      if (backslash === 'refuse') refuse(j, 'a backslash in a raw string', 'write it in a string without the r prefix');
      j += 2;
    } else if (text.startsWith(close, j)) return j + close.length;
    else j++;
  }
  return refuse(i, `an unclosed ${close} string`, 'close it');
}

/** `$tag$ … $tag$` (the tag ASCII letters, digits and `_`, not starting with a digit; or empty). */
function dollarString(text: string, i: number): number {
  if (i > 0 && /[A-Za-z0-9_$]/.test(text[i - 1]))
    refuse(i, '"$" right after a name or number', 'put a space before it');
  const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 130));
  if (!tag)
    refuse(
      i,
      '"$" that does not open a $tag$ string ($1 parameters and non-ASCII tags are refused)',
      'write $$…$$ or $name$…$name$',
    );
  const delimiter = tag![0];
  const end = text.indexOf(delimiter, i + delimiter.length);
  if (end < 0) refuse(i, `an unclosed ${delimiter} string`, `close it with ${delimiter}`);
  return end + delimiter.length;
}
