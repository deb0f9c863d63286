/**
 * A Lua script run by its SHA1 (`EVALSHA`), sent in full (`EVAL`) only when Redis does not know it yet (after a
 * start or a restart, `NOSCRIPT`): each operation of a store that has to check and change several keys in one step
 * (the queue's admission, the advisors' presence) is one script call, atomic on the Redis server.
 */
import { createHash } from 'node:crypto';
import type { RedisKeyspace } from './connection.js';

export class RedisScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script; what it returns, as Redis replied (strings, numbers, arrays of them). */
  async run(redis: RedisKeyspace, keys: string[], args: string[]): Promise<unknown> {
    const options = { keys, arguments: args };
    return await redis.timed('evalsha', async () => {
      try {
        return (await redis.client.evalSha(this.#sha, options)) as unknown;
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return (await redis.client.eval(this.#source, options)) as unknown;
      }
    });
  }
}
