/**
 * Anonymous chats never reach storage: a chat with a distinctive nickname and message runs through the real server
 * on each driver, then every row of every table (and, embedded, every byte of every file) is searched for them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from '../../src/server/config.js';
import { openStore } from '../../src/server/store/index.js';
import { startServer } from './helpers.js';
import { describeDrivers, everyStoredRow, filesContaining } from './store-helpers.js';

const NICK = 'Zyxwq-Nick-7Q4';
const TEXT = 'Versichertennummer Qm9vW3-Geheimtext';
const REPLY = 'Antwort Pz8-Beraterinnentext';

describeDrivers('anonymous chats are never stored', (ctx) => {
  test('nickname and messages appear in no table and no file', async () => {
    const storage = await ctx.storage();
    const h = await startServer({ storage }, { store: undefined });
    try {
      const advisor = await h.advisor('adv-anon', 'Anna');
      advisor.send({ type: 'advisor.hello', chats: [] });
      await advisor.next('advisor.welcome');
      const visitor = await h.visitor();
      visitor.send({ type: 'chat.start', nickname: NICK, termsVersion: defaults.terms.version, lang: 'de' });
      const started = await visitor.next('chat.started');
      visitor.send({ type: 'chat.message', id: 'msg-visitor-1', text: TEXT });
      await visitor.next('chat.event');
      advisor.send({ type: 'queue.accept', chatId: started.chatId });
      await advisor.next('chat.assigned');
      advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'msg-advisor-1', text: REPLY });
      await advisor.sync();
      visitor.send({ type: 'chat.end' });
      await visitor.sync();
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
    assert.ok(rows.some((row) => row.includes('advisor.login')), 'the store was in use (the advisor login is there)');
    for (const secret of [NICK, TEXT, REPLY, started(NICK)]) {
      assert.deepEqual(rows.filter((row) => row.includes(secret)), [], `no row contains "${secret}"`);
    }
    if (ctx.driver === 'embedded') {
      for (const secret of [NICK, TEXT, REPLY]) {
        assert.deepEqual(filesContaining(storage.dataDir, secret), [], `no file under the data directory contains "${secret}"`);
      }
    }
  });
});

/** The nickname's distinctive middle, in case a store kept it altered. */
function started(nick: string): string {
  return nick.slice(2, -2);
}
