/**
 * Fixtures for the storage tests: both drivers, each test on fresh storage.
 * - embedded: a copy of a PGlite directory initialised once per machine (PGlite's initdb takes 10–30 s in WASM;
 *   opening a copy takes about a second), under the system's temp directory;
 * - postgres: `LOTSE_TEST_DATABASE_URL` if set (`.ci/run` sets it); otherwise, outside CI, a throwaway PostgreSQL 15
 *   cluster started here from /usr/lib/postgresql/15/bin when installed (stopped after the file's tests), or the
 *   tests are skipped with the reason. In CI (`CI` set) the URL is required and its absence fails the tests.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { StorageConfig } from '../../src/server/store/config.js';
import type { Db } from '../../src/server/store/sql.js';

export type DriverName = 'embedded' | 'postgres';

const PG_BIN = process.env['LOTSE_TEST_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** Why the postgres tests cannot run here, or `undefined` when they can. In CI they must: never a reason. */
function postgresSkipReason(): string | undefined {
  if (process.env['LOTSE_TEST_DATABASE_URL']) return undefined;
  if (process.env['CI']) return undefined;
  if (existsSync(join(PG_BIN, 'initdb'))) return undefined;
  return `PostgreSQL driver tests skipped: LOTSE_TEST_DATABASE_URL is not set and ${PG_BIN}/initdb is not installed ` +
    '(apt-get install postgresql-15, or point LOTSE_TEST_DATABASE_URL at an empty test database)';
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

interface Cluster { url: string; stop(): void }

/** initdb, pg_ctl start on 127.0.0.1 and a free port, createdb: as the `postgres` user when running as root. */
async function startThrowawayCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-pg-'));
  const asRoot = userInfo().uid === 0;
  const run = (command: string, args: string[]): void => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args]] : [join(PG_BIN, command), args];
    const result = spawnSync(cmd, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout || result.error?.message}`);
  };
  if (asRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), -1);
  const port = await freePort();
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'lotse_test']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/lotse_test`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Drops what the migrations create, so that each test starts on an empty database. */
export async function resetPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS audit_events, last_transactions, lotse_migrations CASCADE');
  } finally {
    await client.end();
  }
}

/** A PGlite directory after initdb, made once per machine and PGlite version, then copied for each test. */
async function embeddedTemplate(): Promise<string> {
  const version = (JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string }).version;
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

export interface DriverContext {
  readonly driver: DriverName;
  /** Fresh, empty storage for one test (a new embedded directory, or a reset database). */
  storage(): Promise<StorageConfig>;
}

const scratch: string[] = [];

/** Runs `body` once per driver, inside a `describe` named after it; postgres may be skipped (never in CI). */
export function describeDrivers(name: string, body: (ctx: DriverContext) => void): void {
  describe(`${name} [embedded]`, () => {
    let template = '';
    before(async () => {
      template = await embeddedTemplate();
    });
    after(() => {
      for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
    });
    body({
      driver: 'embedded',
      storage: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'lotse-store-'));
        scratch.push(dir);
        const dataDir = join(dir, 'data');
        cpSync(template, dataDir, { recursive: true });
        return { driver: 'embedded', dataDir };
      },
    });
  });
  const skip = postgresSkipReason();
  describe(`${name} [postgres]`, skip === undefined ? {} : { skip }, () => {
    let url = '';
    let cluster: Cluster | undefined;
    before(async () => {
      const given = process.env['LOTSE_TEST_DATABASE_URL'];
      if (given) url = given;
      else if (process.env['CI']) throw new Error('LOTSE_TEST_DATABASE_URL must be set in CI (.ci/run starts PostgreSQL 15)');
      else {
        cluster = await startThrowawayCluster();
        url = cluster.url;
      }
    });
    after(() => cluster?.stop());
    body({
      driver: 'postgres',
      storage: async () => {
        await resetPostgres(url);
        return { driver: 'postgres', dataDir: '.lotse-data', url };
      },
    });
  });
}

/** Every row of every table in the public schema, as text (`row::text`), for searching. */
export async function everyStoredRow(db: Db): Promise<string[]> {
  const tables = await db.query<{ name: string }>({
    text: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    values: [],
  });
  const rows: string[] = [];
  for (const { name } of tables) {
    if (!/^[a-z_]+$/.test(name)) throw new Error(`unexpected table name ${name}`);
    const found = await db.query<{ row: string }>({ text: `SELECT t::text AS row FROM ${name} t`, values: [] });
    rows.push(...found.map((r) => `${name}: ${r.row}`));
  }
  return rows;
}

/** The paths of files under `dir` whose bytes contain `needle` (UTF-8). */
export function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  const hits: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }).map(String)) {
    const path = join(dir, name);
    if (statSync(path).isFile() && readFileSync(path).includes(bytes)) hits.push(path);
  }
  return hits;
}
