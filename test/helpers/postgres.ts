import { spawnSync } from 'node:child_process';

/**
 * The real PostgreSQL of the SQL tests, named by CLIENTELE_PG_URL (CI sets it, see .ci/run). Each test file works in
 * a schema of its own process (`search_path` set through PGOPTIONS for every psql it starts), dropped afterwards, so
 * that two suites run at once on one database (a loaded machine, two CI runs) never see each other's tables.
 */
export function postgresSession(label: string): {
  url?: string;
  reachable: boolean;
  env: NodeJS.ProcessEnv;
  close(): void;
} {
  const url = process.env.CLIENTELE_PG_URL;
  const schema = `clientele_${label}_${process.pid}`;
  const env = { ...process.env, PGOPTIONS: `-c search_path=${schema}` };
  const run = (sql: string) => spawnSync('psql', [url!, '-X', '-q', '-Atc', sql], { encoding: 'utf8', env });
  const reachable =
    !!url && run(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SELECT 1`).stdout?.trim() === '1';
  return { url, reachable, env, close: () => void (reachable && run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)) };
}

/**
 * A `pg` client on the real PostgreSQL of the SQL tests, working in a schema of its own process (created here,
 * dropped by `close`), or `undefined` when CLIENTELE_PG_URL is not set or the server does not answer.
 */
export async function postgresClient(label: string): Promise<
  | {
      client: import('pg').Client;
      schema: string;
      close(): Promise<void>;
    }
  | undefined
> {
  const url = process.env.CLIENTELE_PG_URL;
  if (!url) return undefined;
  const { default: pg } = await import('pg');
  const schema = `clientele_${label}_${process.pid}`;
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  } catch {
    await client.end().catch(() => undefined);
    return undefined;
  }
  return {
    client,
    schema,
    close: async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await client.end();
    },
  };
}
