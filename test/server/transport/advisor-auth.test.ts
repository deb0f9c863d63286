import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mintAdvisorToken, topicsOf, verifyAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { TokenBucket } from '../../../src/server/transport/rate-limit.js';
import { RATE_BURST } from '../../../src/protocol/limits.js';

const config = { advisorTokens: { secret: 'x'.repeat(40), issuer: 'lotse', audience: 'lotse-advisor' } };

test('advisor tokens round-trip; issuer, audience and secret are checked', async () => {
  const token = await mintAdvisorToken({ id: 'adv-1', name: 'Anna' }, config, 60);
  const advisor = await verifyAdvisorToken(token, config);
  assert.deepEqual({ id: advisor.id, name: advisor.name }, { id: 'adv-1', name: 'Anna' });
  assert.ok(Math.abs(advisor.expiresAt - (Date.now() + 60_000)) < 2000);
  await assert.rejects(verifyAdvisorToken(token, { advisorTokens: { ...config.advisorTokens, issuer: 'other' } }));
  await assert.rejects(verifyAdvisorToken(token, { advisorTokens: { ...config.advisorTokens, audience: 'other' } }));
  await assert.rejects(
    verifyAdvisorToken(token, { advisorTokens: { ...config.advisorTokens, secret: 'y'.repeat(40) } }),
  );
  await assert.rejects(verifyAdvisorToken(`${token}x`, config));
  await assert.rejects(mintAdvisorToken({ id: 'a', name: 'A' }, config, 0));
});

test('the topics claim: minted and verified; none without it; only strings of an array', async () => {
  const token = await mintAdvisorToken({ id: 'a1', name: 'Anna', topics: ['leistungen', 'beitraege'] }, config, 60);
  assert.deepEqual((await verifyAdvisorToken(token, config)).topics, ['leistungen', 'beitraege']);
  const plain = await mintAdvisorToken({ id: 'a1', name: 'Anna' }, config, 60);
  assert.deepEqual((await verifyAdvisorToken(plain, config)).topics, []);
  assert.deepEqual(topicsOf('leistungen'), []);
  assert.deepEqual(topicsOf(['leistungen', 7, '', 'x'.repeat(201), 'reha']), ['leistungen', 'reha']);
});

test('token bucket: burst, refill, injectable clock', () => {
  let now = 0;
  const bucket = new TokenBucket({ now: () => now });
  for (let i = 0; i < RATE_BURST; i++) assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
  now += 100; // 10 per second → one token
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
  now += 60_000;
  for (let i = 0; i < RATE_BURST; i++) assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
});
