/**
 * `AdvisorPresence` in Redis: every node sees every advisor's choice. Keys under `<prefix>presence:`:
 * `advisor:<id>` (hash: `presence`, `name`), `advisor:<id>:nodes` (sorted set: the nodes that hold the advisor, by
 * the time each hold lapses), `advisors` (set of the advisors with a record). Each operation is one Lua script
 * (`script.ts`) that first drops the lapsed holds of the advisors it looks at, and an advisor's record with its
 * last hold. Every key has a time to live (`ttlMs`, refreshed by each join and touch). Redis's `TIME` is the clock.
 */
import type { AdvisorPresence, Presence, PresenceRecord } from '../advisor-presence.js';
import type { RedisKeyspace } from './connection.js';
import { RedisScript } from './script.js';

// ARGV: key prefix, ttl ms, operation, node id, then its arguments. The keys are named by the advisor ids.
const SCRIPT = new RedisScript(`
local prefix, ttl, op, node = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local all = prefix .. 'advisors'
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function int(n) return string.format('%.0f', n) end
local function record(id) return prefix .. 'advisor:' .. id end
local function holds(id) return prefix .. 'advisor:' .. id .. ':nodes' end

local function live(id)
  redis.call('ZREMRANGEBYSCORE', holds(id), '-inf', int(now))
  if redis.call('ZCARD', holds(id)) > 0 then return true end
  redis.call('DEL', holds(id), record(id))
  redis.call('SREM', all, id)
  return false
end

local function keep(id)
  for _, key in ipairs({ record(id), holds(id), all }) do redis.call('PEXPIRE', key, ttl) end
end

if op == 'join' then
  local id, name = ARGV[5], ARGV[6]
  live(id)
  redis.call('ZADD', holds(id), int(now + ttl), node)
  redis.call('HSETNX', record(id), 'presence', 'available')
  redis.call('HSET', record(id), 'name', name)
  redis.call('SADD', all, id)
  keep(id)
  return redis.call('HGET', record(id), 'presence')
elseif op == 'leave' then
  redis.call('ZREM', holds(ARGV[5]), node)
  live(ARGV[5])
  return 'ok'
elseif op == 'set' then
  if live(ARGV[5]) then redis.call('HSET', record(ARGV[5]), 'presence', ARGV[6]) end
  return 'ok'
elseif op == 'get' then
  if not live(ARGV[5]) then return {} end
  return redis.call('HMGET', record(ARGV[5]), 'presence', 'name')
elseif op == 'any' then
  local any = 0
  for _, id in ipairs(redis.call('SMEMBERS', all)) do
    if live(id) and redis.call('HGET', record(id), 'presence') == 'available' then any = 1 end
  end
  return any
elseif op == 'available' then
  local out = {}
  for _, id in ipairs(redis.call('SMEMBERS', all)) do
    if #out < tonumber(ARGV[5]) * 2 and live(id) and redis.call('HGET', record(id), 'presence') == 'available' then
      out[#out + 1] = id
      out[#out + 1] = redis.call('HGET', record(id), 'name')
    end
  end
  return out
elseif op == 'touch' then
  for i = 5, #ARGV do
    if redis.call('ZSCORE', holds(ARGV[i]), node) then
      redis.call('ZADD', holds(ARGV[i]), 'XX', int(now + ttl), node)
      keep(ARGV[i])
    end
  end
  return 'ok'
end
return redis.error_reply('unknown presence operation')
`);

const presenceOf = (value: unknown): Presence => (value === 'away' ? 'away' : 'available');

export class RedisAdvisorPresence implements AdvisorPresence {
  readonly touchEveryMs: number;
  readonly #redis: RedisKeyspace;
  readonly #nodeId: string;
  readonly #ttlMs: number;
  readonly #namespace: string;

  /** `nodeId`: this node (`state/node-bus.ts`); `ttlMs`: how long its hold on an advisor lasts after a touch. */
  constructor(redis: RedisKeyspace, nodeId: string, ttlMs: number, namespace = 'presence') {
    this.#redis = redis;
    this.#nodeId = nodeId;
    this.#ttlMs = Math.max(1, Math.ceil(ttlMs));
    this.#namespace = namespace;
    this.touchEveryMs = Math.max(1, Math.floor(this.#ttlMs / 3));
  }

  #run(op: string, args: readonly string[]): Promise<unknown> {
    const argv = [this.#redis.key(this.#namespace, ''), String(this.#ttlMs), op, this.#nodeId, ...args];
    return SCRIPT.run(this.#redis, [], argv);
  }

  async join(id: string, name: string): Promise<PresenceRecord> {
    return { presence: presenceOf(await this.#run('join', [id, name])), name };
  }

  async leave(id: string): Promise<void> {
    await this.#run('leave', [id]);
  }

  async set(id: string, presence: Presence): Promise<void> {
    await this.#run('set', [id, presence]);
  }

  async get(id: string): Promise<PresenceRecord | undefined> {
    const answer = (await this.#run('get', [id])) as (string | null)[];
    const [presence, name] = answer;
    return typeof name === 'string' ? { presence: presenceOf(presence), name } : undefined;
  }

  async anyAvailable(): Promise<boolean> {
    return Number(await this.#run('any', [])) === 1;
  }

  async available(max: number): Promise<{ id: string; name: string }[]> {
    const answer = (await this.#run('available', [String(Math.max(0, Math.floor(max)))])) as string[];
    const out: { id: string; name: string }[] = [];
    for (let i = 0; i + 1 < answer.length; i += 2) out.push({ id: answer[i]!, name: answer[i + 1]! });
    return out;
  }

  async touch(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.#run('touch', [...ids]);
  }
}
