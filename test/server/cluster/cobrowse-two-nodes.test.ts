/**
 * Co-browsing across two Lotse nodes on one real Redis, as behind a round-robin load balancer: the session lives on
 * the node whose advisor socket created it, and the visitor who types the webcode, and either side after a
 * reconnect, may reach the other node (`src/server/cluster/cobrowse-routing.ts`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '@redis/client';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { useNodes } from './nodes.js';
import type { Nodes } from './nodes.js';
import { COBROWSE_TERMS, newCode, readyAdvisor } from '../cobrowse/cobrowse-helpers.js';
import type { AdvisorClient, VisitorClient } from '../cobrowse/cobrowse-helpers.js';

const nodes = useNodes();
const twoNodes = (): ReturnType<Nodes['two']> => nodes.two();

/** Sends `count` signals from one side and checks the other hears them all, in order. */
async function signals(
  from: VisitorClient | AdvisorClient,
  to: VisitorClient | AdvisorClient,
  sessionId: string,
  label: string,
): Promise<void> {
  const sent = [1, 2, 3, 4, 5].map((n) => JSON.stringify({ label, n }));
  for (const signal of sent) (from as AdvisorClient).send({ type: 'cobrowse.signal', sessionId, signal });
  const heard: string[] = [];
  for (let i = 0; i < sent.length; i++) heard.push((await (to as AdvisorClient).next('cobrowse.signal')).signal);
  assert.deepEqual(heard, sent, `${label}: every signal, in order`);
}

test('a webcode of node A entered on node B: join, consent, start, signals both ways, resumes on A and B, end', async () => {
  const [a, b] = await twoNodes();
  const advisor = await readyAdvisor(a);
  const code = await newCode(advisor);
  const visitor = await b.visitor();
  visitor.send({ type: 'cobrowse.join', webcode: code.webcode });
  assert.equal((await visitor.next('cobrowse.pending')).sessionId, code.sessionId);
  assert.equal((await advisor.next('cobrowse.joined')).sessionId, code.sessionId);

  // The webcode worked once, on either node.
  for (const node of [a, b]) {
    const other = await node.visitor();
    other.send({ type: 'cobrowse.join', webcode: code.webcode });
    assert.equal((await other.next('error')).code, 'LOTSE_ERR_INVALID_CODE');
    await other.close();
  }

  visitor.send({ type: 'cobrowse.consent', sessionId: code.sessionId, termsVersion: COBROWSE_TERMS });
  const { startCode } = await visitor.next('cobrowse.startcode');
  await advisor.next('cobrowse.consented');
  advisor.send({ type: 'cobrowse.start', sessionId: code.sessionId, startCode });
  const started = await visitor.next('cobrowse.started');
  assert.equal(started.initiator, true);
  assert.equal((await advisor.next('cobrowse.started')).initiator, false);
  await signals(visitor, advisor, code.sessionId, 'offer from B');
  await signals(advisor, visitor, code.sessionId, 'answer from A');

  // The visitor's next page reaches node A, then node B again: each resumes the session.
  let current = visitor;
  for (const node of [a, b]) {
    await current.close();
    current = await node.visitor();
    current.send({ type: 'cobrowse.resume', sessionId: code.sessionId, resumeToken: started.resumeToken ?? '' });
    assert.equal((await current.next('cobrowse.started')).sessionId, code.sessionId);
    assert.equal((await advisor.next('cobrowse.started')).sessionId, code.sessionId);
    await signals(current, advisor, code.sessionId, 'after a resume');
    await signals(advisor, current, code.sessionId, 'to the resumed page');
  }

  current.send({ type: 'cobrowse.end', sessionId: code.sessionId });
  assert.equal((await current.next('cobrowse.ended')).by, 'visitor');
  assert.equal((await advisor.next('cobrowse.ended')).by, 'visitor');
  assert.equal(a.server.cobrowse.sessionCount, 0);
});

