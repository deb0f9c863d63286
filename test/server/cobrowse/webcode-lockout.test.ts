/**
 * Issue 12, item 3: the webcode lockout cannot be flushed, IPv6 is one client per /64, and a server-wide budget of
 * attempts slows every webcode check once exceeded (and logs a warning). Real server, real `ws` clients, addresses
 * from a trusted proxy's `X-Forwarded-For`.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import WebSocket from 'ws';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { ORIGIN, startServer } from '../helpers.js';
import type { ConfigOverrides, Harness } from '../helpers.js';
import { newCode, readyAdvisor } from './cobrowse-helpers.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const from = (address: string) => ({ headers: { 'X-Forwarded-For': address } });

/** One `cobrowse.join` from `address` on a fresh socket; the error code it got, or `pending` when it joined. */
async function tryCode(h: Harness, address: string, webcode: string): Promise<{ code: string; message: string }> {
  const visitor = await h.visitor(from(address));
  visitor.send({ type: 'cobrowse.join', webcode });
  const answer = await Promise.race([
    visitor.next('error'),
    visitor.next('cobrowse.pending').then(() => ({ code: 'pending', message: '' })),
  ]);
  await visitor.close();
  return { code: answer.code, message: answer.message };
}

/** One wrong webcode from `address` on a bare socket, cut off once answered (a flood has no manners). */
function quickGuess(h: Harness, address: string): Promise<void> {
  const ws = new WebSocket(`${h.wsUrl}/ws/visitor`, [SUBPROTOCOL], { origin: ORIGIN, ...from(address) });
  return new Promise((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ v: 1, type: 'cobrowse.join', webcode: '000001' })));
    ws.once('message', () => {
      ws.terminate();
      resolve();
    });
    ws.once('error', reject);
  });
}

function server(cobrowse: ConfigOverrides['cobrowse'] = {}): Promise<Harness> {
  return startServer({ trustProxy: true, cobrowse }).then((h) => (harness = h));
}

test('a locked client stays locked after 10,050 other clients guessed once (the lock is never evicted)', async () => {
  // The budget is out of the way here: this is about the per-client lock only.
  const h = await server({ webcodeWrongBudgetPerMinute: 100_000, webcodeSlowdownMs: 1 });
  const locked = '198.51.100.77';
  for (let i = 0; i < 5; i++) assert.equal((await tryCode(h, locked, '000000')).code, ErrorCode.InvalidCode);
  assert.equal((await tryCode(h, locked, '000000')).code, ErrorCode.RateLimited);

  const others = 10_050;
  for (let start = 0; start < others; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, others - start) }, (_, i) => {
        const n = start + i;
        return quickGuess(h, `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
      }),
    );
  }
  let guesses = 0;
  for (let i = 0; i < 5; i++) if ((await tryCode(h, locked, '000002')).code === ErrorCode.InvalidCode) guesses += 1;
  console.log(
    JSON.stringify({ figure: 'webcode guesses of a locked client after 10,050 other clients guessed once', guesses }),
  );
  assert.equal(guesses, 0);
});

test('IPv6: one client per /64, another /64 is another client', async () => {
  const h = await server();
  const advisor = await readyAdvisor(h);
  const code = await newCode(advisor);
  for (let i = 0; i < 5; i++)
    assert.equal((await tryCode(h, `2001:db8:1:2::${i + 1}`, '000000')).code, ErrorCode.InvalidCode);
  assert.equal((await tryCode(h, '2001:db8:1:2:ffff:1:2:3', code.webcode)).code, ErrorCode.RateLimited, 'same /64');
  assert.equal((await tryCode(h, '2001:db8:1:3::1', code.webcode)).code, 'pending', 'the next /64 is another client');
});

test('over the server-wide budget every check waits for a slot, a full queue is refused at once, one warning', async () => {
  // A budget of 3 attempts a minute, slots 50 ms apart, at most 2 waiting.
  const h = await server({ webcodeWrongBudgetPerMinute: 3, webcodeSlowdownMs: 50, webcodeSlowQueue: 2 });
  const advisor = await readyAdvisor(h);
  for (let i = 0; i < 3; i++)
    assert.equal((await tryCode(h, `192.0.2.${i + 1}`, '000000')).code, ErrorCode.InvalidCode);
  const guard = h.server.cobrowse.guard;
  assert.equal(guard.waiting, 0);

  // Five clients at once: two wait for a slot, three are refused without their code being looked at.
  const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => tryCode(h, `192.0.2.${i + 10}`, '000000')));
  const busy = answers.filter((answer) => answer.code === ErrorCode.RateLimited);
  assert.equal(busy.length, 3);
  assert.ok(busy.every((answer) => answer.message.includes('too many co-browse codes are being checked')));
  assert.equal(answers.filter((answer) => answer.code === ErrorCode.InvalidCode).length, 2);

  // A refused check was no guess: that client's count is untouched, and a right code still works (after its slot).
  const code = await newCode(advisor);
  assert.equal(
    (await tryCode(h, `192.0.2.${10 + answers.findIndex((a) => a.code === ErrorCode.RateLimited)}`, code.webcode)).code,
    'pending',
  );

  const warnings = h.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['event'] === 'cobrowse.webcode_flood');
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]?.['level'], 'warn');
  assert.ok(!h.logs.join('\n').includes('192.0.2.'), 'no address in any log line');
});

test('the daily client-key rotation forgets no lock: a locked client gets no fresh guesses after it', async () => {
  // The key is replaced every 300 ms here (a day in production); the lockout is the default 15 minutes.
  const periodMs = 300;
  const h = (harness = await startServer({ trustProxy: true }, { clientKeyPeriodMs: periodMs }));
  const locked = '198.51.100.88';
  for (let i = 0; i < 5; i++) assert.equal((await tryCode(h, locked, '000000')).code, ErrorCode.InvalidCode);
  assert.equal((await tryCode(h, locked, '000000')).code, ErrorCode.RateLimited);
  // Past a rotation (two, in fact): the client's key is another one now.
  await new Promise((resolve) => setTimeout(resolve, 2 * periodMs + 50));
  let guesses = 0;
  for (let i = 0; i < 5; i++) if ((await tryCode(h, locked, '000002')).code === ErrorCode.InvalidCode) guesses += 1;
  console.log(JSON.stringify({ figure: 'webcode guesses of a locked client after the client key rotated', guesses }));
  assert.equal(guesses, 0);
  // Another client is not caught by it.
  assert.equal((await tryCode(h, '198.51.100.89', '000002')).code, ErrorCode.InvalidCode);
});
