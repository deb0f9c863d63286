/**
 * Databases for tests and benchmarks, without any service to install beforehand:
 * - a throwaway PostgreSQL 15 cluster (initdb, pg_ctl on 127.0.0.1 and a free port, createdb; as the `postgres`
 *   user when running as root), from /usr/lib/postgresql/15/bin or `LOTSE_TEST_PG_BIN`;
 * - a PGlite directory after initdb, made once per machine and PGlite version under the temp directory, to copy
 *   (PGlite's initdb takes 10–30 s in WASM; a copy opens in about a second).
 * Used by test/server/store-helpers.ts and scripts/bench-member.ts.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export const PG_BIN = process.env['LOTSE_TEST_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** Whether a throwaway cluster can be started here (initdb installed). */
export function canStartCluster(): boolean {
  return existsSync(join(PG_BIN, 'initdb'));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  url: string;
  stop(): void;
}

/** initdb, pg_ctl start on 127.0.0.1 and a free port, createdb: as the `postgres` user when running as root. */
export async function startThrowawayCluster(database = 'lotse_test'): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-pg-'));
  const asRoot = userInfo().uid === 0;
  const run = (command: string, args: string[]): void => {
    const [cmd, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args]]
      : [join(PG_BIN, command), args];
    const result = spawnSync(cmd, argv, { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`${command} failed: ${result.stderr || result.stdout || result.error?.message}`);
  };
  if (asRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), -1);
  const port = await freePort();
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A PGlite directory after initdb, made once per machine and PGlite version, then copied for each use. */
export async function embeddedTemplate(): Promise<string> {
  const version = (
    JSON.parse(
      readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'),
    ) as { version: string }
  ).version;
  const template = join(tmpdir(), `lotse-pglite-template-${version}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const building = mkdtempSync(join(tmpdir(), 'lotse-pglite-building-'));
  const db = await PGlite.create(building);
  await db.close();
  try {
    renameSync(building, template);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another process made it first
  }
  return template;
}

export interface OwnDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of this test process's own on the server of `url` (`LOTSE_TEST_DATABASE_URL`): the node tests run two
 * files at a time (`scripts/test.mjs`), and files that reset one shared database would wipe each other's tables.
 * Made with `CREATE DATABASE` (the user needs `CREATEDB`; `.ci/run`'s is the superuser) and dropped by `drop()`.
 * A user who may not create databases gets `url` itself: then run the node tests one file at a time.
 */
export async function ownDatabase(url: string): Promise<OwnDatabase> {
  const name = `lotse_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch {
    return { url, drop: async () => undefined };
  } finally {
    await admin.end();
  }
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
