/**
 * `/metrics` over real HTTP after real WebSocket traffic: the figures move with what happens, no label carries
 * anything of the traffic (chat id, nickname, advisor id or name), refusals by a limit are counted, and two servers
 * in one process keep their own counts.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { refusedStatus, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { rawRequest } from '../http-helpers.js';
import { scrape, valueOf } from './scrape.js';

const TERMS = defaults.terms.version;
const NICK = 'Nick-Metrics-93kq';
const ADVISOR_ID = 'adv-metrics-5zt2';
const ADVISOR_NAME = 'Anna Metrik';
const harnesses: Harness[] = [];

afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function started(...args: Parameters<typeof startServer>): Promise<Harness> {
  const h = await startServer(...args);
  harnesses.push(h);
  return h;
}

async function helloAdvisor(h: Harness, id = ADVISOR_ID, name = ADVISOR_NAME) {
  const advisor = await h.advisor(id, name);
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  await advisor.next('queue.snapshot');
  return advisor;
}

test('a chat started, messages both ways and its end move the gauges and counters; no label holds the traffic', async () => {
  const h = await started();
  const before = await scrape(h.url);
  assert.equal(valueOf(before, 'lotse_chats_started_total'), 0);
  assert.equal(valueOf(before, 'lotse_connections', { role: 'visitor' }), 0);
  assert.equal(valueOf(before, 'lotse_chats', { state: 'waiting' }), 0);
  // Node's process metrics, prefixed.
  assert.ok((valueOf(before, 'lotse_process_cpu_user_seconds_total') ?? -1) >= 0);
  assert.ok((valueOf(before, 'lotse_nodejs_heap_size_used_bytes') ?? 0) > 0);
  // Not those that walk every handle or descriptor at each scrape (a pause that grows with the sockets).
  assert.equal(valueOf(before, 'lotse_nodejs_active_handles_total'), undefined);
  assert.equal(valueOf(before, 'lotse_process_open_fds'), undefined);

  const advisor = await helloAdvisor(h);
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: NICK, termsVersion: TERMS, lang: 'de' });
  const { chatId } = await visitor.next('chat.started');
  await advisor.next('queue.snapshot');

  const waiting = await scrape(h.url);
  assert.equal(valueOf(waiting, 'lotse_connections', { role: 'visitor' }), 1);
  assert.equal(valueOf(waiting, 'lotse_connections', { role: 'advisor' }), 1);
  assert.equal(valueOf(waiting, 'lotse_chats', { state: 'waiting' }), 1);
  assert.equal(valueOf(waiting, 'lotse_chats', { state: 'active' }), 0);
  assert.equal(valueOf(waiting, 'lotse_chats_started_total'), 1);

  advisor.send({ type: 'queue.accept', chatId });
  await advisor.next('chat.assigned');
  await visitor.next('chat.event');
  visitor.send({ type: 'chat.message', id: 'msg-visitor-1', text: 'Hallo' });
  await advisor.next('chat.event');
  advisor.send({ type: 'chat.message', chatId, id: 'msg-advisor-1', text: 'Guten Tag' });
  await visitor.next('chat.event');
  await visitor.next('chat.event');

  const active = await scrape(h.url);
  assert.equal(valueOf(active, 'lotse_chats', { state: 'waiting' }), 0);
  assert.equal(valueOf(active, 'lotse_chats', { state: 'active' }), 1);
  assert.equal(valueOf(active, 'lotse_chat_messages_relayed_total', { from: 'visitor' }), 1);
  assert.equal(valueOf(active, 'lotse_chat_messages_relayed_total', { from: 'advisor' }), 1);

  visitor.send({ type: 'chat.end' });
  assert.equal((await visitor.next('chat.event')).event.kind, 'ended');
  await visitor.sync();
  const ended = await scrape(h.url);
  assert.equal(valueOf(ended, 'lotse_chats', { state: 'active' }), 0);
  assert.equal(valueOf(ended, 'lotse_chats_ended_total', { by: 'visitor' }), 1);
  assert.equal(valueOf(ended, 'lotse_chats_ended_total', { by: 'advisor' }), 0);
  // No store: no backlog, and no store call timed.
  assert.equal(valueOf(ended, 'lotse_webhook_backlog'), undefined);

  const seen = [chatId, NICK, ADVISOR_ID, ADVISOR_NAME, '127.0.0.1', 'Hallo', 'msg-visitor-1'];
  for (const scrapeOf of [waiting, active, ended]) {
    for (const sample of scrapeOf) {
      for (const value of Object.values(sample.labels)) {
        for (const secret of seen) assert.ok(!value.includes(secret), `${sample.name} has a label holding ${secret}`);
      }
    }
  }
  const text = (await rawRequest(h.url, '/metrics')).body;
  for (const secret of seen) assert.ok(!text.includes(secret), `/metrics holds ${secret}`);
});

test('refusals are counted by limit, and refused upgrades by reason', async () => {
  const h = await started({ limits: { maxWaitingChats: 1, maxWaitingChatsPerClient: 1 } });
  const first = await h.visitor();
  first.send({ type: 'chat.start', nickname: 'Ada', termsVersion: TERMS, lang: 'de' });
  await first.next('chat.started');
  // The same client again: over its share of the queue.
  const second = await h.visitor();
  second.send({ type: 'chat.start', nickname: 'Bea', termsVersion: TERMS, lang: 'de' });
  await second.next('error');
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/visitor`, ['lotse.v1'], 'https://evil.example'), 403);

  const samples = await scrape(h.url);
  assert.equal(valueOf(samples, 'lotse_limit_refusals_total', { limit: 'waiting_per_client' }), 1);
  assert.equal(valueOf(samples, 'lotse_limit_refusals_total', { limit: 'queue_full' }), 0);
  assert.equal(valueOf(samples, 'lotse_upgrades_refused_total', { reason: 'origin' }), 1);
  assert.equal(valueOf(samples, 'lotse_upgrades_refused_total', { reason: 'capacity' }), 0);
});

test('the queue full and the connection cap are counted', async () => {
  const h = await started({ limits: { maxWaitingChats: 1, maxConnections: 3, advisorReservedConnections: 0 } });
  const first = await h.visitor();
  first.send({ type: 'chat.start', nickname: 'Ada', termsVersion: TERMS, lang: 'de' });
  await first.next('chat.started');
  const second = await h.visitor();
  second.send({ type: 'chat.start', nickname: 'Bea', termsVersion: TERMS, lang: 'de' });
  await second.next('error');
  await h.visitor();
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/visitor`, ['lotse.v1']), 503);

  const samples = await scrape(h.url);
  assert.equal(valueOf(samples, 'lotse_limit_refusals_total', { limit: 'queue_full' }), 1);
  assert.equal(valueOf(samples, 'lotse_limit_refusals_total', { limit: 'connections' }), 1);
  assert.equal(valueOf(samples, 'lotse_upgrades_refused_total', { reason: 'capacity' }), 1);
});

test('two servers in one process keep their own counts', async () => {
  const a = await started();
  // Closed here, before the harness checks that nothing is left running after `a`.
  const b = await startServer();
  try {
    const visitor = await a.visitor();
    visitor.send({ type: 'chat.start', nickname: NICK, termsVersion: TERMS, lang: 'de' });
    await visitor.next('chat.started');

    const ofA = await scrape(a.url);
    const ofB = await scrape(b.url);
    assert.equal(valueOf(ofA, 'lotse_chats_started_total'), 1);
    assert.equal(valueOf(ofA, 'lotse_connections', { role: 'visitor' }), 1);
    assert.equal(valueOf(ofB, 'lotse_chats_started_total'), 0);
    assert.equal(valueOf(ofB, 'lotse_connections', { role: 'visitor' }), 0);
    // The process's own metrics are there on both.
    assert.ok(valueOf(ofB, 'lotse_process_start_time_seconds') !== undefined);
  } finally {
    await b.server.close();
  }
});
