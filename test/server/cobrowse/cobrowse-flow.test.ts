import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import {
  RATE_BURST,
  RESUME_TOKEN_LENGTH,
  SIGNAL_RATE_BURST,
  START_CODE_MAX_WRONG,
  START_CODE_PATTERN,
  START_CODE_TTL_MS,
} from '../../../src/protocol/limits.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { ORIGIN, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import {
  COBROWSE_TERMS,
  consentedSession,
  joinedSession,
  liveSession,
  newCode,
  readyAdvisor,
  wrongStartCode,
} from './cobrowse-helpers.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('the whole flow, message by message: code, join, consent, start code, start, signal, end', async () => {
  const h = (harness = await startServer());
  const advisor = await readyAdvisor(h);
  const before = Date.now();
  advisor.send({ type: 'cobrowse.code.create' });
  const code = await advisor.next('cobrowse.code');
  assert.match(code.webcode, /^\d{6}$/);
  assert.equal(code.chatId, undefined);
  const ttl = defaults.cobrowse.webcodeTtlMinutes * 60_000;
  assert.ok(code.expiresAt >= before + ttl && code.expiresAt <= Date.now() + ttl);

  // Typed with spaces, as people read it out.
  const visitor = await h.visitor();
  visitor.send({ type: 'cobrowse.join', webcode: `${code.webcode.slice(0, 3)} ${code.webcode.slice(3)}` });
  assert.deepEqual(await visitor.next('cobrowse.pending'), {
    v: 1,
    type: 'cobrowse.pending',
    sessionId: code.sessionId,
    advisor: 'Anna Beraterin',
  });
  assert.deepEqual(await advisor.next('cobrowse.joined'), { v: 1, type: 'cobrowse.joined', sessionId: code.sessionId });

  visitor.send({ type: 'cobrowse.consent', sessionId: code.sessionId, termsVersion: COBROWSE_TERMS });
  const startcode = await visitor.next('cobrowse.startcode');
  assert.match(startcode.startCode, START_CODE_PATTERN);
  assert.ok(startcode.expiresAt > Date.now() && startcode.expiresAt <= Date.now() + START_CODE_TTL_MS);
  assert.deepEqual(await advisor.next('cobrowse.consented'), {
    v: 1,
    type: 'cobrowse.consented',
    sessionId: code.sessionId,
    expiresAt: startcode.expiresAt,
  });

  // Typed in lower case with a separator: still the same code.
  const typed = `${startcode.startCode.slice(0, 4)}-${startcode.startCode.slice(4)}`.toLowerCase();
  advisor.send({ type: 'cobrowse.start', sessionId: code.sessionId, startCode: typed });
  const visitorStarted = await visitor.next('cobrowse.started');
  const advisorStarted = await advisor.next('cobrowse.started');
  assert.equal(visitorStarted.resumeToken.length, RESUME_TOKEN_LENGTH);
  assert.deepEqual(visitorStarted, {
    v: 1,
    type: 'cobrowse.started',
    sessionId: code.sessionId,
    resumeToken: visitorStarted.resumeToken,
    iceServers: [],
    iceTransportPolicy: 'all',
    link: 1,
    initiator: true,
    advisor: 'Anna Beraterin',
  });
  // The replay may load from the allowed page origins (no cobrowse.assetOrigins configured); the visitor is not told.
  assert.deepEqual(advisorStarted, {
    v: 1,
    type: 'cobrowse.started',
    sessionId: code.sessionId,
    iceServers: [],
    iceTransportPolicy: 'all',
    link: 1,
    initiator: false,
    assetOrigins: [ORIGIN],
  });

  const offer = JSON.stringify({ type: 'offer', sdp: 'v=0 …' });
  const answer = JSON.stringify({ type: 'answer', sdp: 'v=0 …' });
  visitor.send({ type: 'cobrowse.signal', sessionId: code.sessionId, signal: offer });
  assert.equal((await advisor.next('cobrowse.signal')).signal, offer);
  advisor.send({ type: 'cobrowse.signal', sessionId: code.sessionId, signal: answer });
  assert.equal((await visitor.next('cobrowse.signal')).signal, answer);

  visitor.send({ type: 'cobrowse.end', sessionId: code.sessionId });
  assert.deepEqual(await visitor.next('cobrowse.ended'), {
    v: 1,
    type: 'cobrowse.ended',
    sessionId: code.sessionId,
    by: 'visitor',
  });
  assert.deepEqual(await advisor.next('cobrowse.ended'), {
    v: 1,
    type: 'cobrowse.ended',
    sessionId: code.sessionId,
    by: 'visitor',
  });
  assert.equal(h.server.cobrowse.sessionCount, 0);
  assert.equal(h.server.cobrowse.activeWebcodeCount, 0);

  assert.deepEqual(
    visitor.history.map((m) => m.type),
    ['cobrowse.pending', 'cobrowse.startcode', 'cobrowse.started', 'cobrowse.signal', 'cobrowse.ended'],
  );
  assert.deepEqual(
    advisor.history.map((m) => m.type),
    [
      'advisor.welcome',
      'queue.snapshot',
      'cobrowse.code',
      'cobrowse.joined',
      'cobrowse.consented',
      'cobrowse.started',
      'cobrowse.signal',
      'cobrowse.ended',
    ],
  );
});