test("the advisor's console moves to node B: it hears where the session stands, starts, signals and ends it", async () => {
  const [a, b] = await twoNodes();
  const first = await readyAdvisor(a, 'adv-m', 'Mia');
  const code = await newCode(first);
  await first.close();
  const visitor = await b.visitor();
  visitor.send({ type: 'cobrowse.join', webcode: code.webcode });
  await visitor.next('cobrowse.pending');
  visitor.send({ type: 'cobrowse.consent', sessionId: code.sessionId, termsVersion: COBROWSE_TERMS });
  const { startCode } = await visitor.next('cobrowse.startcode');

  // Node A answers the hello on node B: the session waits for the start code.
  const advisor = await readyAdvisor(b, 'adv-m', 'Mia');
  assert.equal((await advisor.next('cobrowse.consented')).sessionId, code.sessionId);
  advisor.send({ type: 'cobrowse.start', sessionId: code.sessionId, startCode });
  await visitor.next('cobrowse.started');
  await advisor.next('cobrowse.started');
  await signals(visitor, advisor, code.sessionId, 'visitor on B, session on A');
  await signals(advisor, visitor, code.sessionId, 'advisor on B, session on A');

  advisor.send({ type: 'cobrowse.end', sessionId: code.sessionId });
  assert.equal((await visitor.next('cobrowse.ended')).by, 'advisor');
  assert.equal((await advisor.next('cobrowse.ended')).by, 'advisor');
  assert.equal(a.server.cobrowse.sessionCount, 0);
});

test('a session whose owner is gone: its webcode, resume and signals are answered at once', async () => {
  const [, b, shared] = await twoNodes();
  const lost = `${'x'.repeat(21)}_0b5c1e2a-dead-4c0d-9e1f-000000000000`;
  const client = createClient({ url: shared.url });
  await client.connect();
  await client.set('lotse:code:webcode:424242', lost, { PX: 60_000 });
  await client.close();

  const visitor = await b.visitor();
  visitor.send({ type: 'cobrowse.join', webcode: '424242' });
  assert.equal((await visitor.next('error')).code, 'LOTSE_ERR_INVALID_CODE');
  visitor.send({ type: 'cobrowse.resume', sessionId: lost, resumeToken: 'y'.repeat(32) });
  assert.deepEqual(
    { ...(await visitor.next('error')), message: '' },
    { v: 1, type: 'error', code: 'LOTSE_ERR_INVALID_CODE', message: '', ref: lost },
  );
  const advisor = await readyAdvisor(b);
  advisor.send({ type: 'cobrowse.signal', sessionId: lost, signal: '{"sdp":1}' });
  assert.equal((await advisor.next('error')).ref, lost);
  assert.ok(b.logs.some((line) => line.includes('"node.gone"')));
});

test("a webcode offered in a chat that node A owns, by its advisor on node B: the session is B's; another advisor is refused", async () => {
  const [a, b] = await twoNodes();
  const visitor = await a.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: defaults.terms.version, lang: 'de' });
  const { chatId } = await visitor.next('chat.started');
  const advisor = await readyAdvisor(b);
  advisor.send({ type: 'queue.accept', chatId });
  await advisor.next('chat.assigned');

  advisor.send({ type: 'cobrowse.code.create', chatId });
  const code = await advisor.next('cobrowse.code');
  assert.equal(code.chatId, chatId);
  assert.equal(b.server.cobrowse.sessionCount, 1, 'the session lives with the advisor socket, on B');
  assert.equal(a.server.cobrowse.sessionCount, 0);
  const joining = await a.visitor();
  joining.send({ type: 'cobrowse.join', webcode: code.webcode });
  assert.equal((await joining.next('cobrowse.pending')).sessionId, code.sessionId);

  // An advisor who does not hold the chat gets no webcode for it, on either node.
  for (const node of [a, b]) {
    const stranger = await readyAdvisor(node, 'adv-x', 'Xaver');
    stranger.send({ type: 'cobrowse.code.create', chatId });
    assert.equal((await stranger.next('error')).code, 'LOTSE_ERR_UNKNOWN_CHAT');
    await stranger.close();
  }
});
