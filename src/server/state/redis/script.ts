/**
 * A Lua script run by its SHA1 (`EVALSHA`), sent in full (`EVAL`) only when Redis does not know it yet (after a
 * start or a restart, `NOSCRIPT`): each operation of a store that has to check and change several keys in one step
 * (the queue's admission, the advisors' presence, an owner's compare-and-set) is one script call, atomic on the
 * Redis server. Every script is one of these (no store calls `EVAL` itself).
 *
 * Each script touches only the keys it is given in `KEYS`, never a key it builds from an argument or from what it
 * read, and all of one call's keys share a hash slot (a hash tag, `{…}`): Redis's contract for scripts, which a
 * Redis Cluster or a managed Redis with key-slot checks enforces (docs/operator.md, "Redis Cluster").
 * `test/server/state/redis-keys.test.ts` holds every store to it, on a Redis in cluster mode, with
 * `setScriptPrelude` (tests only) putting a check before each script that fails any command on an undeclared key.
 */
import { createHash } from 'node:crypto';
import type { RedisKeyspace } from './connection.js';

let prelude = '';

/** Tests only: Lua put before every script's source from now on (`''`: none, as in production). */
export function setScriptPrelude(lua: string): void {
  prelude = lua;
}

export class RedisScript {
  readonly #source: string;
  #sent: { source: string; sha: string } | undefined;

  constructor(source: string) {
    this.#source = source;
  }

  /** The source as sent (with the prelude, if any), and its SHA1. */
  #current(): { source: string; sha: string } {
    const source = prelude + this.#source;
    if (this.#sent?.source !== source) {
      this.#sent = { source, sha: createHash('sha1').update(source).digest('hex') };
    }
    return this.#sent;
  }

  /** Runs the script; what it returns, as Redis replied (strings, numbers, arrays of them). */
  async run(redis: RedisKeyspace, keys: string[], args: string[]): Promise<unknown> {
    const options = { keys, arguments: args };
    const { source, sha } = this.#current();
    return await redis.timed('evalsha', async () => {
      try {
        return (await redis.client.evalSha(sha, options)) as unknown;
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return (await redis.client.eval(source, options)) as unknown;
      }
    });
  }
}