test('the advisor ends a live session; an offered one ends too and its webcode is gone', async () => {
  const h = (harness = await startServer());
  const { advisor, visitor, sessionId } = await liveSession(h);
  advisor.send({ type: 'cobrowse.end', sessionId });
  assert.equal((await visitor.next('cobrowse.ended')).by, 'advisor');
  assert.equal((await advisor.next('cobrowse.ended')).by, 'advisor');

  const code = await newCode(advisor);
  advisor.send({ type: 'cobrowse.end', sessionId: code.sessionId });
  assert.equal((await advisor.next('cobrowse.ended')).by, 'advisor');
  visitor.send({ type: 'cobrowse.join', webcode: code.webcode });
  assert.equal((await visitor.next('error')).code, ErrorCode.InvalidCode);
  // Ending a session that is gone, or one that is not yours, is refused the same way.
  advisor.send({ type: 'cobrowse.end', sessionId: code.sessionId });
  assert.deepEqual((await advisor.next('error')).code, ErrorCode.InvalidState);
});

test('a code for a held chat names the chat; a chat the advisor does not hold is refused; a chatting visitor joins', async () => {
  const h = (harness = await startServer());
  const advisor = await readyAdvisor(h);
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: h.server.config.terms.version, lang: 'de' });
  const { chatId } = await visitor.next('chat.started');
  advisor.send({ type: 'cobrowse.code.create', chatId });
  assert.deepEqual(await advisor.next('error'), {
    v: 1,
    type: 'error',
    code: ErrorCode.UnknownChat,
    message: 'unknown chat',
    ref: chatId,
  });
  advisor.send({ type: 'queue.accept', chatId });
  await advisor.next('chat.assigned');
  advisor.send({ type: 'cobrowse.code.create', chatId });
  const code = await advisor.next('cobrowse.code');
  assert.equal(code.chatId, chatId);

  visitor.send({ type: 'cobrowse.join', webcode: code.webcode });
  assert.equal((await visitor.next('cobrowse.pending')).sessionId, code.sessionId);
  // The chat goes on beside it.
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Ich sehe die Bedingungen.' });
  assert.equal((await advisor.next('chat.event')).event.kind, 'message');
});

test('consent: wrong terms version refused, then accepted; only by the socket that joined; only once', async () => {
  const h = (harness = await startServer());
  const { advisor, visitor, sessionId } = await joinedSession(h);
  visitor.send({ type: 'cobrowse.consent', sessionId, termsVersion: '1999-01' });
  assert.deepEqual(await visitor.next('error'), {
    v: 1,
    type: 'error',
    code: ErrorCode.TermsOutdated,
    message: 'the co-browse terms have changed; please confirm them again',
    ref: sessionId,
  });
  const stranger = await h.visitor();
  stranger.send({ type: 'cobrowse.consent', sessionId, termsVersion: COBROWSE_TERMS });
  assert.equal((await stranger.next('error')).code, ErrorCode.InvalidState);
  visitor.send({ type: 'cobrowse.consent', sessionId, termsVersion: COBROWSE_TERMS });
  await visitor.next('cobrowse.startcode');
  await advisor.next('cobrowse.consented');
  visitor.send({ type: 'cobrowse.consent', sessionId, termsVersion: COBROWSE_TERMS });
  assert.equal((await visitor.next('error')).code, ErrorCode.InvalidState);
  await stranger.sync();
  assert.deepEqual(stranger.take('cobrowse.startcode'), []);
});

