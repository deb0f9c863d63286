/** Unit tests of single modules: the signature (sign and verify) and the backoff schedule. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { BACKOFF_CAP_MS, BACKOFF_FLOOR_MS, backoffMs } from '../../../src/server/webhook/webhook.js';
import { signatureHeader, verifySignature } from '../../../src/server/webhook/signature.js';

const SECRET = 'webhook-secret-0123456789-abcdefghijklmnop';
const NOW = Date.UTC(2026, 4, 4, 9, 0, 0);
const BODY = '{"id":"lotse-transcript-abc","messages":[{"text":"Grüß Gott"}]}';

test('the signature is HMAC-SHA256 over "<t>.<raw body>", as documented', () => {
  const header = signatureHeader(SECRET, BODY, NOW);
  const t = Math.floor(NOW / 1000);
  const expected = createHmac('sha256', SECRET).update(`${t}.${BODY}`, 'utf8').digest('hex');
  assert.equal(header, `t=${t},v1=${expected}`);
  assert.equal(verifySignature({ secret: SECRET, body: BODY, header, now: NOW }), true);
  assert.equal(verifySignature({ secret: SECRET, body: Buffer.from(BODY, 'utf8'), header, now: NOW }), true);
});

test('verification refuses a wrong secret, a changed body, a moved timestamp and malformed headers', () => {
  const header = signatureHeader(SECRET, BODY, NOW);
  const t = Math.floor(NOW / 1000);
  const v1 = header.split(',v1=')[1] ?? '';
  const check = (h: string | string[] | undefined, body = BODY, now = NOW) =>
    verifySignature({ secret: SECRET, body, header: h, now });
  assert.equal(verifySignature({ secret: `${SECRET}x`, body: BODY, header, now: NOW }), false);
  assert.equal(check(header, BODY.replace('Gott', 'Gott!')), false);
  assert.equal(check(`t=${t + 1},v1=${v1}`), false, 't is signed');
  for (const bad of [
    undefined,
    '',
    'v1=' + v1,
    `t=${t}`,
    `t=${t},v1=${v1.slice(1)}`,
    `t=x,v1=${v1}`,
    `t=${t},v1=${v1}=`,
    [header],
  ]) {
    assert.equal(check(bad), false, String(bad));
  }
  // A second v1 (a sender rotating its secret) is fine when one matches.
  assert.equal(check(`t=${t},v1=${'0'.repeat(64)},v1=${v1}`), true);
});

test('the timestamp must be within five minutes of the receiver clock, either way', () => {
  const header = signatureHeader(SECRET, BODY, NOW);
  const check = (now: number) => verifySignature({ secret: SECRET, body: BODY, header, now });
  assert.equal(check(NOW + 300_000), true);
  assert.equal(check(NOW - 300_000), true);
  assert.equal(check(NOW + 301_000), false);
  assert.equal(check(NOW - 301_000), false);
});

test('backoff: full jitter under 30 s · 2^(n−1), capped at one hour, never under the floor', () => {
  assert.equal(
    backoffMs(1, () => 0.999_999),
    29_999,
  );
  assert.equal(
    backoffMs(2, () => 0.5),
    30_000,
  );
  assert.equal(
    backoffMs(5, () => 0.5),
    240_000,
  );
  assert.equal(
    backoffMs(8, () => 0.999_999),
    3_599_996,
    '30 s · 2^7 = 64 min is over the cap',
  );
  assert.equal(
    backoffMs(40, () => 0.5),
    BACKOFF_CAP_MS / 2,
  );
  assert.equal(
    backoffMs(3, () => 0),
    BACKOFF_FLOOR_MS,
  );
  for (let failures = 1; failures < 30; failures++) {
    const wait = backoffMs(failures);
    assert.ok(wait >= BACKOFF_FLOOR_MS && wait <= BACKOFF_CAP_MS, `${failures}: ${wait}`);
  }
});
