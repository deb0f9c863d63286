import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { START_CODE_PATTERN, WEBCODE_MAX_WRONG } from '../../../src/protocol/limits.js';
import { newStartCode, newWebcode, secretMatches } from '../../../src/server/cobrowse/codes.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { joinedSession, newCode, readyAdvisor, unusedWebcode } from './cobrowse-helpers.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('wrong, expired and used webcodes all get the very same error', async () => {
  const h = (harness = await startServer({ cobrowse: { webcodeTtlMinutes: 0.001 } }));
  const advisor = await readyAdvisor(h);

  // Expired: the session was not live within the webcode TTL (60 ms here) and ended by timeout.
  const expired = await newCode(advisor);
  assert.deepEqual(await advisor.next('cobrowse.ended'), {
    v: 1,
    type: 'cobrowse.ended',
    sessionId: expired.sessionId,
    by: 'timeout',
  });

  const visitor = await h.visitor();
  visitor.send({ type: 'cobrowse.join', webcode: expired.webcode });
  const expiredError = await visitor.next('error');
  visitor.send({ type: 'cobrowse.join', webcode: unusedWebcode([expired.webcode]) });
  const wrongError = await visitor.next('error');
  assert.deepEqual(expiredError, {
    v: 1,
    type: 'error',
    code: ErrorCode.InvalidCode,
    message: 'the code is not valid',
    ref: 'cobrowse.join',
  });
  assert.deepEqual(wrongError, expiredError);
  await h.close();

  // Used: a webcode works once.
  const h2 = (harness = await startServer());
  const { webcode } = await joinedSession(h2);
  const second = await h2.visitor();
  second.send({ type: 'cobrowse.join', webcode });
  assert.deepEqual(await second.next('error'), expiredError);
});

test(`after ${WEBCODE_MAX_WRONG} wrong webcodes the client is locked out, across reconnects, even with a valid code`, async () => {
  const h = (harness = await startServer());
  const advisor = await readyAdvisor(h);
  const valid = await newCode(advisor);
  const wrong = unusedWebcode([valid.webcode]);
  for (let i = 0; i < WEBCODE_MAX_WRONG; i++) {
    // A new socket for each attempt: the count is per client (pseudonymous IP), not only per socket.
    const visitor = await h.visitor();
    visitor.send({ type: 'cobrowse.join', webcode: wrong });
    assert.equal((await visitor.next('error')).code, ErrorCode.InvalidCode);
    await visitor.close();
  }
  const locked = await h.visitor();
  locked.send({ type: 'cobrowse.join', webcode: valid.webcode });
  assert.deepEqual(await locked.next('error'), {
    v: 1,
    type: 'error',
    code: ErrorCode.RateLimited,
    message: 'too many wrong codes; please try again later',
    ref: 'cobrowse.join',
  });
  assert.ok(h.logs.some((line) => JSON.parse(line).event === 'cobrowse.webcode_lockout'));

  // The refused attempt did not use the code up: it works from elsewhere. Without trustProxy a forged
  // X-Forwarded-For is ignored, so that is still the same client ...
  const forged = await h.visitor({ headers: { 'X-Forwarded-For': '203.0.113.9' } });
  forged.send({ type: 'cobrowse.join', webcode: valid.webcode });
  assert.equal((await forged.next('error')).code, ErrorCode.RateLimited);
  await h.close();

  // ... and behind a trusted proxy the proxy's last entry is the client.
  const h2 = (harness = await startServer({ trustProxy: true }));
  const advisor2 = await readyAdvisor(h2);
  const code2 = await newCode(advisor2);
  const behind = { headers: { 'X-Forwarded-For': '198.51.100.7, 203.0.113.1' } };
  for (let i = 0; i < WEBCODE_MAX_WRONG; i++) {
    const visitor = await h2.visitor(behind);
    visitor.send({ type: 'cobrowse.join', webcode: unusedWebcode([code2.webcode]) });
    await visitor.next('error');
    await visitor.close();
  }
  const again = await h2.visitor({ headers: { 'X-Forwarded-For': '192.0.2.55, 203.0.113.1' } });
  again.send({ type: 'cobrowse.join', webcode: code2.webcode });
  assert.equal((await again.next('error')).code, ErrorCode.RateLimited, "the first entry is the client's own claim");
  const elsewhere = await h2.visitor({ headers: { 'X-Forwarded-For': '198.51.100.7, 203.0.113.2' } });
  elsewhere.send({ type: 'cobrowse.join', webcode: code2.webcode });
  assert.equal((await elsewhere.next('cobrowse.pending')).sessionId, code2.sessionId);
});

