/**
 * Several Lotse nodes in this process on one throwaway Redis, for the tests of a service of several nodes: each
 * test's nodes and Redis are closed after it (the last node checks that nothing at all is left running; the others
 * would find it still running).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterEach } from 'node:test';
import { startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import { startServer } from '../helpers.js';
import type { ConfigOverrides, Harness } from '../helpers.js';
import type { ServerOptions } from '../../../src/server/app/server.js';

export interface Nodes {
  /** The test's Redis, started on first use. */
  redis(): Promise<TestRedis>;
  /** A node on the test's Redis (`options.store: undefined` opens the configured store; the default is none). */
  node(overrides?: ConfigOverrides, options?: ServerOptions): Promise<Harness>;
  /** Two nodes on the test's Redis, and the Redis. */
  two(overrides?: ConfigOverrides): Promise<[Harness, Harness, TestRedis]>;
  /** A node the test closed itself. */
  forget(node: Harness): void;
}

export function useNodes(): Nodes {
  const open: Harness[] = [];
  let redis: TestRedis | undefined;
  afterEach(async () => {
    const harnesses = open.splice(0);
    for (const [index, harness] of harnesses.entries()) {
      await harness.close({ checkHandles: index === harnesses.length - 1 });
    }
    await redis?.close();
    redis = undefined;
  });
  const nodes: Nodes = {
    redis: async () => (redis ??= await startRedis()),
    node: async (overrides = {}, options = {}) => {
      const { url } = await nodes.redis();
      const node = await startServer({ ...overrides, redis: { ...overrides.redis, url } }, options);
      open.push(node);
      return node;
    },
    two: async (overrides = {}) => [await nodes.node(overrides), await nodes.node(overrides), await nodes.redis()],
    forget: (node) => {
      const index = open.indexOf(node);
      if (index >= 0) open.splice(index, 1);
    },
  };
  return nodes;
}

export interface NodeProcess {
  port: number;
  child: ChildProcess;
  exited: Promise<unknown>;
  /** What it logged so far (its stderr, at `warn`; also passed on to this process's stderr). */
  logged(): string;
}

/**
 * A node in a child process of its own (`fixtures/node.ts`) on the Redis at `url`, with a lease of one second: for
 * the tests that kill one with SIGKILL. `overrides` (JSON-safe) go to its configuration; with `storage` it opens
 * that store. The test kills it (`child.kill('SIGKILL')`, then `await exited`).
 */
export async function nodeProcess(url: string, overrides: ConfigOverrides = {}): Promise<NodeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/server/cluster/fixtures/node.ts', url, '1', JSON.stringify(overrides)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
    process.stderr.write(chunk);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`the node exited with ${code}`)));
  });
  return { port, child, exited, logged: () => log };
}
