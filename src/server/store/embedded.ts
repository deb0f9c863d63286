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

export async function openEmbedded(dataDir: string): Promise<Db> {
  const path = resolve(dataDir);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create(path);
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
