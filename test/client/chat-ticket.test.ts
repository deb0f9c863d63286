import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatTicket } from '../../src/client/chat-ticket.js';

test("the page's topic goes with chat.start when it has a topic's shape, and into the snapshot for the next page", () => {
  const ticket = new ChatTicket();
  ticket.begin('Kim', 'v1', 'de', 'leistungen');
  const hello = ticket.hello(0, undefined);
  assert.equal(hello?.type === 'chat.start' ? hello.topic : 'none', 'leistungen');
  const snapshot = ticket.snapshot([]);
  assert.equal(snapshot?.start.topic, 'leistungen');
  const again = ChatTicket.restored({ start: snapshot!.start, outbox: [] }, false).hello(0, undefined);
  assert.equal(again?.type === 'chat.start' ? again.topic : 'none', 'leistungen');

  for (const unfit of ['Leistungen', 'a b', '', 'x'.repeat(40)]) {
    const other = new ChatTicket();
    other.begin('Kim', 'v1', 'de', unfit);
    const start = other.hello(0, undefined);
    assert.ok(start?.type === 'chat.start' && !('topic' in start), `"${unfit}" is left out: the general queue`);
  }
});
