/**
 * A transfer and the store: a member chat's transfer is audited (`member_chat.transfer`, by the advisor who handed it
 * on, with the colleague's id, no content) and its `transferred` event is in the transcript; the internal note is in
 * no stored row. An anonymous chat's transfer leaves nothing at all in the store.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { sql } from '../../../src/server/store/index.js';
import type { Db } from '../../../src/server/store/sql.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea } from './member-keys.js';
import { describeDrivers, everyStoredRow } from '../store/store-helpers.js';

const TERMS = defaults.terms.version;
const NOTE = 'Notiz-Mitglied-8Rt';
const area = await createMemberArea();
const memberTokens = { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] };

function storeOf(h: Harness): Db {
  const db = h.server.audit.db;
  assert.ok(db !== null, 'the server opened its store');
  return db;
}

async function twoAdvisors(h: Harness) {
  const [a, b] = [await h.advisor('adv-a', 'Anna'), await h.advisor('adv-b', 'Bernd')];
  for (const advisor of [a, b]) {
    advisor.send({ type: 'advisor.hello', chats: [] });
    await advisor.next('advisor.welcome');
  }
  return [a, b] as const;
}

describeDrivers('transfer and the store', (ctx) => {
  test('a member chat: audited with ids, the event in the transcript, the note nowhere', async () => {
    const h = await startServer(
      { storage: await ctx.storage(), member: { tokens: memberTokens } },
      { store: undefined },
    );
    try {
      const [a, b] = await twoAdvisors(h);
      const visitor = await h.visitor();
      visitor.send({ type: 'chat.start', memberToken: await area.mint(), termsVersion: TERMS, lang: 'de' });
      const { chatId } = await visitor.next('chat.started');
      a.send({ type: 'queue.accept', chatId });
      await a.next('chat.assigned');
      a.send({ type: 'chat.transfer', chatId, to: { advisor: 'adv-b' }, note: NOTE });
      await a.next('chat.transferred');
      await b.next('chat.assigned');
      b.send({ type: 'chat.end', chatId });
      let event = await visitor.next('chat.event');
      while (event.event.kind !== 'ended') event = await visitor.next('chat.event');
      await h.server.transcripts.flush();
      await h.server.audit.flush();

      const db = storeOf(h);
      const audit = await db.query<{ kind: string; actor: string; detail: unknown }>(
        sql`SELECT kind, actor, detail FROM audit_events WHERE kind = 'member_chat.transfer'`,
      );
      assert.equal(audit.length, 1);
      const detail = typeof audit[0]!.detail === 'string' ? JSON.parse(audit[0]!.detail) : audit[0]!.detail;
      assert.deepEqual([audit[0]!.actor, detail], ['adv-a', { chatId, advisor: 'adv-b' }]);
      const kinds = await db.query<{ event: unknown }>(
        sql`SELECT event FROM member_messages WHERE chat_id = ${chatId} ORDER BY seq`,
      );
      const events = kinds.map((row) => (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as object);
      assert.deepEqual(
        events.map((e) => (e as { kind: string }).kind),
        ['joined', 'transferred', 'joined', 'ended'],
      );
      const rows = await everyStoredRow(db);
      assert.ok(!rows.some((row) => row.includes(NOTE)), 'the note is in no stored row');
    } finally {
      await h.close();
    }
  });

  test('an anonymous chat: its transfer leaves nothing in the store', async () => {
    const h = await startServer({ storage: await ctx.storage() }, { store: undefined });
    try {
      const [a, b] = await twoAdvisors(h);
      const visitor = await h.visitor();
      visitor.send({ type: 'chat.start', nickname: 'Anonym-5Tz', termsVersion: TERMS, lang: 'de' });
      const { chatId } = await visitor.next('chat.started');
      a.send({ type: 'queue.accept', chatId });
      await a.next('chat.assigned');
      a.send({ type: 'chat.transfer', chatId, to: { advisor: 'adv-b' }, note: NOTE });
      await b.next('chat.assigned');
      b.send({ type: 'chat.end', chatId });
      await b.next('chat.event');
      await h.server.audit.flush();
      const rows = await everyStoredRow(storeOf(h));
      assert.ok(
        !rows.some((row) => row.includes(chatId) || row.includes(NOTE) || row.includes('Anonym-5Tz')),
        'nothing of the anonymous chat is stored',
      );
    } finally {
      await h.close();
    }
  });
});
