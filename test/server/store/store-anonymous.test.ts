/**
 * Anonymous chats never reach storage: a chat with a distinctive nickname and message runs through the real server
 * on each driver, next to a member chat (which is stored), then every row of every table (and, embedded, every
 * byte of every file) is searched for the anonymous chat's nickname and messages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { openStore } from '../../../src/server/store/index.js';
import { startServer } from '../helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea } from '../member/member-keys.js';
import { describeDrivers, everyStoredRow, filesContaining } from './store-helpers.js';

const NICK = 'Zyxwq-Nick-7Q4';
const TEXT = 'Versichertennummer Qm9vW3-Geheimtext';
const REPLY = 'Antwort Pz8-Beraterinnentext';
const MEMBER_TEXT = 'Mitgliederfrage Kx7-stored';
const area = await createMemberArea();

describeDrivers('anonymous chats are never stored', (ctx) => {
  test('nickname and messages appear in no table and no file', async () => {
    const storage = await ctx.storage();
    const member = { tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] } };
    const h = await startServer({ storage, member }, { store: undefined });
    let anonymousChatId: string;
    try {
      const advisor = await h.advisor('adv-anon', 'Anna');
      advisor.send({ type: 'advisor.hello', chats: [] });
      await advisor.next('advisor.welcome');
      // A member chat runs alongside, with the same advisor: it is stored, the anonymous one still is not.
      const memberVisitor = await h.visitor();
      memberVisitor.send({
        type: 'chat.start',
        memberToken: await area.mint(),
        termsVersion: defaults.terms.version,
        lang: 'de',
      });
      const memberChat = await memberVisitor.next('chat.started');
      advisor.send({ type: 'queue.accept', chatId: memberChat.chatId });
      await advisor.next('chat.assigned');
      memberVisitor.send({ type: 'chat.message', id: 'msg-member-1', text: MEMBER_TEXT });
      await advisor.next('chat.event');
      const visitor = await h.visitor();
      visitor.send({ type: 'chat.start', nickname: NICK, termsVersion: defaults.terms.version, lang: 'de' });
      const started = await visitor.next('chat.started');
      anonymousChatId = started.chatId;
      visitor.send({ type: 'chat.message', id: 'msg-visitor-1', text: TEXT });
      await visitor.next('chat.event');
      advisor.send({ type: 'queue.accept', chatId: started.chatId });
      await advisor.next('chat.assigned');
      advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'msg-advisor-1', text: REPLY });
      await advisor.sync();
      visitor.send({ type: 'chat.end' });
      await visitor.sync();
      advisor.send({
        type: 'chat.message',
        chatId: memberChat.chatId,
        id: 'msg-advisor-2',
        text: 'Antwort an das Mitglied',
      });
      memberVisitor.send({ type: 'chat.end' });
      await memberVisitor.sync();
    } finally {
      await h.close();
    }
    const db = await openStore(storage);
    let rows: string[];
    try {
      rows = await everyStoredRow(db);
    } finally {
      await db.close();
    }
    assert.ok(
      rows.some((row) => row.includes('advisor.login')),
      'the store was in use (the advisor login is there)',
    );
    assert.ok(
      rows.some((row) => row.startsWith('member_messages: ') && row.includes(MEMBER_TEXT)),
      'the member chat was stored',
    );
    assert.ok(
      rows.some((row) => row.includes('member_chat.end')),
      'and audited',
    );
    for (const secret of [NICK, TEXT, REPLY, started(NICK), anonymousChatId]) {
      assert.deepEqual(
        rows.filter((row) => row.includes(secret)),
        [],
        `no row contains "${secret}"`,
      );
    }
    if (ctx.driver === 'embedded') {
      for (const secret of [NICK, TEXT, REPLY]) {
        assert.deepEqual(
          filesContaining(storage.dataDir, secret),
          [],
          `no file under the data directory contains "${secret}"`,
        );
      }
    }
  });
});

/** The nickname's distinctive middle, in case a store kept it altered. */
function started(nick: string): string {
  return nick.slice(2, -2);
}
