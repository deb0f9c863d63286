/**
 * A member chat whose node dies: its transcript and its webhook delivery, exactly once. Two nodes on one real Redis
 * and one real PostgreSQL; node A in a process of its own, killed with SIGKILL. Node B takes the chat over, ends it,
 * and files a transcript that holds every event once, including those node A had acknowledged to both sides but
 * not yet written (the transcript writer batches its writes).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { parseServerToAdvisor, parseServerToVisitor } from '../../../src/protocol/parse.js';
import type {
  AdvisorToServer,
  ServerToAdvisor,
  ServerToVisitor,
  VisitorToServer,
} from '../../../src/protocol/messages.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import type { StorageConfig } from '../../../src/server/config/store.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { canStartCluster, ownDatabase, startThrowawayCluster } from '../../helpers/postgres.js';
import type { Cluster, OwnDatabase } from '../../helpers/postgres.js';
import { until } from '../../helpers/until.js';
import { Client, ORIGIN } from '../helpers.js';
import type { ConfigOverrides } from '../helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea } from '../member/member-keys.js';
import { resetPostgres } from '../store/store-helpers.js';
import { nodeProcess, useNodes } from './nodes.js';

const TERMS = defaults.terms.version;
const nodes = useNodes();
const area = await createMemberArea();
// PostgreSQL as `.ci/run` gives it, or a throwaway cluster here; never skipped in CI (the URL is set there).
const skip =
  process.env['LOTSE_TEST_DATABASE_URL'] || process.env['CI'] || canStartCluster()
    ? false
    : 'needs PostgreSQL: set LOTSE_TEST_DATABASE_URL or install postgresql-15';
let cluster: Cluster | undefined;
let own: OwnDatabase | undefined;
let databaseUrl = '';

before(async () => {
  if (skip !== false) return;
  const given = process.env['LOTSE_TEST_DATABASE_URL'];
  if (given) {
    own = await ownDatabase(given);
    databaseUrl = own.url;
  } else {
    cluster = await startThrowawayCluster();
    databaseUrl = cluster.url;
  }
  await resetPostgres(databaseUrl);
});
after(async () => {
  await own?.drop();
  cluster?.stop();
});

/** The insurer's transcript receiver: every POST's chat id, in order of arrival. */
async function startReceiver(): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push((JSON.parse(body) as { chatId: string }).chatId);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/akte`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function query<T>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const storedSeqs = async (chatId: string): Promise<number[]> =>
  (await query<{ seq: number }>('SELECT seq FROM member_messages WHERE chat_id = $1 ORDER BY seq', [chatId])).map(
    (row) => row.seq,
  );

test(
  'a member chat taken over from a node killed mid-chat: one transcript with every event once, one delivery',
  { skip },
  async () => {
    const storage: StorageConfig = { ...defaults.storage, driver: 'postgres', url: databaseUrl };
    const receiver = await startReceiver();
    const config: ConfigOverrides = {
      storage,
      member: {
        tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] },
        webhook: { url: receiver.url, secret: 'webhook-secret-of-the-member-takeover-test' },
      },
    };
    const redis = await nodes.redis();
    const a = await nodeProcess(redis.url, config);
    const b = await nodes.node({ ...config, redis: { leaseSeconds: 1 } }, { store: undefined });
    try {
      const onA = `ws://127.0.0.1:${a.port}`;
      const token = await mintAdvisorToken({ id: 'adv-m', name: 'Maria' }, b.server.config, 3600);
      const advisor = await Client.connect<ServerToAdvisor, AdvisorToServer>(
        `${onA}/ws/advisor`,
        parseServerToAdvisor,
        {
          origin: ORIGIN,
          protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`],
        },
      );
      advisor.send({ type: 'advisor.hello', chats: [] });
      await advisor.next('advisor.welcome');
      const visitor = await Client.connect<ServerToVisitor, VisitorToServer>(
        `${onA}/ws/visitor`,
        parseServerToVisitor,
        {
          origin: ORIGIN,
        },
      );
      visitor.send({ type: 'chat.start', memberToken: await area.mint(), termsVersion: TERMS, lang: 'de' });
      const started = await visitor.next('chat.started');
      const { chatId } = started;
      visitor.send({ type: 'chat.message', id: 'visitor-1', text: 'Frage zum Bonusheft' });
      assert.equal((await visitor.next('chat.event')).seq, 1);
      advisor.send({ type: 'queue.accept', chatId });
      await advisor.next('chat.assigned');
      assert.equal((await visitor.next('chat.event')).seq, 2); // joined
      advisor.send({ type: 'chat.message', chatId, id: 'advisor-1', text: 'Gern, worum geht es?' });
      assert.equal((await visitor.next('chat.event')).seq, 3);
      await until(async () => (await storedSeqs(chatId)).length === 3, 'node A writes the first three events');

      // Node A dies. Its writer may still have held acknowledged events: that is made certain here by deleting
      // what it wrote after the first, as if the kill had come before its next batch.
      a.child.kill('SIGKILL');
      await a.exited;
      await query('DELETE FROM member_messages WHERE chat_id = $1 AND seq > 1', [chatId]);

      const back = await b.visitor();
      back.send({
        type: 'chat.resume',
        chatId,
        resumeToken: started.resumeToken,
        lastSeq: 3,
        memberToken: await area.mint(),
      });
      assert.deepEqual((await back.next('chat.resumed')).events, []);
      const console2 = await b.advisor('adv-m', 'Maria');
      console2.send({ type: 'advisor.hello', chats: [{ chatId, lastSeq: 3 }] });
      await console2.next('advisor.welcome');
      assert.equal((await console2.next('chat.assigned')).chatId, chatId);
      back.send({ type: 'chat.message', id: 'visitor-2', text: 'Das Bonusheft ist voll' });
      assert.equal((await console2.next('chat.event')).seq, 4);
      assert.equal((await back.next('chat.event')).seq, 4);
      console2.send({ type: 'chat.end', chatId });
      assert.equal((await back.next('chat.event')).event.kind, 'ended');

      await until(
        async () =>
          (await query<{ ended_at: unknown }>('SELECT ended_at FROM member_chats WHERE id = $1', [chatId]))[0]
            ?.ended_at != null,
        'node B files the end',
      );
      assert.deepEqual(await storedSeqs(chatId), [1, 2, 3, 4, 5], 'every event once, those node A never wrote too');
      await until(() => receiver.received.length > 0, 'node B files the transcript with the receiver', 10_000);
      const deliveries = await query<{ n: string }>('SELECT count(*) AS n FROM webhook_deliveries WHERE chat_id = $1', [
        chatId,
      ]);
      assert.equal(Number(deliveries[0]?.n), 1, 'one delivery');
      const chats = await query<{ n: string }>('SELECT count(*) AS n FROM member_chats WHERE id = $1', [chatId]);
      assert.equal(Number(chats[0]?.n), 1);
      assert.deepEqual(receiver.received, [chatId], 'the receiver got it once');
    } finally {
      if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
      await receiver.close();
    }
  },
);
