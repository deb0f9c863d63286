/** The storage layer on both drivers: migrations once and again, parametrised queries, transactions, close. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore, sql } from '../../../src/server/store/index.js';
import { MIGRATIONS, migrate } from '../../../src/server/store/migrations.js';
import { describeDrivers } from './store-helpers.js';

test('sql numbers every value as a parameter and never splices it into the text', () => {
  const evil = "x'); DROP TABLE audit_events; --";
  const query = sql`SELECT * FROM t WHERE a = ${evil} AND b < ${3} AND c = ${{ k: 1 }}`;
  assert.equal(query.text, 'SELECT * FROM t WHERE a = $1 AND b < $2 AND c = $3');
  assert.deepEqual(query.values, [evil, 3, '{"k":1}']);
});

describeDrivers('store', (ctx) => {
  test('migrations apply once, in order, recorded; again they change nothing (also on a second open)', async () => {
    const storage = await ctx.storage();
    const db = await openStore(storage);
    try {
      assert.equal(db.driver, ctx.driver);
      const recorded = await db.query<{ id: number; name: string }>(
        sql`SELECT id, name FROM lotse_migrations ORDER BY id`,
      );
      assert.deepEqual(
        recorded.map((row) => [row.id, row.name]),
        MIGRATIONS.map((m) => [m.id, m.name]),
      );
      assert.deepEqual(await migrate(db), [], 'nothing left to apply');
      assert.equal((await db.query(sql`SELECT id FROM lotse_migrations`)).length, MIGRATIONS.length);
    } finally {
      await db.close();
    }
    const again = await openStore(storage);
    try {
      assert.deepEqual(await migrate(again), []);
      assert.equal((await again.query(sql`SELECT id FROM lotse_migrations`)).length, MIGRATIONS.length);
    } finally {
      await again.close();
    }
  });

  test(
    "the embedded store runs with the configured buffer cache, not PGlite's 128 MiB; the directory keeps its own",
    {
      skip: ctx.driver !== 'embedded' && 'embedded only',
    },
    async () => {
      const storage = await ctx.storage();
      for (const [configured, expected] of [
        [undefined, '16MB'],
        [8, '8MB'],
      ] as const) {
        const db = await openStore(
          configured === undefined ? storage : { ...storage, embeddedSharedBuffersMb: configured },
        );
        try {
          const [row] = await db.query<{ shared_buffers: string }>(sql`SHOW shared_buffers`);
          assert.equal(row?.shared_buffers, expected);
        } finally {
          await db.close();
        }
      }
      const conf = readFileSync(join(storage.dataDir, 'postgresql.conf'), 'utf8');
      assert.match(conf, /^shared_buffers = 128MB/m, 'a setting for this run only');
    },
  );

  test('a later migration applies on top; a failing one rolls back and is not recorded', async () => {
    const db = await openStore(await ctx.storage());
    try {
      const extra = [...MIGRATIONS, { id: 900, name: 'extra', sql: 'CREATE TABLE extra_t (x int)' }];
      assert.deepEqual(await migrate(db, extra), [900]);
      assert.deepEqual(await migrate(db, extra), []);
      const broken = [
        ...extra,
        { id: 901, name: 'broken', sql: 'CREATE TABLE broken_t (x int); SELECT no_such_column FROM extra_t' },
      ];
      await assert.rejects(migrate(db, broken));
      assert.equal((await db.query(sql`SELECT id FROM lotse_migrations WHERE id = ${901}`)).length, 0);
      const tables = await db.query(sql`SELECT 1 FROM information_schema.tables WHERE table_name = ${'broken_t'}`);
      assert.equal(tables.length, 0, 'the failed migration left nothing behind');
      await db.exec('DROP TABLE extra_t');
    } finally {
      await db.close();
    }
  });

  test('values round-trip as parameters (quotes, JSON); transactions roll back on error; close is idempotent', async () => {
    const db = await openStore(await ctx.storage());
    const evil = 'o\'brien"; DROP TABLE audit_events; --';
    await db.query(sql`INSERT INTO last_transactions (actor, at, kind) VALUES (${evil}, ${new Date(0)}, ${'k'})`);
    const [row] = await db.query<{ actor: string }>(sql`SELECT actor FROM last_transactions WHERE actor = ${evil}`);
    assert.equal(row?.actor, evil);
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(sql`DELETE FROM last_transactions`);
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal((await db.query(sql`SELECT actor FROM last_transactions`)).length, 1, 'rolled back');
    await Promise.all([db.close(), db.close()]);
    await db.close();
  });
});
