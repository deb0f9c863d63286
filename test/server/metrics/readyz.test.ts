/**
 * `/readyz` over real HTTP: 200 with the embedded store, 503 naming the check when the store fails or hangs (one
 * query however many probes wait for it), a check the composition root adds, and 503 while the server is closing.
 * `/healthz` stays liveness only.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { MemoryChatEventLog } from '../../../src/server/state/chat-event-log.js';
import { sql } from '../../../src/server/store/sql.js';
import type { Db, Queryable } from '../../../src/server/store/sql.js';
import { embeddedTemplate } from '../../helpers/postgres.js';
import { startServer } from '../helpers.js';
import { rawRequest } from '../http-helpers.js';
import { scrape, valueOf } from './scrape.js';

async function readyz(url: string): Promise<{ status: number; body: unknown }> {
  const reply = await rawRequest(url, '/readyz');
  return { status: reply.status, body: JSON.parse(reply.body) as unknown };
}

/** A store whose queries answer `[]`, or fail (`failing`), or wait until `release()` (`hanging`). */
class FakeDb implements Db {
  readonly driver = 'postgres' as const;
  failing = false;
  hanging = false;
  queries = 0;
  readonly #held: (() => void)[] = [];

  query<Row extends object>(): Promise<Row[]> {
    this.queries += 1;
    if (this.failing) return Promise.reject(new Error('connection refused'));
    if (this.hanging) return new Promise((resolve) => this.#held.push(() => resolve([])));
    return Promise.resolve([]);
  }
  exec(): Promise<void> {
    return this.query().then(() => {});
  }
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return work(this);
  }
  release(): void {
    this.hanging = false;
    for (const resolve of this.#held.splice(0)) resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

test('the embedded store: ready; its calls are timed and the webhook backlog is read from it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-readyz-'));
  const dataDir = join(dir, 'data');
  cpSync(await embeddedTemplate(), dataDir, { recursive: true });
  const h = await startServer({ storage: { ...defaults.storage, driver: 'embedded', dataDir } }, { store: undefined });
  try {
    const db = h.server.audit.db;
    assert.ok(db !== null);
    await db.query(sql`INSERT INTO member_chats (id, member_sub, member_name, insurance_number, started_at, ended_at,
      purge_after) VALUES ('chat-backlog-1', 's', 'n', 'i', now(), now(), now() + interval '1 day')`);
    await db.query(sql`INSERT INTO webhook_deliveries (chat_id, idempotency_key, status, next_attempt_at, created_at)
      VALUES ('chat-backlog-1', 'key-1', 'pending', now() + interval '1 hour', now())`);

    assert.deepEqual(await readyz(h.url), { status: 200, body: { ready: true } });
    const samples = await scrape(h.url);
    assert.equal(valueOf(samples, 'lotse_webhook_backlog', { status: 'pending' }), 1);
    assert.equal(valueOf(samples, 'lotse_webhook_backlog', { status: 'failing' }), 0);
    assert.ok(
      (valueOf(samples, 'lotse_store_duration_seconds_count', { operation: 'query', outcome: 'ok' }) ?? 0) >= 3,
    );
    assert.equal(
      valueOf(samples, 'lotse_store_duration_seconds_count', { operation: 'query', outcome: 'error' }),
      undefined,
    );
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store that fails: 503 naming the store, nothing more', async () => {
  const db = new FakeDb();
  const h = await startServer({}, { store: db });
  try {
    assert.deepEqual(await readyz(h.url), { status: 200, body: { ready: true } });
    db.failing = true;
    const reply = await rawRequest(h.url, '/readyz');
    assert.equal(reply.status, 503);
    assert.equal(reply.body, '{"ready":false,"failed":["store"]}');
    assert.equal(reply.headers['cache-control'], 'no-store');
    // Liveness is not readiness.
    assert.equal((await rawRequest(h.url, '/healthz')).status, 200);
    const samples = await scrape(h.url);
    assert.ok(
      (valueOf(samples, 'lotse_store_duration_seconds_count', { operation: 'query', outcome: 'error' }) ?? 0) >= 1,
    );
  } finally {
    await h.close();
  }
});

test('a store that hangs: 503 after the timeout, and probes meanwhile wait for the same one query', async () => {
  const db = new FakeDb();
  const h = await startServer({ metrics: { readyTimeoutSeconds: 0.2 } }, { store: db });
  try {
    db.hanging = true;
    const before = db.queries;
    const probes = await Promise.all([readyz(h.url), readyz(h.url), readyz(h.url)]);
    for (const probe of probes) assert.deepEqual(probe, { status: 503, body: { ready: false, failed: ['store'] } });
    assert.deepEqual(await readyz(h.url), { status: 503, body: { ready: false, failed: ['store'] } });
    assert.equal(db.queries - before, 1, 'one query in flight, however many probes');
    db.release();
    assert.deepEqual(await readyz(h.url), { status: 200, body: { ready: true } });
  } finally {
    db.release();
    await h.close();
  }
});

test('a check the composition root adds (as Redis will be) is named when it fails', async () => {
  const h = await startServer();
  try {
    let up = false;
    const remove = h.server.readiness.add({
      name: 'redis',
      check: () => (up ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED 10.0.0.5:6379'))),
    });
    const down = await rawRequest(h.url, '/readyz');
    assert.equal(down.status, 503);
    assert.equal(down.body, '{"ready":false,"failed":["redis"]}');
    up = true;
    assert.deepEqual(await readyz(h.url), { status: 200, body: { ready: true } });
    remove();
    assert.throws(() => h.server.readiness.add({ name: 'Redis URL', check: () => Promise.resolve() }), TypeError);
  } finally {
    await h.close();
  }
});

test('while the server is closing: 503, before the sockets are closed', async () => {
  // The end of the running chat waits for its event log, so the server is caught closing, still listening.
  let releaseDrop: () => void = () => {};
  const held = new Promise<void>((resolve) => (releaseDrop = resolve));
  class HeldLog extends MemoryChatEventLog {
    override async drop(chatId: string): Promise<void> {
      await held;
      return super.drop(chatId);
    }
  }
  const h = await startServer({}, { chatState: { events: new HeldLog() } });
  try {
    const visitor = await h.visitor();
    visitor.send({ type: 'chat.start', nickname: 'Ada', termsVersion: defaults.terms.version, lang: 'de' });
    await visitor.next('chat.started');
    assert.deepEqual(await readyz(h.url), { status: 200, body: { ready: true } });
    const closing = h.server.close();
    assert.deepEqual(await readyz(h.url), { status: 503, body: { ready: false, failed: ['closing'] } });
    assert.equal((await rawRequest(h.url, '/healthz')).status, 200);
    releaseDrop();
    await closing;
  } finally {
    releaseDrop();
    await h.close();
  }
});
