/**
 * `AdvisorPresence` in Redis: every node sees every advisor's choice. Keys under `<prefix>{presence}:` (one hash
 * slot): `choices` (hash: advisor id → `available` or `away`), `names` (hash: advisor id → name), `holds` (sorted
 * set: each node's hold on an advisor, `["<node>","<id>"]`, by the time it lapses), `counts` (hash: advisor id → how
 * many holds it has). Each operation is one Lua script (`script.ts`), given this fixed set of keys, that first drops
 * the lapsed holds, and an advisor's record with its last hold. Every key has a time to live (`ttlMs`, refreshed by
 * each join and touch). Redis's `TIME` is the clock.
 */
import type { AdvisorPresence, Presence, PresenceRecord } from '../advisor-presence.js';
import type { RedisKeyspace } from './connection.js';
import { RedisScript } from './script.js';

// KEYS: choices, names, holds, counts. ARGV: ttl ms, operation, node id, then its arguments.
const SCRIPT = new RedisScript(`
local choices, names, holds, counts = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ttl, op, node = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function int(n) return string.format('%.0f', n) end
local function hold(id) return cjson.encode({ node, id }) end

-- One hold fewer on the advisor: its record goes with its last.
local function release(id)
  if redis.call('HINCRBY', counts, id, -1) > 0 then return end
  redis.call('HDEL', counts, id)
  redis.call('HDEL', choices, id)
  redis.call('HDEL', names, id)
end

for _, lapsed in ipairs(redis.call('ZRANGEBYSCORE', holds, '-inf', int(now))) do
  redis.call('ZREM', holds, lapsed)
  release(cjson.decode(lapsed)[2])
end

local function live(id) return redis.call('HEXISTS', counts, id) == 1 end

local function keep()
  for _, key in ipairs({ choices, names, holds, counts }) do redis.call('PEXPIRE', key, ttl) end
end

if op == 'join' then
  local id, name = ARGV[4], ARGV[5]
  if redis.call('ZADD', holds, int(now + ttl), hold(id)) == 1 then redis.call('HINCRBY', counts, id, 1) end
  redis.call('HSETNX', choices, id, 'available')
  redis.call('HSET', names, id, name)
  keep()
  return redis.call('HGET', choices, id)
elseif op == 'leave' then
  if redis.call('ZREM', holds, hold(ARGV[4])) == 1 then release(ARGV[4]) end
  return 'ok'
elseif op == 'set' then
  if live(ARGV[4]) then redis.call('HSET', choices, ARGV[4], ARGV[5]) end
  return 'ok'
elseif op == 'get' then
  if not live(ARGV[4]) then return {} end
  return { redis.call('HGET', choices, ARGV[4]), redis.call('HGET', names, ARGV[4]) }
elseif op == 'any' then
  local all = redis.call('HGETALL', choices)
  for i = 2, #all, 2 do
    if all[i] == 'available' then return 1 end
  end
  return 0
elseif op == 'available' then
  local out, all = {}, redis.call('HGETALL', choices)
  for i = 1, #all, 2 do
    if #out < tonumber(ARGV[4]) * 2 and all[i + 1] == 'available' then
      out[#out + 1] = all[i]
      out[#out + 1] = redis.call('HGET', names, all[i])
    end
  end
  return out
elseif op == 'touch' then
  for i = 4, #ARGV do redis.call('ZADD', holds, 'XX', int(now + ttl), hold(ARGV[i])) end
  keep()
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
    const keys = ['choices', 'names', 'holds', 'counts'].map((name) => this.#redis.key(`{${this.#namespace}}`, name));
    return SCRIPT.run(this.#redis, keys, [String(this.#ttlMs), op, this.#nodeId, ...args]);
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
