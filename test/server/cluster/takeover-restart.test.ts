/**
 * `ChatTakeover` alone, over stand-in leases: a lease look asked before a Redis restart was known and answered by
 * the restarted, empty Redis says nothing of the owner (its lease is not written back yet): the owner is not taken
 * for dead.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatTakeover } from '../../../src/server/cluster/takeover.js';
import type { TakeoverDeps } from '../../../src/server/cluster/takeover.js';
import { createLogger } from '../../../src/server/log.js';
import { MemoryNodeBus } from '../../../src/server/state/node-bus.js';
import { MemoryNodeLeases } from '../../../src/server/state/node-leases.js';
import { until } from '../../helpers/until.js';

/** Node A routes to a chat of node B; B's lease look is answered "not held", and the window may begin meanwhile. */
async function gone(windowBeginsMeanwhile: boolean): Promise<string[]> {
  const window = { restoring: false, settled: () => Promise.resolve() };
  const leases = new MemoryNodeLeases();
  let asked = 0;
  leases.held = (nodeId) => {
    if (nodeId !== 'node-b') return Promise.resolve(true);
    asked += 1;
    if (windowBeginsMeanwhile) window.restoring = true;
    return Promise.resolve(false);
  };
  const deps = {
    hub: {},
    leases,
    bus: new MemoryNodeBus('node-a'),
    log: createLogger({ write: () => undefined }),
    leaseMs: 600,
    restore: window,
  } as unknown as TakeoverDeps;
  const takeover = new ChatTakeover(deps);
  const found: string[] = [];
  takeover.watch(
    () => ['node-b'],
    (owner) => found.push(owner),
  );
  await takeover.start();
  try {
    await until(() => asked >= 1, "node B's lease looked at");
    await new Promise((resolve) => setTimeout(resolve, 50));
    return found;
  } finally {
    await takeover.close();
  }
}

test("a lapsed lease found at a renewal: its owner's chats are taken over", async () => {
  assert.deepEqual(await gone(false), ['node-b']);
});

test('a lease look answered by a restarted, empty Redis (the window began meanwhile): nobody is taken for dead', async () => {
  assert.deepEqual(await gone(true), []);
});
