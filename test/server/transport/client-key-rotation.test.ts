/**
 * One client key per upgrade, taken by the gateway and handed down: a daily key rotation resets no live count. A
 * client's open sockets and waiting chats from before a rotation still count after it (the key is replaced every
 * 300 ms here, a day in production).
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { until } from '../../helpers/until.js';
import { refusedStatus, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

const PERIOD_MS = 300;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const pastRotation = () => new Promise((resolve) => setTimeout(resolve, PERIOD_MS + 50));

test('sockets per client: those opened before a rotation still count after it', async () => {
  const h = (harness = await startServer(
    { limits: { maxVisitorSocketsPerClient: 2 } },
    { clientKeyPeriodMs: PERIOD_MS },
  ));
  const first = await h.visitor();
  await h.visitor();
  await pastRotation();
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/visitor`, [SUBPROTOCOL]), 503, 'the client is still full');
  await first.close();
  await until(async () => {
    try {
      await h.visitor();
      return true;
    } catch {
      return false;
    }
  }, 'the slot given back is free again');
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/visitor`, [SUBPROTOCOL]), 503);
});

test('waiting chats per client: a chat started before a rotation still counts after it', async () => {
  const h = (harness = await startServer(
    { limits: { maxWaitingChatsPerClient: 1 } },
    { clientKeyPeriodMs: PERIOD_MS },
  ));
  const start = { type: 'chat.start', nickname: 'Gast', termsVersion: defaults.terms.version, lang: 'de' } as const;
  const waiting = await h.visitor();
  waiting.send(start);
  await waiting.next('chat.started');
  await pastRotation();
  const second = await h.visitor();
  second.send(start);
  await second.sync();
  assert.equal(second.take('chat.started').length, 0, 'no second waiting chat for the same client');
  assert.equal(second.take('error').length, 1);
  assert.ok(h.logs.some((line) => JSON.parse(line).reason === 'per_client'));
});
