/**
 * The Redis area of the server configuration: where several nodes share their state (`state/redis/`). Without
 * `redis.url` Lotse runs as one node with its state in memory, as it always did.
 */
import * as v from 'valibot';
import { setting } from './fields.js';
import { nonEmpty, positive } from './values.js';

/** How the server learns that the Redis instance keeps nothing on disk (anonymous chats live there). */
export const PERSISTENCE_MODES = ['check', 'confirmed-off'] as const;
export type RedisPersistenceMode = (typeof PERSISTENCE_MODES)[number];

export const RedisConfigSchema = v.strictObject(
  {
    // The message never echoes the value: it may hold a password.
    url: v.optional(
      setting(
        v.pipe(
          v.string('must be a string'),
          v.check((value) => /^rediss?:\/\/\S+$/.test(value), 'must be a redis:// or rediss:// URL'),
        ),
        '`redis://[:password@]host:6379[/db]` (`rediss://` for TLS): the nodes of one service keep their shared state there (limits and lockouts, client keys, co-browse webcodes, chat events, the queue, advisor presence; what is shared so far: docs/operator.md#several-nodes-redis); unset, the one node keeps it in memory; printed redacted',
        { env: 'LOTSE_REDIS_URL' },
      ),
    ),
    keyPrefix: v.optional(
      setting(
        v.pipe(nonEmpty(), v.regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1 to 64 of A-Z a-z 0-9 : _ . -')),
        'the prefix of every key and channel; nodes of one service share it, two services on one Redis must not',
        { env: 'LOTSE_REDIS_KEY_PREFIX' },
      ),
      'lotse:',
    ),
    persistence: v.optional(
      setting(
        v.picklist(PERSISTENCE_MODES, 'must be "check" or "confirmed-off"'),
        '`check`: at start and at every reconnect the server reads `save` and `appendonly` with `CONFIG GET` and refuses a Redis that writes to disk (anonymous chats live there). `confirmed-off`: for a managed Redis without `CONFIG`, the operator confirms that it keeps nothing on disk (no RDB snapshots, no AOF, no disk-based replication)',
        { env: 'LOTSE_REDIS_PERSISTENCE' },
      ),
      'check',
    ),
    leaseSeconds: v.optional(
      setting(
        positive(),
        "how long a node's lease on its chats lasts; it renews it every third of that. A node that died (its lease lapsed) has its chats taken over by the node its clients come back to, so this is about the longest wait for a chat after a node died; a node cut off from Redis this long loses its chats to another",
        { env: 'LOTSE_REDIS_LEASE_SECONDS' },
      ),
      5,
    ),
    nodeTtlSeconds: v.optional(
      setting(
        v.pipe(positive(), v.minValue(3, 'must be at least 3'), v.maxValue(3600, 'must be at most 3600')),
        'how long what a node shares outlives the node when it dies without a goodbye (a crash, `kill -9`): its waiting chats in the queue, its advisors’ presence. The node refreshes them every third of this while it runs',
        { env: 'LOTSE_REDIS_NODE_TTL_SECONDS' },
      ),
      30,
    ),
  },
  'must be an object',
);

export type RedisConfig = v.InferOutput<typeof RedisConfigSchema>;
