/**
 * Fixtures for the storage tests: both drivers, each test on fresh storage.
 * - embedded: a copy of a PGlite directory initialised once per machine (PGlite's initdb takes 10–30 s in WASM;
 *   opening a copy takes about a second), under the system's temp directory;
 * - postgres: a database of the file's own on the server of `LOTSE_TEST_DATABASE_URL` if set (`.ci/run` sets it;
 *   `ownDatabase`, since two files run at a time); otherwise, outside CI, a throwaway PostgreSQL 15
 *   cluster started here from /usr/lib/postgresql/15/bin when installed (stopped after the file's tests), or the
 *   tests are skipped with the reason. In CI (`CI` set) the URL is required and its absence fails the tests.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import {
  PG_BIN,
  canStartCluster,
  embeddedTemplate,
  ownDatabase,
  startThrowawayCluster,
} from '../../helpers/postgres.js';
import type { Cluster, OwnDatabase } from '../../helpers/postgres.js';
import { storageDefaults } from '../../../src/server/config/store.js';
import type { StorageConfig } from '../../../src/server/config/store.js';
import type { Db } from '../../../src/server/store/sql.js';

export type DriverName = 'embedded' | 'postgres';

/** Why the postgres tests cannot run here, or `undefined` when they can. In CI they must: never a reason. */
function postgresSkipReason(): string | undefined {
  if (process.env['LOTSE_TEST_DATABASE_URL']) return undefined;
  if (process.env['CI']) return undefined;
  if (canStartCluster()) return undefined;
  return (
    `PostgreSQL driver tests skipped: LOTSE_TEST_DATABASE_URL is not set and ${PG_BIN}/initdb is not installed ` +
    '(apt-get install postgresql-15, or point LOTSE_TEST_DATABASE_URL at an empty test database)'
  );
}

/** Drops what the migrations create, so that each test starts on an empty database. */
export async function resetPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'DROP TABLE IF EXISTS audit_events, last_transactions, webhook_deliveries, member_messages, member_chats, snippets, callback_deliveries, callback_requests, ratings, lotse_migrations CASCADE',
    );
  } finally {
    await client.end();
  }
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
        return { ...storageDefaults, driver: 'embedded', dataDir };
      },
    });
  });
  const skip = postgresSkipReason();
  describe(`${name} [postgres]`, skip === undefined ? {} : { skip }, () => {
    let url = '';
    let cluster: Cluster | undefined;
    let own: OwnDatabase | undefined;
    before(async () => {
      const given = process.env['LOTSE_TEST_DATABASE_URL'];
      if (given) {
        own = await ownDatabase(given);
        url = own.url;
      } else if (process.env['CI'])
        throw new Error('LOTSE_TEST_DATABASE_URL must be set in CI (.ci/run starts PostgreSQL 15)');
      else {
        cluster = await startThrowawayCluster();
        url = cluster.url;
      }
    });
    after(async () => {
      await own?.drop();
      cluster?.stop();
    });
    body({
      driver: 'postgres',
      storage: async () => {
        await resetPostgres(url);
        return { ...storageDefaults, driver: 'postgres', url };
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
