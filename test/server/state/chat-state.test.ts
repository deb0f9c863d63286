/**
 * The in-memory chat state behind the `state/` interfaces (the seam for a shared store): who holds each chat, each
 * chat's events with their sequence numbers, each client's waiting chats, single-use codes that lapse, the queue's order, and the
 * advisors' presence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryAdvisorPresence, MemoryPresenceState } from '../../../src/server/state/advisor-presence.js';
import { MemoryChatClaims } from '../../../src/server/state/chat-claims.js';
import { MemoryChatDirectory } from '../../../src/server/state/chat-directory.js';
import { MemoryNodeLeases } from '../../../src/server/state/node-leases.js';
import { MemoryChatEventLog } from '../../../src/server/state/chat-event-log.js';
import { MemoryCodeStore } from '../../../src/server/state/code-store.js';
import { MemoryQueueStore } from '../../../src/server/state/queue-store.js';
import { MemoryCobrowseSessionStore } from '../../../src/server/state/cobrowse-sessions.js';
import {
  advisorPresenceContract,
  chatDirectoryContract,
  nodeLeasesContract,
  cobrowseSessionStoreContract,
  chatEventLogContract,
  codeStoreContract,
  queueStoreContract,
} from './contracts.js';

test('a chat is claimed by the first advisor only, until it is released (SET NX / DEL)', () => {
  const claims = new MemoryChatClaims();
  assert.equal(claims.claim('c1', 'adv-a'), true);
  assert.equal(claims.claim('c1', 'adv-b'), false, 'a second advisor does not get it');
  assert.equal(claims.claim('c1', 'adv-a'), false, 'nor does the same advisor twice');
  assert.equal(claims.holder('c1'), 'adv-a');
  assert.equal(claims.claim('c2', 'adv-b'), true, 'another chat is free');
  claims.release('c1');
  assert.equal(claims.holder('c1'), undefined);
  assert.equal(claims.claim('c1', 'adv-b'), true, 'back in the queue, it can be claimed again');
  claims.release('unknown');
  claims.clear();
  assert.equal(claims.size, 0);
});

chatEventLogContract('in-memory', () => new MemoryChatEventLog());

test('the in-memory chat event log wipes what it drops, and holds nothing of a chat it never saw', async () => {
  const log = new MemoryChatEventLog();
  await log.append('c1', { kind: 'left', at: 0 });
  const kept = await log.after('c1', 0);
  await log.retain('unknown', 20);
  assert.equal(log.size, 1, 'no list made for an unknown chat');
  await log.drop('c1');
  assert.equal(kept.length, 1, 'what a reader holds stays its own');
  assert.equal(log.size, 0);
  await log.append('c2', { kind: 'left', at: 0 });
  log.clear();
  assert.equal(log.size, 0);
});

codeStoreContract('in-memory', () => new MemoryCodeStore());
chatDirectoryContract('in-memory', () => new MemoryChatDirectory());
nodeLeasesContract('in-memory', () => new MemoryNodeLeases());

test('the in-memory code store drops a lapsed code when it next looks at it', async () => {
  let now = 0;
  const codes = new MemoryCodeStore(() => now);
  assert.equal(await codes.put('654321', 's3', 1000), true);
  now = 999;
  assert.equal(await codes.has('654321'), true);
  now = 1000;
  assert.equal(await codes.take('654321'), undefined, 'lapsed');
  assert.equal(codes.size, 0);
  await codes.put('111111', 's5', 10);
  codes.clear();
  assert.equal(codes.size, 0);
});

queueStoreContract('in-memory', (ttlMs) => new MemoryQueueStore({ ttlMs }));

cobrowseSessionStoreContract('in-memory', () => new MemoryCobrowseSessionStore(), false);
advisorPresenceContract('in-memory', () => {
  const state = new MemoryPresenceState();
  return (nodeId, ttlMs) => new MemoryAdvisorPresence({ state, nodeId, ttlMs });
});
