/**
 * Every Lua script of the Redis stores touches only the keys it is given in `KEYS`, all in one hash slot, as Redis's
 * contract for scripts says and a Redis Cluster or a managed Redis with key-slot checks enforces
 * (`src/server/state/redis/script.ts`). The stores' contracts (`contracts.ts`, which call every operation) run here
 * on a Redis in cluster mode (one node with every slot: `EVAL` with keys of two slots fails with `CROSSSLOT`, and
 * so do `MULTI` and multi-key commands), with a check before each script that fails a command on a key the script
 * was not given (`DECLARED_KEYS_ONLY`).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../../src/server/log.js';
import { RedisAdvisorPresence } from '../../../src/server/state/redis/advisor-presence.js';
import { RedisChatDirectory } from '../../../src/server/state/redis/chat-directory.js';
import { RedisChatEventLog } from '../../../src/server/state/redis/chat-event-log.js';
import { RedisCobrowseSessionStore } from '../../../src/server/state/redis/cobrowse-sessions.js';
import { RedisCodeStore } from '../../../src/server/state/redis/code-store.js';
import { RedisConnection } from '../../../src/server/state/redis/connection.js';
import { RedisLimitStore } from '../../../src/server/state/redis/limit-store.js';
import { RedisNodeLeases } from '../../../src/server/state/redis/node-leases.js';
import { RedisQueueStore } from '../../../src/server/state/redis/queue-store.js';
import { RedisScript, setScriptPrelude } from '../../../src/server/state/redis/script.js';
import { DECLARED_KEYS_ONLY, startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import {
  advisorPresenceContract,
  chatDirectoryContract,
  chatEventLogContract,
  cobrowseSessionStoreContract,
  codeStoreContract,
  limitStoreContract,
  nodeLeasesContract,
  queueStoreContract,
} from './contracts.js';

/** An event log that appends without an owner entry (as while a restarted Redis is written back). */
const unfenced = (log: RedisChatEventLog): RedisChatEventLog => {
  log.fenceOutside({ restoring: true });
  return log;
};
const fresh = (): string => Math.random().toString(36).slice(2, 10);
let redis: TestRedis;
let connection: RedisConnection;

before(async () => {
  redis = await startRedis({ cluster: true });
  setScriptPrelude(DECLARED_KEYS_ONLY);
  connection = await RedisConnection.open({
    config: { url: redis.url, keyPrefix: 'lotse-test:', persistence: 'check' },
    log: createLogger({ level: 'silent' }),
    commandTimeoutMs: 3000,
  });
});

after(async () => {
  setScriptPrelude('');
  await connection.close();
  await redis.close();
});

test('the check bites: an undeclared key fails a script, and so do declared keys of two slots', async () => {
  const script = new RedisScript(`return redis.call('SET', KEYS[1] .. ':built', '1')`);
  await assert.rejects(script.run(connection, [connection.key('{x}', 'a')], []), /UNDECLARED SET .*\{x\}:a:built/);
  const declared = new RedisScript(`return redis.call('SET', KEYS[2], '1')`);
  await assert.rejects(declared.run(connection, [connection.key('a'), connection.key('b')], []), /CROSSSLOT/);
  assert.equal(await declared.run(connection, [connection.key('{x}', 'a'), connection.key('{x}', 'b')], []), 'OK');
  await connection.client.del(connection.key('{x}', 'b'));
});

test('every script of the server is a RedisScript (so the check sees it): no store calls EVAL itself', () => {
  const root = join(import.meta.dirname, '../../../src/server');
  const files = readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && file !== join('state', 'redis', 'script.ts'));
  const calling = files.filter((file) =>
    /\.(eval|evalSha|evalRo|evalShaRo|scriptLoad)\(/i.test(readFileSync(join(root, file), 'utf8')),
  );
  assert.deepEqual(calling, []);
});

chatEventLogContract('Redis Cluster', () => unfenced(new RedisChatEventLog(connection, 'node-a', 60_000)));
codeStoreContract('Redis Cluster', () => new RedisCodeStore(connection, 'webcode'));
limitStoreContract('Redis Cluster', () => new RedisLimitStore(connection));
chatDirectoryContract('Redis Cluster', () => new RedisChatDirectory(connection, 60_000));
nodeLeasesContract('Redis Cluster', () => new RedisNodeLeases(connection));
queueStoreContract('Redis Cluster', (ttlMs) => new RedisQueueStore(connection, ttlMs, `queue-${fresh()}`));
cobrowseSessionStoreContract('Redis Cluster', (ttlMs) => new RedisCobrowseSessionStore(connection, ttlMs), true);
advisorPresenceContract('Redis Cluster', () => {
  const namespace = `presence-${fresh()}`;
  return (nodeId, ttlMs) => new RedisAdvisorPresence(connection, nodeId, ttlMs, namespace);
});
