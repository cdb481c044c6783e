import { ClienteleError, describeValue } from '../table/internal';
import type { Dialect } from './dialect';

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
 * or a sub-query in parentheses, taken as trusted SQL after checking that it is one balanced parenthesised
 * expression without `;` or comments outside string literals
 * and without backslashes (which escape quotes in some dialects only).
 *
 * @throws {ClienteleError} `INVALID_OPTION`
 */
export function tableSource(d: Dialect, table: unknown, fn: string): string {
  if (typeof table === 'string' && table.trimStart().startsWith('(')) {
    const text = table.trim();
    const problem = subqueryProblem(text);
    if (problem) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option table is not one parenthesised sub-query (${problem}); pass a table name such as ` +
          `'sales.transactions' or one '(SELECT …)' without semicolons or comments`,
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

/** Why `text` is not a single parenthesised expression, or '' when it is one. */
function subqueryProblem(text: string): string {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    // a backslash escapes a quote in Spark and BigQuery but not in DuckDB and PostgreSQL: refuse it everywhere
    if (ch === '\\') return `found a backslash at character ${i + 1}`;
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0 && i !== text.length - 1) return `text follows the closing parenthesis at character ${i + 1}`;
      if (depth < 0) return `unbalanced ")" at character ${i + 1}`;
    } else if (ch === ';') return `found ";" at character ${i + 1}`;
    else if ((ch === '-' && text[i + 1] === '-') || (ch === '/' && text[i + 1] === '*') || ch === '#') {
      return `found a comment at character ${i + 1}`;
    }
  }
  if (quote) return 'a string literal or quoted name is not closed';
  if (depth !== 0) return 'unbalanced "("';
  return '';
}
