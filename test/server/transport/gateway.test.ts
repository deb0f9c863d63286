import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { SignJWT } from 'jose';
import { CloseCode, ErrorCode } from '../../../src/protocol/errors.js';
import {
  AUTH_SUBPROTOCOL_PREFIX,
  MALFORMED_BEFORE_CLOSE,
  MAX_FRAME_BYTES,
  RATE_BURST,
  SUBPROTOCOL,
} from '../../../src/protocol/limits.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { refusedStatus, SECRET, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function signed(claims: { sub: string; name: string; exp: number }, secret = SECRET): Promise<string> {
  return new SignJWT({ name: claims.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer('lotse')
    .setAudience('lotse-advisor')
    .setIssuedAt()
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(secret));
}

const bearer = (token: string): string[] => [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`];
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

test('upgrade: wrong origin 403, no subprotocol 400, unknown path 404', async () => {
  const h = (harness = await startServer());
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/visitor`, [SUBPROTOCOL], 'https://evil.example'), 403);
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/visitor`, [SUBPROTOCOL], 'http://localhost:1234.evil.example'), 403);
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/visitor`, []), 400);
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/visitor`, ['lotse.v2']), 400);
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/other`, [SUBPROTOCOL]), 404);
  assert.ok(h.logs.some((line) => JSON.parse(line).reason === 'origin'));
});

test('upgrade: advisor without, with forged, with expired token gets 401; a valid one connects', async () => {
  const h = (harness = await startServer());
  const url = `${h.wsUrl}/ws/advisor`;
  assert.equal(await refusedStatus(url, [SUBPROTOCOL]), 401);
  const forged = await signed(
    { sub: 'x', name: 'X', exp: nowSeconds() + 600 },
    'another-secret-of-sufficient-length-000',
  );
  assert.equal(await refusedStatus(url, bearer(forged)), 401);
  const expired = await signed({ sub: 'x', name: 'X', exp: nowSeconds() - 120 });
  assert.equal(await refusedStatus(url, bearer(expired)), 401);
  assert.equal(await refusedStatus(url, bearer('not.a.jwt')), 401);
  // The token must not be offered without the protocol either.
  const valid = await mintAdvisorToken({ id: 'a', name: 'A' }, h.server.config, 60);
  assert.equal(await refusedStatus(url, [`${AUTH_SUBPROTOCOL_PREFIX}${valid}`]), 400);
  const advisor = await h.advisor('a', 'A');
  assert.equal(advisor.ws.protocol, SUBPROTOCOL);
  assert.ok(!h.logs.some((line) => line.includes(valid) || line.includes(forged)), 'no token in the log');
});

test('a visitor connection cannot act as an advisor', async () => {
  const h = (harness = await startServer());
  const visitor = await h.visitor();
  assert.equal(visitor.ws.protocol, SUBPROTOCOL);
  visitor.send({ type: 'queue.accept', chatId: 'abcdefgh1234' } as never);
  const error = await visitor.next('error');
  assert.equal(error.code, ErrorCode.UnknownType);
  assert.equal(error.ref, 'queue.accept');
});

test('an advisor token that expires while connected closes with 4001', async () => {
  const h = (harness = await startServer());
  const token = await signed({ sub: 'a', name: 'A', exp: nowSeconds() - 5 }); // still inside the 30 s tolerance
  const advisor = await h.advisor('a', 'A', { protocols: bearer(token) });
  assert.equal((await advisor.closed).code, CloseCode.Unauthorized);
});

test('a frame larger than MAX_FRAME_BYTES closes with 1009', async () => {
  const h = (harness = await startServer());
  const visitor = await h.visitor();
  visitor.sendRaw('x'.repeat(MAX_FRAME_BYTES + 1));
  assert.equal((await visitor.closed).code, CloseCode.TooBig);
});

test('a flood gets one RATE_LIMITED (not one per dropped message), then the socket is closed with 1008', async () => {
  const h = (harness = await startServer());
  const visitor = await h.visitor();
  for (let i = 0; i < 100; i++) visitor.send({ type: 'session.ping' });
  const error = await visitor.next('error');
  assert.equal(error.code, ErrorCode.RateLimited);
  assert.equal((await visitor.closed).code, CloseCode.Policy);
  assert.deepEqual(visitor.take('error'), [], 'at most one RATE_LIMITED per second');
});

