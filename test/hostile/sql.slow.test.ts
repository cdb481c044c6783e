import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSql } from '../../src/sql/index';
import { isClienteleError } from '../../src/table/errors';
import { unchangedAfter } from './helpers';
import { postgresSession } from '../helpers/postgres';
import { expectedSums, PAYLOADS, SALES, SALES_TABLE } from './sql-payloads';

/**
 * Class 1 of issue 15 on the real PostgreSQL: the injection corpus of sql-payloads.ts compiled with
 * `dialect: 'postgres'` and sent through `psql -c` — PostgreSQL's simple query protocol, which runs every statement
 * of the text, the worst case for a client — and the catalog checked for the marker tables afterwards. Runs when
 * CLIENTELE_PG_URL names a database (CI sets it, see .ci/run); skipped otherwise, as test/sql/postgres.test.ts.
 */
const { url, reachable, env, close } = postgresSession('hostile');
const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-h15-sql-'));
afterAll(() => {
  close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `sql` (after `before` commands) in one psql session; the status and the CSV rows. */
function psql(sql: string, ...before: string[]): { ok: boolean; rows: string[][]; stderr: string } {
  const args = [url!, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '--csv', ...before.flatMap((c) => ['-c', c])];
  // one argument holds at most 128 KiB on Linux: longer texts go through a file (psql then splits the statements)
  if (sql.length < 100_000) args.push('-c', sql);
  else {
    const file = path.join(dir, 'query.sql');
    writeFileSync(file, sql);
    args.push('-f', file);
  }
  const run = spawnSync('psql', args, { encoding: 'utf8', maxBuffer: 1 << 26, env });
  const lines = run.stdout.trimEnd().split('\n').slice(1);
  return { ok: run.status === 0, rows: lines.filter((l) => l.length > 0).map((l) => l.split(',')), stderr: run.stderr };
}

const pwned = () => Number(psql("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'h15\\_pwned%'").rows[0][0]);

beforeAll(() => {
  if (!reachable) return;
  // a marker table of an earlier run that failed, in this process's schema (another run's schema is its own)
  const drops = psql(
    "SELECT tablename FROM pg_tables WHERE tablename LIKE 'h15\\_pwned%' AND schemaname = current_schema()",
  ).rows.map(([t]) => `DROP TABLE ${t}`);
  const values = SALES.map(([p, a]) => `('${p.replace(/'/g, "''")}', ${a})`).join(', ');
  const setup = psql(
    'SELECT 1',
    `DROP TABLE IF EXISTS ${SALES_TABLE}`,
    ...drops,
    `CREATE TABLE ${SALES_TABLE} (product TEXT, amount DOUBLE PRECISION)`,
    `INSERT INTO ${SALES_TABLE} VALUES ${values}`,
    'DROP TABLE IF EXISTS h15_tx',
    "CREATE TABLE h15_tx AS SELECT 'c' || (i % 7) AS customer, DATE '2024-01-01' + i AS date, i * 1.5 AS amount FROM generate_series(1, 40) AS i",
  );
  if (!setup.ok) throw new Error(setup.stderr);
});

describe.skipIf(!reachable)('class 1: the injection corpus on the real PostgreSQL', () => {
  it.each(PAYLOADS.map((p) => [p.n, p.name, p] as const))(
    'class 1: PostgreSQL payload %i, %s: refused or correct, and no second statement ran',
    (_, __, payload) => {
      const options = {
        table: payload.table,
        dialect: 'postgres' as const,
        columns: { key: 'product', value: 'amount' },
      };
      const { value: sql, error } = unchangedAfter([options], () => toSql('abc', options));
      if (payload.postgres === 'refused') {
        expect(isClienteleError(error), String(error)).toBe(true);
        expect((error as { code: string }).code).toBe('INVALID_OPTION');
        expect((error as Error).message).toMatch(
          /^toSql: option table is not (one parenthesised postgres|a table name)/,
        );
      } else {
        expect(error, String(error)).toBeUndefined();
        const run = psql(sql!);
        if (payload.postgres === 'result' || run.ok) {
          expect(run.ok, run.stderr).toBe(true);
          const got = new Map(run.rows.map(([k, v]) => [k, Number(v)]));
          expect(got).toEqual(expectedSums());
        }
      }
      expect(pwned()).toBe(0);
    },
  );
});

describe.skipIf(!reachable)('class 1: user text as PostgreSQL literals', () => {
  const NAMES = ["Can't \\ lose", '$$ $a$ -- /* ; */', "E'\\'' U&'x'", 'two\nlines\ttab', '\u{1F600} \u2019'];
  const labels = (...before: string[]) => {
    const rows: string[] = [];
    for (const name of NAMES) {
      const options = {
        table: 'h15_tx',
        dialect: 'postgres' as const,
        segments: { rules: [{ name, r: [1, 5] as const }] },
      };
      const sql = toSql('rfm', options);
      // the label alone, as JSON so that newlines and commas survive psql's CSV
      const run = psql(`SELECT DISTINCT json_build_array(segment)::text FROM (${sql}) AS q`, ...before);
      expect(run.ok, run.stderr).toBe(true);
      rows.push(...run.rows.map((r) => JSON.parse(r.join(',').replace(/^"|"$/g, '').replace(/""/g, '"'))[0]));
    }
    return rows;
  };

  it('class 1: segment names with quotes, backslashes, dollar quotes and newlines come back exactly', () => {
    expect(labels()).toEqual(NAMES);
  });

  it('class 1: the same names come back exactly with standard_conforming_strings off (E-strings)', () => {
    expect(labels('SET standard_conforming_strings = off')).toEqual(NAMES);
  });

  it('class 1: a sub-query with a backslash in a plain string is refused: with the setting off it would end early', () => {
    const table = `(SELECT * FROM ${SALES_TABLE} WHERE 'a\\' <> 'b')`;
    const { error } = unchangedAfter([table], () =>
      toSql('abc', { table, dialect: 'postgres', columns: { key: 'product', value: 'amount' } }),
    );
    expect((error as { code?: string }).code).toBe('INVALID_OPTION');
    // the reason, shown on the engine: the same text reads differently under the two settings
    expect(psql(`SELECT 'a\\' <> 'b'`).ok).toBe(true);
    expect(psql(`SELECT 'a\\' <> 'b'`, 'SET standard_conforming_strings = off').ok).toBe(false);
  });
});
