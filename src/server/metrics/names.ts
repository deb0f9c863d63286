/**
 * The fixed sets every label of `/metrics` takes its values from. Nothing a client sent, no id, no name and no
 * address can become a label: a value outside its set is counted as `other`.
 */

/** The limits whose refusals are counted (`lotse_limit_refusals_total{limit}`), each from the log line it writes. */
export const LIMITS = [
  // `upgrade.refused` with `reason: 'capacity'`: the connection cap, the advisors' reserved share, sockets per client.
  'connections',
  // `message.refused` with `LOTSE_ERR_RATE_LIMITED`: the message rate, messages while one is handled, webcode tries.
  'rate_limited',
  // `connection.closed` with `reason: 'rate'`: a socket closed (1008) for going on past the rate limit.
  'rate_close',
  // `chat.busy` with `reason: 'per_client'`: one client's waiting chats.
  'waiting_per_client',
  // `chat.busy` without a reason: the whole queue is full.
  'queue_full',
  // `cobrowse.webcode_lockout`: a socket or client locked out after wrong webcodes.
  'webcode_lockout',
  // `cobrowse.webcode_flood`: the server-wide budget of wrong webcodes per minute ran out.
  'webcode_flood',
  // `limits.store_full`: the in-memory limit state is full and fails closed.
  'state_full',
  // `connection.terminated` with `reason: 'slow'`: a socket that stopped reading.
  'slow_reader',
] as const;
export type LimitName = (typeof LIMITS)[number];

/** Why an upgrade was refused (`upgrade.refused`'s `reason`); anything else is `other`. */
export const UPGRADE_REASONS = ['origin', 'path', 'subprotocol', 'token', 'expired', 'capacity', 'other'] as const;
export type UpgradeReason = (typeof UPGRADE_REASONS)[number];

/**
 * Redis commands whose latency is observed (`observeRedis`); any other command is counted as `other`. Lower case,
 * as node-redis names them.
 */
export const REDIS_COMMANDS = [
  'get',
  'set',
  'del',
  'incr',
  'expire',
  'exists',
  'hget',
  'hset',
  'hdel',
  'hgetall',
  'zadd',
  'zrem',
  'zrange',
  'xadd',
  'xrange',
  'xread',
  'eval',
  'evalsha',
  'multi',
  'publish',
  'subscribe',
  'scan',
  'ping',
  'rpush',
  'lrange',
  'llen',
  'pexpire',
  'getdel',
  'incrby',
  'pubsub',
  'other',
] as const;
export type RedisCommand = (typeof REDIS_COMMANDS)[number];

/** The value if it is one of `set`, else `other`. */
export function oneOf<const T extends string>(set: readonly T[], value: string | undefined, other: T): T {
  return value !== undefined && (set as readonly string[]).includes(value) ? (value as T) : other;
}