test(
  'a drop within the quiet second after a RATE_LIMITED still gets one RATE_LIMITED at its end',
  { timeout: 20_000 },
  async () => {
    const h = (harness = await startServer());
    const visitor = await h.visitor();
    for (let i = 0; i < RATE_BURST + 5; i++) visitor.send({ type: 'session.ping' });
    const first = await visitor.next('error');
    const second = await visitor.next('error'); // a client resends its outbox on this notice: it must come
    assert.deepEqual([first.code, second.code], [ErrorCode.RateLimited, ErrorCode.RateLimited]);
    await visitor.sync();
    assert.deepEqual(visitor.take('error'), [], 'one notice for all drops of the quiet second');
    assert.equal(visitor.ws.readyState, visitor.ws.OPEN);
  },
);

test('a client that keeps sending a little too fast is closed with 1008 too', { timeout: 20_000 }, async () => {
  const h = (harness = await startServer());
  const visitor = await h.visitor();
  // About 100 a second against 10 allowed: between two refills some ten are refused, never twenty in a row. The
  // strikes are counted in a window, so the accepted ones in between do not save it.
  const pace = setInterval(() => {
    if (visitor.ws.readyState === visitor.ws.OPEN) visitor.send({ type: 'session.ping' });
  }, 10);
  try {
    assert.equal((await visitor.closed).code, CloseCode.Policy);
  } finally {
    clearInterval(pace);
  }
  assert.ok(visitor.take('session.pong').length > RATE_BURST, 'some were accepted between the refusals');
  assert.ok(visitor.take('error').length <= 2, 'at most one RATE_LIMITED per second');
});

test('repeated garbage gets typed errors, then close 4000; binary frames count as malformed', async () => {
  const h = (harness = await startServer());
  const visitor = await h.visitor();
  visitor.sendRaw(Buffer.from('{"v":1,"type":"session.ping"}'), true);
  assert.equal((await visitor.next('error')).code, ErrorCode.Malformed);
  visitor.send({ type: 'session.ping' }); // a good message resets the count
  await visitor.next('session.pong');
  for (let i = 0; i < MALFORMED_BEFORE_CLOSE; i++) visitor.sendRaw(`garbage ${i}`);
  assert.equal((await visitor.closed).code, CloseCode.Protocol);
  assert.equal(visitor.take('error').length, MALFORMED_BEFORE_CLOSE);
});

test('the heartbeat terminates a client that stops answering pings, keeps one that answers', async () => {
  const h = (harness = await startServer({ heartbeatSeconds: 0.1 }));
  const silent = await h.visitor({ autoPong: false });
  const healthy = await h.visitor();
  const { code } = await silent.closed;
  assert.equal(code, 1006);
  await healthy.sync();
  assert.equal(healthy.ws.readyState, healthy.ws.OPEN);
  assert.ok(h.logs.some((line) => JSON.parse(line).reason === 'heartbeat'));
});

test('close() ends chats, closes sockets with 4003, and is idempotent', async () => {
  const h = (harness = await startServer());
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: h.server.config.terms.version, lang: 'de' });
  await visitor.next('chat.started');
  const first = h.server.close();
  const second = h.server.close();
  assert.equal(first, second);
  await first;
  const ended = await visitor.next('chat.event');
  assert.equal(ended.event.kind === 'ended' && ended.event.by, 'server');
  assert.equal((await visitor.closed).code, CloseCode.ServerShutdown);
  assert.equal(h.server.hub.chats.size, 0);
});

test('a handler that throws closes only its own socket with 1011, without content in the log', async () => {
  const h = (harness = await startServer());
  const bystander = await h.visitor();
  const victim = await h.visitor();
  h.server.hub.chats.get = () => {
    throw new Error('boom Erika');
  };
  victim.send({ type: 'chat.resume', chatId: 'chat-id-123', resumeToken: 'R'.repeat(32), lastSeq: 0 });
  assert.equal((await victim.closed).code, 1011);
  await bystander.sync();
  assert.ok(h.logs.some((line) => JSON.parse(line).event === 'connection.handler_failed'));
  assert.ok(!h.logs.join('\n').includes('Erika'));
});