test('start: before consent refused; wrong start codes refused; the right one still works after four', async () => {
  const h = (harness = await startServer());
  const joined = await joinedSession(h);
  joined.advisor.send({ type: 'cobrowse.start', sessionId: joined.sessionId, startCode: 'ACDEFHJK' });
  assert.equal((await joined.advisor.next('error')).code, ErrorCode.InvalidState);

  const { advisor, visitor, sessionId, startCode } = await consentedSession(h, { advisor: joined.advisor });
  for (let i = 1; i < START_CODE_MAX_WRONG; i++) {
    advisor.send({ type: 'cobrowse.start', sessionId, startCode: wrongStartCode(startCode) });
    assert.deepEqual(await advisor.next('error'), {
      v: 1,
      type: 'error',
      code: ErrorCode.InvalidCode,
      message: 'the code is not valid',
      ref: sessionId,
    });
  }
  // Another advisor cannot start it, even with the right code.
  const other = await readyAdvisor(h, 'adv-b', 'Bernd');
  other.send({ type: 'cobrowse.start', sessionId, startCode });
  assert.equal((await other.next('error')).code, ErrorCode.InvalidState);
  advisor.send({ type: 'cobrowse.start', sessionId, startCode });
  await visitor.next('cobrowse.started');
  await advisor.next('cobrowse.started');
  advisor.send({ type: 'cobrowse.start', sessionId, startCode });
  assert.equal((await advisor.next('error')).code, ErrorCode.InvalidState);
});

test(`${START_CODE_MAX_WRONG} wrong start codes void the session on both sides`, async () => {
  const h = (harness = await startServer());
  const { advisor, visitor, sessionId, startCode } = await consentedSession(h);
  for (let i = 1; i <= START_CODE_MAX_WRONG; i++) {
    advisor.send({ type: 'cobrowse.start', sessionId, startCode: wrongStartCode(startCode) });
    assert.equal((await advisor.next('error')).code, ErrorCode.InvalidCode);
  }
  assert.equal((await advisor.next('cobrowse.ended')).by, 'void');
  assert.equal((await visitor.next('cobrowse.ended')).by, 'void');
  advisor.send({ type: 'cobrowse.start', sessionId, startCode });
  assert.equal((await advisor.next('error')).code, ErrorCode.InvalidState);
  assert.equal(h.server.cobrowse.sessionCount, 0);
});

test('an expired start code ends the session by timeout; it cannot be started after', async () => {
  const h = (harness = await startServer({}, { cobrowseTiming: { startCodeTtlMs: 40 } }));
  const { advisor, visitor, sessionId, startCode } = await consentedSession(h);
  assert.equal((await visitor.next('cobrowse.ended')).by, 'timeout');
  assert.equal((await advisor.next('cobrowse.ended')).by, 'timeout');
  advisor.send({ type: 'cobrowse.start', sessionId, startCode });
  assert.equal((await advisor.next('error')).code, ErrorCode.InvalidState);
  await visitor.sync();
  assert.deepEqual(visitor.take('cobrowse.started'), []);
});

test('signals: refused before live; relayed only between the two parties; a third socket cannot inject', async () => {
  const h = (harness = await startServer());
  const consented = await consentedSession(h);
  consented.visitor.send({ type: 'cobrowse.signal', sessionId: consented.sessionId, signal: '{"early":1}' });
  assert.equal((await consented.visitor.next('error')).code, ErrorCode.InvalidState);
  consented.advisor.send({ type: 'cobrowse.signal', sessionId: consented.sessionId, signal: '{"early":2}' });
  assert.equal((await consented.advisor.next('error')).code, ErrorCode.InvalidState);

  const secondTab = await readyAdvisor(h);
  consented.advisor.send({ type: 'cobrowse.start', sessionId: consented.sessionId, startCode: consented.startCode });
  await consented.visitor.next('cobrowse.started');
  await consented.advisor.next('cobrowse.started');
  const { advisor, visitor, sessionId } = consented;

  const intruder = await h.visitor();
  intruder.send({ type: 'cobrowse.signal', sessionId, signal: '{"from":"intruder"}' });
  const refused = await intruder.next('error');
  assert.deepEqual(
    { code: refused.code, message: refused.message },
    { code: ErrorCode.InvalidState, message: 'unknown co-browse session' },
  );
  const otherAdvisor = await readyAdvisor(h, 'adv-b', 'Bernd');
  otherAdvisor.send({ type: 'cobrowse.signal', sessionId, signal: '{"from":"other advisor"}' });
  assert.equal((await otherAdvisor.next('error')).code, ErrorCode.InvalidState);
  // The same advisor's other tab does not view this session, so it does not signal for it either.
  secondTab.send({ type: 'cobrowse.signal', sessionId, signal: '{"from":"second tab"}' });
  assert.equal((await secondTab.next('error')).code, ErrorCode.InvalidState);
  intruder.send({ type: 'cobrowse.end', sessionId });
  assert.equal((await intruder.next('error')).code, ErrorCode.InvalidState);

  visitor.send({ type: 'cobrowse.signal', sessionId, signal: '{"from":"visitor"}' });
  assert.equal((await advisor.next('cobrowse.signal')).signal, '{"from":"visitor"}');
  await Promise.all([visitor.sync(), advisor.sync(), secondTab.sync(), otherAdvisor.sync(), intruder.sync()]);
  assert.deepEqual(visitor.take('cobrowse.signal'), []);
  assert.deepEqual(advisor.take('cobrowse.signal'), []);
  assert.deepEqual(secondTab.take('cobrowse.signal'), []);
  assert.deepEqual(otherAdvisor.take('cobrowse.signal'), []);
  assert.deepEqual(intruder.take('cobrowse.signal'), []);
  assert.equal(h.server.cobrowse.getSession(sessionId)?.state, 'live');
});

