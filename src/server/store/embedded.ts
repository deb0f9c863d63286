/**
 * The embedded driver: PGlite (PostgreSQL compiled to WASM) keeping its files in a directory, so `npm start`
 * needs nothing else. One process owns the directory at a time. Server-only: PGlite is large and never reaches
 * browser code (the layout rules in eslint.config.js).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import type { Db, Queryable, SqlQuery } from './sql.js';

function wrap(target: PGlite | Transaction): Queryable {
  return {
    query: async <Row extends object>(query: SqlQuery) => (await target.query<Row>(query.text, [...query.values])).rows,
    exec: async (text: string) => {
      await target.exec(text);
    },
  };
}

/**
 * `sharedBuffersMb`: PostgreSQL's `shared_buffers`, which PGlite fills at start (its data directory's default, 128 MiB,
 * is about 150 MB of resident memory more than 16), for this run only: the data directory is left as it is.
 */
export async function openEmbedded(dataDir: string, sharedBuffersMb: number): Promise<Db> {
  const path = resolve(dataDir);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create(path, {
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`],
  });
  const base = wrap(pglite);
  let closing: Promise<void> | undefined;
  return {
    driver: 'embedded',
    ...base,
    transaction: (work) => pglite.transaction((tx) => work(wrap(tx))),
    close: () => {
      closing ??= pglite.close();
      return closing;
    },
  };
}
