// Member chat storage figures (run by `npm run bench`; JSON lines on stdout, progress on stderr), per driver:
//
//   member_messages_persisted_per_second   messages from many member chats at once, through the hub's own path
//                                          (ChatHub.addMessage → transcript writer), until committed
//   member_purge_ms                        the purge job's function over 100,000 stored messages (1,000 chats)
//
// Embedded: a copy of the PGlite template directory. PostgreSQL: LOTSE_BENCH_DATABASE_URL (an empty database:
// the bench writes and purges there), else a throwaway PostgreSQL 15 cluster as the tests start one, else a
// `skipped` line saying why.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VisitorPeer } from '../src/server/chat/chat.js';
import { createChatPart } from '../src/server/app/chat-part.js';
import { defaults, validateConfig } from '../src/server/config/lotse-config.js';
import { createLogger } from '../src/server/log.js';
import { purgeTranscripts } from '../src/server/member/member-purge.js';
import { openStore, sql } from '../src/server/store/index.js';
import type { Db } from '../src/server/store/sql.js';
import { storageDefaults } from '../src/server/config/store.js';
import type { StorageConfig } from '../src/server/config/store.js';
import { PG_BIN, canStartCluster, embeddedTemplate, startThrowawayCluster } from '../test/helpers/postgres.js';
import type { Cluster } from '../test/helpers/postgres.js';

const CHATS = Number(process.env['LOTSE_BENCH_MEMBER_CHATS'] ?? 100);
const MESSAGES_PER_CHAT = Number(process.env['LOTSE_BENCH_MEMBER_MESSAGES'] ?? 50);
const PURGE_CHATS = 1_000;
const PURGE_MESSAGES = 100_000;

const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ metric, value: Number(value.toFixed(3)), unit, ...extra }));
const progress = (text: string) => console.error(`bench: ${text}`);
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const config = validateConfig({
  ...defaults,
  allowedOrigins: ['http://127.0.0.1:1'],
  advisorTokens: { ...defaults.advisorTokens, secret: 'bench-secret-bench-secret-bench-secret-123' },
  hours: { ...defaults.hours, alwaysOpen: true },
});

/**
 * CHATS member chats write MESSAGES_PER_CHAT messages each, interleaved, one round per turn of the event loop
 * (as messages arrive from many sockets); the clock runs from the first message until the last is committed.
 */
async function persistedPerSecond(db: Db, driver: string): Promise<void> {
  progress(`member messages persisted (${driver}): ${CHATS} chats × ${MESSAGES_PER_CHAT} messages`);
  const part = createChatPart(config, { log: createLogger({ level: 'silent' }), fileTranscripts: false });
  const { hub, transcripts } = part;
  transcripts.useStore(db);
  try {
    const peer = (): VisitorPeer => ({ send: () => {}, close: () => {} });
    const starts = Array.from({ length: CHATS }, (_, c) =>
      hub.startChat(
        peer(),
        { kind: 'member', name: `Mitglied ${c}`, insuranceNumber: `B${String(c).padStart(9, '0')}` },
        undefined,
        { sub: `bench-member-${c}`, pseudonym: `bench-${c}` },
      ),
    );
    const chats = (await Promise.all(starts)).filter((chat) => typeof chat === 'object');
    await transcripts.flush();
    const started = process.hrtime.bigint();
    for (let i = 0; i < MESSAGES_PER_CHAT; i++) {
      await Promise.all(
        chats.map((chat) =>
          hub.addMessage(
            chat,
            'visitor',
            `bench-${i}-xxxxxxxx`,
            `Nachricht ${i} im Mitglieder-Chat, etwa so lang wie eine echte Frage.`,
          ),
        ),
      );
      await turn();
    }
    await transcripts.flush();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const [row] = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM member_messages`);
    const messages = CHATS * MESSAGES_PER_CHAT;
    if (Number(row?.n) !== messages) throw new Error(`expected ${messages} stored messages, found ${row?.n}`);
    emit('member_messages_persisted_per_second', messages / seconds, 'messages/s', { driver, chats: CHATS, messages });
  } finally {
    await part.close();
    await part.lifecycle.drain();
  }
}

/** 100,000 messages in 1,000 chats, all past their retention, written in bulk; then the purge is timed. */
async function purgeMs(db: Db, driver: string): Promise<void> {
  progress(`purge (${driver}): seeding ${PURGE_MESSAGES} messages`);
  const perChat = PURGE_MESSAGES / PURGE_CHATS;
  const past = new Date(Date.now() - 3600_000);
  await db.transaction(async (tx) => {
    await tx.query(sql`INSERT INTO member_chats (id, member_sub, member_name, insurance_number, started_at, ended_at, ended_by, purge_after)
      SELECT 'bench-purge-' || i, 'sub-' || i, 'Mitglied ' || i, 'A' || lpad(i::text, 9, '0'), ${past}, ${past}, 'visitor', ${past}
      FROM generate_series(1, ${PURGE_CHATS}) AS i`);
    await tx.query(sql`INSERT INTO member_messages (chat_id, seq, at, event)
      SELECT 'bench-purge-' || (i / ${perChat} + 1), i % ${perChat} + 1, ${past},
        jsonb_build_object('kind', 'message', 'id', 'm-' || i, 'from', 'visitor', 'text', 'Nachricht ' || i, 'at', 0)
      FROM generate_series(0, ${PURGE_MESSAGES - 1}) AS i`);
    await tx.query(sql`INSERT INTO webhook_deliveries (chat_id, idempotency_key, status, created_at)
      SELECT 'bench-purge-' || i, 'lotse-transcript-bench-purge-' || i, 'delivered', ${past}
      FROM generate_series(1, ${PURGE_CHATS}) AS i`);
  });
  progress(`purge (${driver}): timing`);
  const started = process.hrtime.bigint();
  const result = await purgeTranscripts(db);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.messages < PURGE_MESSAGES)
    throw new Error(`expected ${PURGE_MESSAGES} purged messages, got ${result.messages}`);
  emit('member_purge_ms', ms, 'ms', { driver, chats: result.chats, messages: result.messages });
}

async function bench(storage: StorageConfig): Promise<void> {
  const db = await openStore(storage);
  try {
    await persistedPerSecond(db, storage.driver);
    await purgeMs(db, storage.driver);
  } finally {
    await db.close();
  }
}

// Embedded: a fresh copy of the initialised PGlite directory.
const scratch = mkdtempSync(join(tmpdir(), 'lotse-bench-member-'));
try {
  const dataDir = join(scratch, 'data');
  cpSync(await embeddedTemplate(), dataDir, { recursive: true });
  await bench({ ...storageDefaults, driver: 'embedded', dataDir });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// PostgreSQL: the given database, or a throwaway cluster, or a line saying why not.
const given = process.env['LOTSE_BENCH_DATABASE_URL'];
let cluster: Cluster | undefined;
try {
  let url = given;
  if (!url && canStartCluster()) {
    progress('starting a throwaway PostgreSQL 15 cluster');
    cluster = await startThrowawayCluster('lotse_bench');
    url = cluster.url;
  }
  if (url) {
    await bench({ ...storageDefaults, driver: 'postgres', url });
  } else {
    const reason = `LOTSE_BENCH_DATABASE_URL is not set and ${PG_BIN}/initdb is not installed`;
    for (const metric of ['member_messages_persisted_per_second', 'member_purge_ms']) {
      console.log(JSON.stringify({ metric, skipped: true, driver: 'postgres', reason }));
    }
  }
} finally {
  cluster?.stop();
}