test('limits: five open sessions per advisor, one per visitor socket', async () => {
  const h = (harness = await startServer());
  const advisor = await readyAdvisor(h);
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push(await newCode(advisor));
  advisor.send({ type: 'cobrowse.code.create' });
  const refused = await advisor.next('error');
  assert.equal(refused.code, ErrorCode.RateLimited);
  assert.equal(refused.ref, 'cobrowse.code.create');
  assert.equal(h.server.cobrowse.sessionCount, 5);

  const visitor = await h.visitor();
  visitor.send({ type: 'cobrowse.join', webcode: codes[0]!.webcode });
  await visitor.next('cobrowse.pending');
  visitor.send({ type: 'cobrowse.join', webcode: codes[1]!.webcode });
  assert.equal((await visitor.next('error')).code, ErrorCode.InvalidState);
  // The refused join did not use up the other code.
  const other = await h.visitor();
  other.send({ type: 'cobrowse.join', webcode: codes[1]!.webcode });
  assert.equal((await other.next('cobrowse.pending')).sessionId, codes[1]!.sessionId);

  // An ended session frees its place.
  advisor.send({ type: 'cobrowse.end', sessionId: codes[4]!.sessionId });
  await advisor.next('cobrowse.ended');
  await newCode(advisor);
});

test('a visitor who leaves before the session is live ends it', async () => {
  const h = (harness = await startServer());
  const { advisor, visitor, sessionId } = await consentedSession(h);
  await visitor.close();
  assert.deepEqual(await advisor.next('cobrowse.ended'), { v: 1, type: 'cobrowse.ended', sessionId, by: 'visitor' });
  assert.equal(h.server.cobrowse.sessionCount, 0);
});

test('server shutdown ends every session with by: server on both sides', async () => {
  const h = (harness = await startServer());
  const live = await liveSession(h);
  const offered = await newCode(live.advisor);
  const visitorEnded = live.visitor.next('cobrowse.ended');
  const advisorEnded = [live.advisor.next('cobrowse.ended'), live.advisor.next('cobrowse.ended')];
  await h.server.close();
  assert.equal((await visitorEnded).by, 'server');
  const ended = await Promise.all(advisorEnded);
  assert.deepEqual(
    ended.map((m) => [m.sessionId, m.by]).sort(),
    [
      [live.sessionId, 'server'],
      [offered.sessionId, 'server'],
    ].sort(),
  );
  assert.equal(h.server.cobrowse.sessionCount, 0);
});

test(
  `an ICE burst of ${SIGNAL_RATE_BURST} signals each way is relayed whole and leaves the chat allowance alone`,
  { timeout: 20_000 },
  async () => {
    const h = (harness = await startServer());
    const { advisor, visitor, sessionId } = await liveSession(h);
    for (let i = 0; i < SIGNAL_RATE_BURST; i++) {
      visitor.send({ type: 'cobrowse.signal', sessionId, signal: `{"candidate":${i}}` });
      advisor.send({ type: 'cobrowse.signal', sessionId, signal: `{"candidate":${i}}` });
    }
    for (let i = 0; i < SIGNAL_RATE_BURST; i++) {
      assert.equal((await advisor.next('cobrowse.signal')).signal, `{"candidate":${i}}`);
      assert.equal((await visitor.next('cobrowse.signal')).signal, `{"candidate":${i}}`);
    }
    // The chat bucket is still full: a burst of chat-side messages goes through as well.
    for (let i = 0; i < RATE_BURST - 2; i++) visitor.send({ type: 'session.ping' });
    for (let i = 0; i < RATE_BURST - 2; i++) await visitor.next('session.pong');
    await advisor.sync();
    assert.deepEqual([...visitor.take('error'), ...advisor.take('error')], []);
  },
);

test("the advisor learns the replay's asset origins from the server: the configured list, or none", async () => {
  const assetOrigins = ['https://www.example-kasse.de', 'https://cdn.example-kasse.de'];
  let h = (harness = await startServer({ cobrowse: { assetOrigins } }));
  const live = await liveSession(h);
  assert.deepEqual(live.advisorStarted.assetOrigins, assetOrigins);
  assert.equal('assetOrigins' in live.visitorStarted, false);
  await harness.close();
  h = harness = await startServer({ cobrowse: { assetOrigins: [] } });
  assert.deepEqual((await liveSession(h)).advisorStarted.assetOrigins, []);
});
