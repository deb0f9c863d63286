import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../src/protocol/limits.js';
import { mintAdvisorToken } from '../../src/server/transport/advisor-auth.js';
import { createLogger } from '../../src/server/log.js';
import type { LogFields } from '../../src/server/log.js';
import { startServer } from './helpers.js';
import type { Harness } from './helpers.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('the logger writes JSON lines with whitelisted fields only', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', write: (line) => lines.push(line), now: () => 0 });
  log.debug('chat.started');
  log.info('chat.ended', { by: 'visitor', events: 3, durationMs: 12 });
  const sneaky = { nickname: 'Erika', text: 'geheim', reason: 'hello world <b>' } as unknown as LogFields;
  log.warn('message.refused', sneaky);
  assert.deepEqual(
    lines.map((line) => JSON.parse(line)),
    [
      { t: '1970-01-01T00:00:00.000Z', level: 'info', event: 'chat.ended', by: 'visitor', events: 3, durationMs: 12 },
      { t: '1970-01-01T00:00:00.000Z', level: 'warn', event: 'message.refused' },
    ],
  );
});

test('no log line contains a nickname, message text, chat id, token or IP address', async () => {
  const h = (harness = await startServer());
  const nickname = 'Erika-Mustermann';
  const text = 'Meine Versichertennummer ist A123456789';
  const advisor = await h.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname, termsVersion: h.server.config.terms.version, lang: 'de' });
  const started = await visitor.next('chat.started');
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text });
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  await advisor.next('chat.assigned');
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-msg-1', text: `Re: ${text}` });
  visitor.sendRaw(`{"v":1,"type":"chat.message","id":"visitor-msg-2","text":"${'x'.repeat(2001)}"}`);
  visitor.sendRaw(`${nickname} ${text}`);
  visitor.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: 'y'.repeat(32), lastSeq: 0 });
  await visitor.next('error');
  await visitor.next('error');
  await visitor.next('error');
  const badToken = `${await mintAdvisorToken({ id: 'x', name: nickname }, h.server.config, 60)}x`;
  const refused = await h
    .advisor('x', nickname, { protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${badToken}`] })
    .catch(() => 'refused');
  assert.equal(refused, 'refused');
  visitor.send({ type: 'chat.end' });
  await advisor.next('chat.event');
  await h.server.close();

  assert.ok(h.logs.length > 5, 'something was logged');
  assert.ok(h.logs.some((line) => JSON.parse(line).event === 'chat.ended'));
  const all = h.logs.join('\n');
  for (const secret of [
    nickname,
    'Versichertennummer',
    'A123456789',
    started.chatId,
    started.resumeToken,
    badToken.slice(0, 20),
    '127.0.0.1',
    'Anna',
  ]) {
    assert.ok(!all.includes(secret), `log contains "${secret}"`);
  }
});
