import { ClienteleError, describeValue } from '../table/internal';
import type { Dialect } from './dialect';
import { subqueryProblem } from './tokenize';

/**
 * Letters, digits (any script), `_`, `$`, `-` and inner spaces: every such name is safe inside `"…"` and `` `…` ``
 * quotes, and the quote characters, backslashes, semicolons and control characters that could end a quoted name
 * or a statement are all excluded.
 */
const NAME = /^[\p{L}\p{N}_$-](?:[\p{L}\p{N}_$ -]{0,126}[\p{L}\p{N}_$-])?$/u;

/** A column name, validated and quoted. @throws {ClienteleError} `INVALID_OPTION` */
export function columnName(d: Dialect, name: unknown, fn: string, option: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option columns.${option} is not a plain column name (found ${describeValue(name)}); use letters, digits, ` +
        `_, $, - and inner spaces only (quotes, backslashes, semicolons and dots are refused so that no text can escape the quoted name)`,
      { column: typeof name === 'string' ? name : undefined },
    );
  }
  return d.ident(name);
}

/**
 * The FROM source: a table path `name`, `schema.name` or `project.dataset.name` (each part validated and quoted),
 * or a sub-query in parentheses, taken as trusted SQL after the dialect's tokenizer ({@link subqueryProblem}) has
 * read it as exactly one parenthesised expression: no `;` and nothing after the closing parenthesis outside string
 * literals, quoted names and comments, every quote and comment closed, and nothing the engines of the dialect
 * could read two ways (a backslash where a setting decides, nested comments where versions differ, non-ASCII
 * characters outside quotes, NUL).
 *
 * @throws {ClienteleError} `INVALID_OPTION`
 */
export function tableSource(d: Dialect, table: unknown, fn: string): string {
  if (typeof table === 'string' && table.trimStart().startsWith('(')) {
    const text = table.trim();
    const problem = subqueryProblem(text, d.name);
    if (problem) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option table is not one parenthesised ${d.name} sub-query (found ${problem.what} at character ` +
          `${problem.at + 1}: ${describeValue(text.slice(Math.max(0, problem.at - 12), problem.at + 12))}); ` +
          `${problem.fix}, or pass a table name such as 'sales.transactions'`,
      );
    }
    return text;
  }
  const parts = typeof table === 'string' ? table.split('.') : [];
  if (parts.length === 0 || parts.length > 3 || !parts.every((p) => NAME.test(p))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option table is not a table name (found ${describeValue(table)}); pass 'name', 'schema.name' or ` +
        `'project.dataset.name' with letters, digits, _, $, - and inner spaces in each part, or a '(SELECT …)' sub-query`,
    );
  }
  return parts.map((p) => d.ident(p)).join('.');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A user's text (a segment name) as a string literal of the dialect. Any text is written safely; a non-string,
 * a NUL (engines cut the statement there) or a lone surrogate (it cannot be sent as UTF-8, so the label would
 * come back changed) is refused.
 *
 * @throws {ClienteleError} `INVALID_OPTION`
 */
export function textLiteral(d: Dialect, text: unknown, fn: string, option: string): string {
  const problem =
    typeof text !== 'string'
      ? 'is not a string'
      : text.includes('\0')
        ? `holds a NUL character at ${text.indexOf('\0') + 1}`
        : LONE_SURROGATE.test(text)
          ? `holds a lone UTF-16 surrogate at ${(LONE_SURROGATE.exec(text)?.index ?? 0) + 1}`
          : '';
  if (problem) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} ${problem} (found ${describeValue(text)}); pass a string of well-formed text without NUL`,
    );
  }
  return d.string(text as string);
}
