/**
 * `QueueStore` in Redis: the service's one queue, for every node. Keys under `<prefix>{queue}:` (one hash slot):
 * `order` (sorted set of chat ids by rank, `since` unless the entry names one; a counter folded into the score keeps
 * one millisecond's entries in the order added), `deadline` (sorted set: when each entry lapses unless its node
 * touches it), `items` (hash: chat id → queue item as JSON), `clients` (hash: chat id → client key), `counts` (hash:
 * client key → how many of its chats wait), `seq`; and the service's pace for the wait estimate (`QueuePace`):
 * `busy` (hash: `ms`, how long the queue was non-empty before `since`, the time it last became non-empty, absent
 * while it is empty) and `accepts` (list of `<time>:<busy ms>` of each accept in the window, at most 1,000). A
 * fixed set of keys, so that the script is given every key it touches (`script.ts`). The pace keys live for the
 * window (`paceWindowMs`), the others `ttlMs`.
 *
 * Each operation is one Lua script (`script.ts`), so an admission checks both limits and adds in one step on the
 * Redis server, and every script first drops the entries whose deadline passed (the chats of a node that died). A
 * chat that leaves the queue leaves nothing of it here; every key has a time to live (`ttlMs`, refreshed at each
 * write), so that nothing outlives a service whose nodes all died. Redis's time (`TIME`) is the clock: the nodes'
 * clocks may differ.
 */
import { WAIT_ESTIMATE_WINDOW_MS } from '../../../protocol/limits.js';
import type { QueueItem } from '../../../protocol/messages.js';
import { touchEveryMs } from '../queue-store.js';
import type { Admission, AdmissionLimits, QueueEntry, QueuePlaces, QueueStore } from '../queue-store.js';
import type { RedisKeyspace } from './connection.js';
import { RedisScript } from './script.js';

// KEYS: order, deadline, items, clients, seq, counts, busy, accepts. ARGV: pace window ms, ttl ms, operation, then
// its arguments.
const SCRIPT = new RedisScript(`
local order, deadlines, items, clients, seqKey, counts = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local busy, accepts = KEYS[7], KEYS[8]
local window, ttl, op = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function int(n) return string.format('%.0f', n) end

local function drop(id)
  local client = redis.call('HGET', clients, id)
  if client and redis.call('HINCRBY', counts, client, -1) <= 0 then redis.call('HDEL', counts, client) end
  redis.call('HDEL', items, id)
  redis.call('HDEL', clients, id)
  redis.call('ZREM', order, id)
  redis.call('ZREM', deadlines, id)
end

local function purge()
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', deadlines, '-inf', int(now))) do drop(id) end
end

local function keep()
  for _, key in ipairs({ order, deadlines, items, clients, seqKey, counts }) do redis.call('PEXPIRE', key, ttl) end
end

local function add(id, since, item, client)
  drop(id)
  local seq = redis.call('INCR', seqKey) % 1024
  redis.call('ZADD', order, int(tonumber(since) * 1024 + seq), id)
  redis.call('ZADD', deadlines, int(now + ttl), id)
  redis.call('HSET', items, id, item)
  redis.call('HSET', clients, id, client)
  redis.call('HINCRBY', counts, client, 1)
  keep()
end

local function countOf(from)
  local seen, count = {}, 0
  for i = from, #ARGV do
    if not seen[ARGV[i]] then
      seen[ARGV[i]] = true
      count = count + (tonumber(redis.call('HGET', counts, ARGV[i])) or 0)
    end
  end
  return count
end

-- The busy clock: how long the queue was non-empty, until now.
local function busyNow()
  local clock = redis.call('HMGET', busy, 'ms', 'since')
  local ms = tonumber(clock[1]) or 0
  if clock[2] then ms = ms + now - tonumber(clock[2]) end
  return ms
end

-- The clock starts when the queue becomes non-empty and stops when it is empty again.
local function settle()
  local since = redis.call('HGET', busy, 'since')
  local size = redis.call('ZCARD', order)
  if size > 0 and not since then
    redis.call('HSET', busy, 'since', int(now))
  elseif size == 0 and since then
    redis.call('HINCRBY', busy, 'ms', int(now - tonumber(since)))
    redis.call('HDEL', busy, 'since')
  end
  redis.call('PEXPIRE', busy, window)
end

-- Accepts older than the window go.
local function prune()
  local head = redis.call('LINDEX', accepts, 0)
  while head and tonumber(string.match(head, '^(%d+)')) < now - window do
    redis.call('LPOP', accepts)
    head = redis.call('LINDEX', accepts, 0)
  end
end

local function run()
if op == 'admit' then
  -- id, since, item, client, max waiting, max per client, client keys...
  if countOf(10) >= (tonumber(ARGV[9]) or math.huge) then return 'per_client' end
  if redis.call('ZCARD', order) >= (tonumber(ARGV[8]) or math.huge) then return 'full' end
  add(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
  return 'admitted'
elseif op == 'put' then
  add(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
  return 'ok'
elseif op == 'update' then
  if redis.call('HEXISTS', items, ARGV[4]) == 1 then redis.call('HSET', items, ARGV[4], ARGV[5]) end
  return 'ok'
elseif op == 'remove' then
  -- chat id, whether an advisor took it
  drop(ARGV[4])
  if ARGV[5] == '1' then
    prune()
    redis.call('RPUSH', accepts, int(now) .. ':' .. int(busyNow()))
    redis.call('LTRIM', accepts, -1000, -1)
    redis.call('PEXPIRE', accepts, window)
  end
  return redis.call('ZCARD', order)
elseif op == 'touch' then
  for i = 4, #ARGV do
    if redis.call('ZSCORE', deadlines, ARGV[i]) then
      redis.call('ZADD', deadlines, 'XX', int(now + ttl), ARGV[i])
    end
  end
  keep()
  return 'ok'
elseif op == 'first' then
  local ids = redis.call('ZRANGE', order, 0, tonumber(ARGV[4]) - 1)
  if #ids == 0 then return {} end
  return redis.call('HMGET', items, unpack(ids))
elseif op == 'places' then
  local out = {}
  for i = 4, #ARGV do
    local rank = redis.call('ZRANK', order, ARGV[i])
    out[#out + 1] = rank and rank + 1 or 0
  end
  out[#out + 1] = redis.call('ZCARD', order)
  -- The pace: accepts in the window, the busy clock at the first and the last of them, and now.
  prune()
  local first, last = redis.call('LINDEX', accepts, 0), redis.call('LINDEX', accepts, -1)
  out[#out + 1] = redis.call('LLEN', accepts)
  out[#out + 1] = first and tonumber(string.match(first, ':(%d+)$')) or 0
  out[#out + 1] = last and tonumber(string.match(last, ':(%d+)$')) or 0
  out[#out + 1] = busyNow()
  return out
elseif op == 'size' then
  return redis.call('ZCARD', order)
elseif op == 'count' then
  return countOf(4)
end
return redis.error_reply('unknown queue operation')
end

purge()
local result = run()
settle()
return result
`);