test('more wrong webcodes a minute than the budget server-wide log one warning, without any address', async () => {
  // The budget is raised here so that no check is slowed down (`webcode-lockout.test.ts` tests the slowdown).
  const h = (harness = await startServer({
    trustProxy: true,
    cobrowse: { webcodeWrongBudgetPerMinute: 100, webcodeSlowdownMs: 1 },
  }));
  for (let client = 0; client < 21; client++) {
    const visitor = await h.visitor({ headers: { 'X-Forwarded-For': `192.0.2.${client + 1}` } });
    for (let i = 0; i < WEBCODE_MAX_WRONG; i++) visitor.send({ type: 'cobrowse.join', webcode: '000000' });
    for (let i = 0; i < WEBCODE_MAX_WRONG; i++) assert.equal((await visitor.next('error')).code, ErrorCode.InvalidCode);
    await visitor.close();
  }
  const warnings = h.logs.map((line) => JSON.parse(line)).filter((line) => line.event === 'cobrowse.webcode_flood');
  assert.equal(warnings.length, 1);
  assert.deepEqual(Object.keys(warnings[0]).sort(), ['event', 'level', 't']);
  assert.equal(warnings[0].level, 'warn');
  assert.ok(!h.logs.join('\n').includes('192.0.2.'));
});

test('webcodes: 6 digits, leading zeros kept, never one that is taken; undefined when none is free', async () => {
  assert.equal(
    await newWebcode(
      () => Promise.resolve(true),
      () => 42,
    ),
    '000042',
  );
  const taken = new Set<string>();
  const claim = (c: string): Promise<boolean> => Promise.resolve(!taken.has(c) && taken.add(c) !== undefined);
  for (let i = 0; i < 20_000; i++) {
    const before = taken.size;
    const code = await newWebcode(claim);
    assert.ok(code !== undefined && /^\d{6}$/.test(code));
    assert.equal(taken.size, before + 1, 'one code claimed, unique among the active ones');
  }
  let draws = 0;
  assert.equal(
    await newWebcode(
      () => Promise.resolve(false),
      () => draws++,
    ),
    undefined,
  );
  const sequence = [7, 7, 7, 8];
  assert.equal(
    await newWebcode(
      (c) => Promise.resolve(c !== '000007'),
      () => sequence.shift() ?? 0,
    ),
    '000008',
  );
});

test('active webcodes are unique across advisors and sessions', async () => {
  const h = (harness = await startServer());
  const codes: string[] = [];
  for (const id of ['adv-a', 'adv-b', 'adv-c', 'adv-d']) {
    const advisor = await readyAdvisor(h, id, id);
    for (let i = 0; i < 5; i++) codes.push((await newCode(advisor)).webcode);
  }
  assert.equal(new Set(codes).size, 20);
  assert.equal(h.server.cobrowse.activeWebcodeCount, 20);
  assert.ok(codes.every((code) => /^\d{6}$/.test(code)));
});

test('start codes: 8 symbols of the unambiguous alphabet; secrets compare by value', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const code = newStartCode();
    assert.match(code, START_CODE_PATTERN);
    seen.add(code);
  }
  assert.equal(seen.size, 1000);
  assert.equal(secretMatches('ACDEFHJK', 'ACDEFHJK'), true);
  assert.equal(secretMatches('ACDEFHJK', 'ACDEFHJM'), false);
  assert.equal(secretMatches('ACDEFHJK', 'ACDEFHJKA'), false);
  assert.equal(secretMatches('ACDEFHJK', ''), false);
});
