/**
 * The transfer's audit (`audit/chat-audit.ts`, a lifecycle subscriber): a member chat's transfer is recorded by the
 * advisor who handed it on, with the colleague's id or the topic and nothing else; an anonymous chat's is not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatAudit } from '../../../src/server/audit/chat-audit.js';

test('a member chat transfer is audited with ids only; an anonymous one not at all', () => {
  const records: unknown[][] = [];
  const subscriber = chatAudit({
    memberChatStarted: () => undefined,
    memberChatEnded: () => undefined,
    memberChatTransferred: (...args) => records.push(args),
  });
  const from = { id: 'adv-a', name: 'Anna' };
  const member = { sub: 'm-1', pseudonym: 'p-1' };
  const on = subscriber.on['chat.transferred']!;
  on({ chatId: 'chat-anon-1', member: undefined, from, to: { id: 'adv-b', name: 'Bernd' }, topic: undefined });
  assert.deepEqual(records, []);
  on({ chatId: 'chat-member-1', member, from, to: { id: 'adv-b', name: 'Bernd' }, topic: undefined });
  on({ chatId: 'chat-member-1', member, from, to: undefined, topic: 'leistungen' });
  assert.deepEqual(records, [
    ['adv-a', 'chat-member-1', { advisor: 'adv-b' }],
    ['adv-a', 'chat-member-1', { topic: 'leistungen' }],
  ]);
});
