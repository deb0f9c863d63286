/**
 * The hub over a chat event log that answers late and out of order (a shared store over the network does the
 * first; a log whose answers overtake each other is worse than any real one): every event still reaches both sides
 * once, numbered without gaps, in order, a resume in the middle of the traffic misses and doubles nothing, and the
 * `ended` event comes last.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { ChatEvent, SequencedEvent } from '../../../src/protocol/messages.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { MemoryChatEventLog } from '../../../src/server/state/chat-event-log.js';
import type { ChatEventLog } from '../../../src/server/state/chat-event-log.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The memory log, each answer held back 0 to 8 ms at random: later calls may well be answered first. */
class LateEventLog implements ChatEventLog {
  readonly inner = new MemoryChatEventLog();
  calls = 0;

  #late<T>(answer: Promise<T>): Promise<T> {
    this.calls += 1;
    return new Promise((resolve) => setTimeout(() => resolve(answer), Math.random() * 8));
  }
  append(chatId: string, event: ChatEvent): Promise<number> {
    return this.#late(this.inner.append(chatId, event));
  }
  after(chatId: string, lastSeq: number): Promise<SequencedEvent[]> {
    return this.#late(this.inner.after(chatId, lastSeq));
  }
  count(chatId: string): Promise<number> {
    return this.#late(this.inner.count(chatId));
  }
  retain(chatId: string, ms: number): Promise<void> {
    return this.#late(this.inner.retain(chatId, ms));
  }
  drop(chatId: string): Promise<void> {
    return this.#late(this.inner.drop(chatId));
  }
  own(): void {}
  release(): void {}
  restore(): Promise<void> {
    return Promise.resolve();
  }
}

function seqsOf(events: readonly SequencedEvent[]): number[] {
  return events.map((e) => e.seq);
}

test('a late, out-of-order event log: both sides get every event once, in order, across a resume', async () => {
  const events = new LateEventLog();
  const h = (harness = await startServer({}, { chatState: { events } }));
  const advisor = await h.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  const first = await h.visitor();
  first.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const started = await first.next('chat.started');
  // Written before the accept (the late log may still be appending them when the advisor joins).
  for (let i = 0; i < 5; i++) first.send({ type: 'chat.message', id: `visitor-early-${i}`, text: `früh ${i}` });
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  const assigned = await advisor.next('chat.assigned');

  // Both sides write at once; the visitor's page reloads in the middle of it.
  for (let i = 0; i < 20; i++) {
    first.send({ type: 'chat.message', id: `visitor-${i}`, text: `Frage ${i}` });
    advisor.send({ type: 'chat.message', chatId: started.chatId, id: `advisor-${i}`, text: `Antwort ${i}` });
  }
  await new Promise((resolve) => setTimeout(resolve, 30));
  const seenByFirst = first.history.flatMap((m) => (m.type === 'chat.event' ? [{ seq: m.seq, event: m.event }] : []));
  const second = await h.visitor();
  second.send({
    type: 'chat.resume',
    chatId: started.chatId,
    resumeToken: started.resumeToken,
    lastSeq: seenByFirst.at(-1)?.seq ?? 0,
  });
  const resumed = await second.next('chat.resumed');
  // As the visitor's client does: what the old socket sent and never heard back is sent again, in order (the old
  // socket's messages still waiting for their turn were dropped with it).
  const confirmed = new Set(
    [...seenByFirst, ...resumed.events].flatMap(({ event }) => (event.kind === 'message' ? [event.id] : [])),
  );
  for (let i = 0; i < 20; i++) {
    if (!confirmed.has(`visitor-${i}`)) second.send({ type: 'chat.message', id: `visitor-${i}`, text: `Frage ${i}` });
  }
  for (let i = 20; i < 25; i++) {
    second.send({ type: 'chat.message', id: `visitor-${i}`, text: `Frage ${i}` });
    advisor.send({ type: 'chat.message', chatId: started.chatId, id: `advisor-${i}`, text: `Antwort ${i}` });
  }
  // A message sent again (the client did not hear its echo) is not appended twice.
  second.send({ type: 'chat.message', id: 'visitor-24', text: 'Frage 24' });
  const until = Date.now() + 10_000;
  const seen = (list: readonly { type: string; event?: ChatEvent }[], match: (event: ChatEvent) => boolean) =>
    list.some((m) => m.type === 'chat.event' && m.event !== undefined && match(m.event));
  const wait = async (done: () => boolean): Promise<void> => {
    while (!done()) {
      if (Date.now() > until) throw new Error('timed out waiting for the events');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const isMessage = (id: string) => (event: ChatEvent) => event.kind === 'message' && event.id === id;
  // Both sides' last messages are in before the advisor ends the chat (a message after the end is refused).
  await wait(() => seen(second.history, isMessage('visitor-24')) && seen(second.history, isMessage('advisor-24')));
  await second.sync();
  advisor.send({ type: 'chat.end', chatId: started.chatId });
  const ended = (event: ChatEvent): boolean => event.kind === 'ended';
  await wait(() => seen(second.history, ended) && seen(advisor.history, ended));

  const total = 1 + 5 + 50 + 1; // joined, early messages, both sides' 25 each, ended
  const expected = Array.from({ length: total }, (_, i) => i + 1);
  // The visitor: what the first socket got, the resume's events, then the second socket's.
  const visitorEvents = [
    ...seenByFirst,
    ...resumed.events,
    ...second.history.flatMap((m) => (m.type === 'chat.event' ? [{ seq: m.seq, event: m.event }] : [])),
  ];
  assert.deepEqual(seqsOf(visitorEvents).slice(0, 5), [1, 2, 3, 4, 5], 'the first events in order');
  assert.deepEqual(
    seqsOf(visitorEvents),
    expected,
    `the visitor: every event once, in order: ${visitorEvents.map((e) => `${e.seq}:${e.event.kind === 'message' ? e.event.id : e.event.kind}`).join(' ')}`,
  );
  const advisorEvents = [
    ...assigned.events,
    ...advisor.history.flatMap((m) =>
      m.type === 'chat.event' && m.chatId === started.chatId ? [{ seq: m.seq, event: m.event }] : [],
    ),
  ];
  assert.deepEqual(seqsOf(advisorEvents), expected, 'the advisor: every event once, in order');
  assert.equal(visitorEvents.at(-1)?.event.kind, 'ended');
  assert.deepEqual(
    visitorEvents.flatMap(({ event }) => (event.kind === 'message' && event.from === 'visitor' ? [event.id] : [])),
    [
      ...Array.from({ length: 5 }, (_, i) => `visitor-early-${i}`),
      ...Array.from({ length: 25 }, (_, i) => `visitor-${i}`),
    ],
    "the visitor's messages in the order they were written",
  );
  assert.ok(
    !first.history.some((m) => m.type === 'error'),
    JSON.stringify(first.history.filter((m) => m.type === 'error')),
  );
  assert.ok(!advisor.history.some((m) => m.type === 'error'));
  assert.ok(!second.history.some((m) => m.type === 'error'), 'nothing refused (within the rate limits)');
  assert.ok(events.calls >= total, 'the hub went through the late log');
  const close = await first.closed;
  assert.equal(close.code, 4002, 'the first socket was replaced by the resume');
  assert.equal(events.inner.size, 0, 'the ended chat left nothing in the log');
});