export class RedisQueueStore implements QueueStore {
  readonly #redis: RedisKeyspace;
  readonly #ttlMs: number;
  readonly #namespace: string;
  readonly #paceWindowMs: number;
  readonly touchEveryMs: number;

  /**
   * `ttlMs`: how long an entry lives after its node last touched it; `namespace` keeps queues apart (tests);
   * `paceWindowMs`: how far back the accepts count for the wait estimate.
   */
  constructor(redis: RedisKeyspace, ttlMs: number, namespace = 'queue', paceWindowMs = WAIT_ESTIMATE_WINDOW_MS) {
    this.#redis = redis;
    this.#ttlMs = Math.max(1, Math.ceil(ttlMs));
    this.#namespace = namespace;
    this.#paceWindowMs = Math.max(1, Math.ceil(paceWindowMs));
    this.touchEveryMs = touchEveryMs(this.#ttlMs);
  }

  #run(op: string, args: readonly (string | number)[]): Promise<unknown> {
    const names = ['order', 'deadline', 'items', 'clients', 'seq', 'counts', 'busy', 'accepts'];
    const keys = names.map((name) => this.#redis.key(`{${this.#namespace}}`, name));
    const argv = [String(this.#paceWindowMs), String(this.#ttlMs), op, ...args.map(String)];
    return SCRIPT.run(this.#redis, keys, argv);
  }

  static #entryArgs({ item, clientKey, rank = item.since }: QueueEntry): string[] {
    return [item.chatId, String(Math.floor(rank)), JSON.stringify(item), clientKey];
  }

  async admit(entry: QueueEntry, limits: AdmissionLimits): Promise<Admission> {
    const answer = await this.#run('admit', [
      ...RedisQueueStore.#entryArgs(entry),
      limits.maxWaiting,
      limits.maxPerClient,
      ...limits.clientKeys,
    ]);
    return answer === 'per_client' || answer === 'full' ? answer : 'admitted';
  }

  async put(entry: QueueEntry): Promise<void> {
    await this.#run('put', RedisQueueStore.#entryArgs(entry));
  }

  async update(item: QueueItem): Promise<void> {
    await this.#run('update', [item.chatId, JSON.stringify(item)]);
  }

  async remove(chatId: string, accepted = false): Promise<number> {
    return Number(await this.#run('remove', [chatId, accepted ? '1' : '0']));
  }

  async touch(chatIds: readonly string[]): Promise<void> {
    if (chatIds.length > 0) await this.#run('touch', chatIds);
  }

  async first(n: number): Promise<QueueItem[]> {
    const count = Math.floor(n);
    if (count <= 0) return [];
    const items = (await this.#run('first', [count])) as (string | null)[];
    return items
      .filter((item): item is string => typeof item === 'string')
      .map((item) => JSON.parse(item) as QueueItem);
  }

  async places(chatIds: readonly string[]): Promise<QueuePlaces> {
    const answer = ((await this.#run('places', chatIds)) as number[]).map(Number);
    const [size = 0, accepts = 0, firstBusyMs = 0, lastBusyMs = 0, busyNowMs = 0] = answer.splice(chatIds.length);
    const pace = { accepts, firstBusyMs, lastBusyMs, busyNowMs };
    return { positions: answer.map((rank) => (rank > 0 ? rank : undefined)), size, pace };
  }

  async size(): Promise<number> {
    return Number(await this.#run('size', []));
  }

  async countOf(clientKeys: readonly string[]): Promise<number> {
    return Number(await this.#run('count', clientKeys));
  }
}
