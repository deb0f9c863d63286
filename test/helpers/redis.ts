/**
 * A real Redis (Debian's `redis-server`) on loopback for the tests of the shared state: a throwaway instance on a
 * free port in a temporary directory, with persistence off (`save ""`, `appendonly no`) as Lotse requires, or on
 * (`persistence: true`) for the test that the server refuses it. `restart()` stops and starts it on the same port
 * (everything in it is lost, as with a real restart without persistence; `downMs`: down that long in between);
 * `close()` stops it and removes its directory. Nothing is left running.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { freePort } from './browser.js';
import { stopProcess } from './process.js';

export const REDIS_SERVER = '/usr/bin/redis-server';

export function hasRedis(): boolean {
  return existsSync(REDIS_SERVER);
}

export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Its working directory: where an RDB or AOF file would be written. */
  readonly dir: string;
  /** The files in its directory now (an RDB or AOF would show here). */
  files(): string[];
  /**
   * Stops the server (SIGTERM) and starts it again on the same port, empty (it keeps nothing on disk): what a
   * restarted Redis is to the nodes. `downMs`: how long it stays down in between (0 by default).
   */
  restart(options?: { downMs?: number }): Promise<void>;
  /** Stops it without starting it again (a test of a Redis that is gone). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export interface TestRedisOptions {
  /** RDB snapshots and an AOF, as a default Redis has: for the test that Lotse refuses it. */
  persistence?: boolean;
  /**
   * Cluster mode, one node holding every hash slot: a command (`EVAL` with its `KEYS`, `MULTI`, `DEL`) whose keys
   * are in two slots fails with `CROSSSLOT`, as on a Redis Cluster (`test/server/state/redis-keys.test.ts`).
   */
  cluster?: boolean;
}

function argsOf(port: number, dir: string, persistence: boolean, cluster: boolean): string[] {
  const clustered = cluster ? ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf')] : [];
  return [
    ...clustered,
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    persistence ? '3600 1' : '',
    '--appendonly',
    persistence ? 'yes' : 'no',
    '--protected-mode',
    'yes',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    '--logfile',
    '',
  ];
}

/** Gives the one node of a cluster every slot, and waits until the cluster says it is up. */
async function claimAllSlots(port: number): Promise<void> {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  await client.connect();
  try {
    await client.sendCommand(['CLUSTER', 'ADDSLOTSRANGE', '0', '16383']);
    const deadline = Date.now() + 10_000;
    while (!String(await client.sendCommand(['CLUSTER', 'INFO'])).includes('cluster_state:ok')) {
      if (Date.now() > deadline) throw new Error('the one-node Redis cluster did not come up');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.close();
  }
}

async function launch(port: number, dir: string, persistence: boolean, cluster = false): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, argsOf(port, dir, persistence, cluster), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // Ready when it accepts a connection: `redis-server` at `--loglevel warning` prints nothing on start.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${output}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) {
      if (cluster) {
        await claimAllSlots(port).catch((error: unknown) => {
          child.kill('SIGKILL');
          throw error;
        });
      }
      return child;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const persistence = options.persistence ?? false;
  const cluster = options.cluster ?? false;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lotse-redis-'));
  let child: ChildProcess | undefined;
  try {
    child = await launch(port, dir, persistence, cluster);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const stop = async (): Promise<void> => {
    if (child !== undefined) await stopProcess(child);
    child = undefined;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    files: () => readdirSync(dir, { recursive: true }).map(String),
    restart: async (options = {}) => {
      await stop();
      if ((options.downMs ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, options.downMs));
      rmSync(join(dir, 'nodes.conf'), { force: true });
      child = await launch(port, dir, persistence, cluster);
    },
    stop,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The names of every key in a Redis now. */
export async function keysIn(url: string): Promise<string[]> {
  const client = createClient({ url });
  await client.connect();
  try {
    return await client.keys('*');
  } finally {
    await client.close();
  }
}

/** Every key in a Redis with its value(s) as text (a list's entries, a hash as JSON, a set's or sorted set's members). */
export async function dumpRedis(url: string): Promise<Map<string, string>> {
  const client = createClient({ url });
  await client.connect();
  try {
    const out = new Map<string, string>();
    for (const key of await client.keys('*')) {
      const type = await client.type(key);
      const value =
        type === 'list'
          ? (await client.lRange(key, 0, -1)).join('\n')
          : type === 'hash'
            ? JSON.stringify(await client.hGetAll(key))
            : type === 'set'
              ? (await client.sMembers(key)).join('\n')
              : type === 'zset'
                ? (await client.zRange(key, 0, -1)).join('\n')
                : String(await client.get(key));
      out.set(key, value);
    }
    return out;
  } finally {
    await client.close();
  }
}

/**
 * Lua for `setScriptPrelude` (`src/server/state/redis/script.ts`): put before every script, it fails the script
 * (`UNDECLARED`) at the first command on a key that did not come in `KEYS` (which keys a command names, Redis says:
 * `COMMAND GETKEYS`). Redis itself lets a script on one node touch any key; a Redis Cluster or a managed Redis with
 * key-slot checks does not.
 */
export const DECLARED_KEYS_ONLY = `
local __declared, __redis = {}, redis
for _, key in ipairs(KEYS) do __declared[key] = true end
local function __check(...)
  local keys = __redis.pcall('COMMAND', 'GETKEYS', ...)
  if type(keys) ~= 'table' or keys.err ~= nil then return end
  for _, key in ipairs(keys) do
    if not __declared[key] then error({ err = 'UNDECLARED ' .. tostring((...)) .. ' on a key not in KEYS: ' .. key }) end
  end
end
local redis = setmetatable({
  call = function(...) __check(...) return __redis.call(...) end,
  pcall = function(...) __check(...) return __redis.pcall(...) end,
}, { __index = __redis })
`;
