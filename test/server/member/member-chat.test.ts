/**
 * Member chat through a real server and real `ws` clients: verified identity for the advisor, refusals for bad
 * tokens, resume with a fresh token, message order while a (slow) key server answers. No storage here: member
 * chats work in memory without one (member-store.test.ts covers what is written).
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import type { VisitorToServer } from '../../../src/protocol/messages.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { startServer } from '../helpers.js';
import type { ConfigOverrides, Harness } from '../helpers.js';
import { rawRequest } from '../http-helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea, startJwksServer } from './member-keys.js';
import type { MemberClaims } from './member-keys.js';

const TERMS = defaults.terms.version;
const ERIKA = { kind: 'member', name: 'Erika Mustermann', insuranceNumber: 'A123456780', lang: 'de' } as const;
const area = await createMemberArea();
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function memberServer(overrides: ConfigOverrides = {}): Promise<Harness> {
  return startServer({
    member: { tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] } },
    ...overrides,
  }).then((h) => (harness = h));
}

type Advisor = Awaited<ReturnType<Harness['advisor']>>;

async function readyAdvisor(h: Harness): Promise<Advisor> {
  const advisor = await h.advisor('adv-m', 'Maria Beraterin');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  await advisor.next('queue.snapshot');
  return advisor;
}

async function memberStart(
  h: Harness,
  claims: MemberClaims = {},
  extra: Partial<Extract<VisitorToServer, { type: 'chat.start' }>> = {},
) {
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', memberToken: await area.mint(claims), termsVersion: TERMS, lang: 'de', ...extra });
  return visitor;
}

test('a verified member: the advisor sees name and insurance number in the queue and in chat.assigned; a typed nickname is ignored', async () => {
  const h = await memberServer();
  const advisor = await readyAdvisor(h);
  const visitor = await memberStart(h, {}, { nickname: 'Falscher Name' });
  const started = await visitor.next('chat.started');
  const queue = await advisor.next('queue.snapshot');
  assert.deepEqual(
    queue.items.map((item) => item.visitor),
    [ERIKA],
  );
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  const assigned = await advisor.next('chat.assigned');
  assert.deepEqual(assigned.visitor, ERIKA);
  assert.ok(!advisor.frames.some((frame) => frame.includes('Falscher Name')), 'the typed nickname reaches no advisor');
  assert.ok(!advisor.frames.some((frame) => frame.includes('member-4711')), 'the member id (sub) is never sent');
  assert.ok(!visitor.frames.some((frame) => frame.includes('member-4711')), 'nor to the visitor');
  visitor.send({ type: 'chat.message', id: 'm-visitor-1', text: 'Frage zu meinem Bonusheft' });
  const event = await advisor.next('chat.event');
  assert.equal(event.event.kind === 'message' && event.event.text, 'Frage zu meinem Bonusheft');
  assert.equal(h.server.hub.chats.get(started.chatId)?.member?.sub, 'member-4711', 'the sub is kept on the server');
});

for (const [label, claims, code] of [
  ['forged (signed with another key)', 'forged', ErrorCode.TokenInvalid],
  ['expired', { iatOffset: -600, lifetime: 120 }, ErrorCode.TokenExpired],
  ['for another audience', { aud: 'other-app' }, ErrorCode.TokenInvalid],
  ['from another issuer', { iss: 'https://evil.example' }, ErrorCode.TokenInvalid],
  ['too long-lived', { lifetime: 3600 }, ErrorCode.TokenInvalid],
] as const) {
  test(`a token ${label}: ${code}, and no chat`, async () => {
    const h = await memberServer();
    const advisor = await readyAdvisor(h);
    const visitor = await h.visitor();
    const token = claims === 'forged' ? await (await createMemberArea(area.kid)).mint() : await area.mint(claims);
    visitor.send({ type: 'chat.start', memberToken: token, nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
    const error = await visitor.next('error');
    assert.deepEqual([error.code, error.ref], [code, 'chat.start']);
    assert.doesNotMatch(error.message, /Erika|A123456780|member-4711/);
    assert.equal(h.server.hub.chats.size, 0);
    visitor.send({ type: 'chat.message', id: 'm-after-refusal', text: 'Hallo?' });
    assert.equal((await visitor.next('error')).code, ErrorCode.InvalidState);
    await advisor.sync();
    assert.deepEqual(advisor.take('queue.snapshot'), [], 'nothing reached the queue');
    assert.equal(visitor.take('chat.started').length, 0);
  });
}

test('member chat not configured: a member token gets TOKEN_INVALID, an anonymous start still works', async () => {
  const h = (harness = await startServer());
  const visitor = await h.visitor();
  visitor.send({
    type: 'chat.start',
    memberToken: await area.mint(),
    nickname: 'Gast',
    termsVersion: TERMS,
    lang: 'de',
  });
  assert.equal((await visitor.next('error')).code, ErrorCode.TokenInvalid);
  assert.equal(h.server.hub.chats.size, 0);
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  await visitor.next('chat.started');
});

test('an anonymous start needs a nickname', async () => {
  const h = await memberServer();
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', termsVersion: TERMS, lang: 'de' });
  const error = await visitor.next('error');
  assert.deepEqual([error.code, error.ref], [ErrorCode.Malformed, 'chat.start']);
  assert.equal(h.server.hub.chats.size, 0);
});

test('an anonymous card never carries member fields, whatever the client sends', async () => {
  const h = await memberServer();
  const advisor = await readyAdvisor(h);
  const visitor = await h.visitor();
  visitor.sendRaw(
    JSON.stringify({
      v: 1,
      type: 'chat.start',
      nickname: 'Kim',
      name: 'Erika Mustermann',
      insuranceNumber: 'A123456780',
      kind: 'member',
      visitor: ERIKA,
      termsVersion: TERMS,
      lang: 'de',
    }),
  );
  const started = await visitor.next('chat.started');
  assert.deepEqual(
    (await advisor.next('queue.snapshot')).items.map((item) => item.visitor),
    [{ kind: 'anonymous', nickname: 'Kim', lang: 'de' }],
  );
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  assert.deepEqual((await advisor.next('chat.assigned')).visitor, { kind: 'anonymous', nickname: 'Kim', lang: 'de' });
  assert.equal(h.server.hub.chats.get(started.chatId)?.member, undefined);
  // A member token on the resume of an anonymous chat does not make it a member chat.
  const back = await h.visitor();
  back.send({
    type: 'chat.resume',
    chatId: started.chatId,
    resumeToken: started.resumeToken,
    lastSeq: 0,
    memberToken: await area.mint(),
  });
  await back.next('chat.resumed');
  assert.deepEqual(h.server.hub.chats.get(started.chatId)?.visitor, { kind: 'anonymous', nickname: 'Kim', lang: 'de' });
  assert.equal(h.server.hub.chats.get(started.chatId)?.member, undefined);
  assert.ok(!advisor.frames.some((frame) => frame.includes('A123456780')));
});

test('resume: a fresh token of the same member works; expired keeps the chat; another member or none is refused', async () => {
  const h = await memberServer({ chat: { abandonAfterSeconds: 60 } });
  const advisor = await readyAdvisor(h);
  const first = await memberStart(h);
  const started = await first.next('chat.started');
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  await advisor.next('chat.assigned');
  await first.next('chat.event'); // joined
  first.send({ type: 'chat.message', id: 'm-before-drop', text: 'Vor dem Abbruch' });
  await first.next('chat.event');
  await advisor.next('chat.event');
  await first.close();

  const back = await h.visitor();
  const resume = { type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 } as const;
  back.send({ ...resume, memberToken: await area.mint({ iatOffset: -600, lifetime: 120 }) });
  assert.deepEqual([(await back.next('error')).code], [ErrorCode.TokenExpired]);
  assert.ok(h.server.hub.chats.get(started.chatId) !== undefined, 'an expired token keeps the chat');

  back.send({ ...resume, memberToken: await area.mint({ sub: 'member-0815', name: 'Max Mustermann' }) });
  assert.equal((await back.next('error')).code, ErrorCode.TokenInvalid);
  back.send(resume);
  assert.equal((await back.next('error')).code, ErrorCode.TokenInvalid);
  back.send({ ...resume, memberToken: await (await createMemberArea(area.kid)).mint() });
  assert.equal((await back.next('error')).code, ErrorCode.TokenInvalid);
  assert.equal(back.take('chat.resumed').length, 0);

  back.send({ ...resume, memberToken: await area.mint() });
  const resumed = await back.next('chat.resumed');
  assert.deepEqual(
    resumed.events.map((e) => e.event.kind === 'message' && e.event.text),
    ['Vor dem Abbruch'],
  );
  back.send({ type: 'chat.message', id: 'm-after-resume', text: 'Wieder da' });
  const event = await advisor.next('chat.event');
  assert.equal(event.event.kind === 'message' && event.event.text, 'Wieder da');
  assert.deepEqual(h.server.hub.chats.get(started.chatId)?.visitor, ERIKA);
});

test('a member chat that ended while the member was away: its last events only with a token of that member', async () => {
  const h = await memberServer({ chat: { abandonAfterSeconds: 60 } });
  const advisor = await readyAdvisor(h);
  const first = await memberStart(h);
  const started = await first.next('chat.started');
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  await advisor.next('chat.assigned');
  await first.close();
  advisor.send({ type: 'chat.end', chatId: started.chatId });
  await advisor.next('chat.event');
  const back = await h.visitor();
  const resume = { type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 0 } as const;
  back.send({ ...resume, memberToken: await area.mint({ sub: 'member-0815' }) });
  assert.equal((await back.next('error')).code, ErrorCode.TokenInvalid);
  back.send({ ...resume, memberToken: await area.mint() });
  const resumed = await back.next('chat.resumed');
  assert.deepEqual(
    resumed.events.map((e) => e.event.kind),
    ['joined', 'ended'],
  );
});

test('a repeated start id takes over a member chat only with a token of that member', async () => {
  const h = await memberServer();
  const first = await memberStart(h, {}, { startId: 'start-id-member-1' });
  const started = await first.next('chat.started');
  const other = await memberStart(h, { sub: 'member-0815' }, { startId: 'start-id-member-1' });
  assert.equal((await other.next('error')).code, ErrorCode.TokenInvalid);
  const anonymous = await h.visitor();
  anonymous.send({
    type: 'chat.start',
    startId: 'start-id-member-1',
    nickname: 'Gast',
    termsVersion: TERMS,
    lang: 'de',
  });
  assert.equal((await anonymous.next('error')).code, ErrorCode.TokenInvalid);
  const same = await memberStart(h, {}, { startId: 'start-id-member-1' });
  assert.equal((await same.next('chat.started')).chatId, started.chatId);
  assert.equal(h.server.hub.chats.size, 1);
});

test('messages sent right behind the start wait for the (slow) key server and keep their order', async () => {
  const jwks = await startJwksServer([area.publicJwk], 150);
  try {
    const h = await memberServer({
      member: { tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, jwksUrl: jwks.url } },
    });
    const advisor = await readyAdvisor(h);
    const visitor = await h.visitor();
    visitor.send({ type: 'chat.start', memberToken: await area.mint(), termsVersion: TERMS, lang: 'de' });
    for (let i = 1; i <= 3; i++) visitor.send({ type: 'chat.message', id: `m-burst-${i}`, text: `Nachricht ${i}` });
    visitor.send({ type: 'chat.typing', typing: true });
    await visitor.sync();
    const order = visitor.history.map((m) =>
      m.type === 'chat.event' && m.event.kind === 'message' ? m.event.id : m.type,
    );
    assert.deepEqual(order, ['chat.started', 'm-burst-1', 'm-burst-2', 'm-burst-3', 'session.pong']);
    assert.deepEqual(visitor.take('error'), []);
    assert.equal(jwks.fetches, 1);
    const queue = await advisor.next('queue.snapshot');
    assert.deepEqual(
      queue.items.map((item) => [item.visitor, item.firstMessage]),
      [[ERIKA, 'Nachricht 1']],
    );
  } finally {
    await jwks.close();
  }
});

test('a socket closed while its token is verified starts nothing', async () => {
  const jwks = await startJwksServer([area.publicJwk], 300);
  try {
    const h = await memberServer({
      member: { tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, jwksUrl: jwks.url } },
    });
    const visitor = await h.visitor();
    const closedLogged = h.nextLog((line) => line['event'] === 'connection.closed' && line['role'] === 'visitor');
    visitor.send({ type: 'chat.start', memberToken: await area.mint(), termsVersion: TERMS, lang: 'de' });
    visitor.send({ type: 'chat.message', id: 'm-lost-socket', text: 'Weg' });
    await visitor.close();
    await closedLogged;
    // A second member's start waits for the same key fetch and settles after the first: once it has its chat,
    // the first socket's verification has settled too.
    const probe = await memberStart(h, { sub: 'member-0815' });
    const started = await probe.next('chat.started');
    assert.equal(jwks.fetches, 1, 'both waited for one fetch');
    assert.equal(h.server.hub.chats.size, 1);
    assert.ok(h.server.hub.chats.get(started.chatId) !== undefined);
  } finally {
    await jwks.close();
  }
});

async function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; cacheControl: string | undefined; body: string }> {
  const { status, headers: answer, body } = await rawRequest(base, path, { headers });
  const cacheControl = answer['cache-control'];
  return { status, cacheControl: typeof cacheControl === 'string' ? cacheControl : undefined, body };
}

test('demo mode without member tokens: GET /demo/member-token hands this machine a token for Erika Mustermann', async () => {
  const h = (harness = await startServer({ demo: true }));
  const reply = await get(h.url, '/demo/member-token');
  assert.deepEqual([reply.status, reply.cacheControl], [200, 'no-store']);
  const { token } = JSON.parse(reply.body) as { token: string };
  const advisor = await readyAdvisor(h);
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', memberToken: token, termsVersion: TERMS, lang: 'de' });
  await visitor.next('chat.started');
  assert.deepEqual(
    (await advisor.next('queue.snapshot')).items.map((item) => item.visitor),
    [ERIKA],
  );
  const { port } = new URL(h.url);
  assert.equal((await get(h.url, '/demo/member-token', { Host: `evil.example:${port}` })).status, 403, 'DNS rebinding');
  assert.equal(
    (await get(h.url, '/demo/member-token', { 'X-Forwarded-For': '198.51.100.7' })).status,
    403,
    'through a proxy',
  );
  // A token of this demo is useless on another demo server (its own key pair).
  const other = await startServer({ demo: true });
  try {
    const stranger = await other.visitor();
    stranger.send({ type: 'chat.start', memberToken: token, termsVersion: TERMS, lang: 'de' });
    assert.equal((await stranger.next('error')).code, ErrorCode.TokenInvalid);
    await stranger.close();
  } finally {
    // Not `other.close()`: that checks for handles left, and the first server is still running.
    await other.server.close();
  }
});

test('no demo member token outside demo mode, nor when member tokens are configured', async () => {
  const plain = await memberServer();
  assert.equal((await get(plain.url, '/demo/member-token')).status, 404);
  await plain.close();
  harness = undefined;
  const h = await memberServer({ demo: true });
  assert.equal((await get(h.url, '/demo/member-token')).status, 404);
  const visitor = await memberStart(h);
  assert.equal(
    (await visitor.next('chat.started')).chatId.length > 0,
    true,
    'the configured member area works in demo mode',
  );
});
