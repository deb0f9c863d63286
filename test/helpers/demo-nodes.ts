/**
 * Lotse nodes of one service on one Redis, each in a child process of its own (`test/e2e/fixtures/demo-node.ts`), as
 * `npm start` runs them (demo pages, bundles from dist/) with the same advisor secret: for the tests that put nginx
 * in front and kill a node with SIGKILL. Each listens on a port chosen here, so that nginx can be started (and its
 * origin known) before the nodes are.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { freePort } from './browser.js';
import { stopProcess } from './process.js';

const FIXTURE = new URL('../e2e/fixtures/demo-node.ts', import.meta.url).pathname;

export interface DemoNode {
  readonly port: number;
  /** http://127.0.0.1:<port>, the node itself (not through nginx). */
  readonly url: string;
  /** Its id in Redis (`lotse:chat:{<id>}:owner`, co-browse session ids). */
  readonly nodeId: string;
  readonly child: ChildProcess;
  /** Whether it still runs. */
  alive(): boolean;
  /** kill -9, and its exit. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful stop), SIGKILL after 5 s. */
  close(): Promise<void>;
}

export interface DemoNodeOptions {
  redisUrl: string;
  /** The origins of the pages (nginx's). */
  origins: string[];
  /** `redis.leaseSeconds`; the shipped default unless given. */
  leaseSeconds?: number;
  /** `limits.maxVisitorSocketsPerClient`: every client of a test comes from 127.0.0.1. */
  visitorSocketsPerClient?: number;
}

/** A free port for each node to come. */
export async function nodePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

export async function startDemoNode(port: number, options: DemoNodeOptions): Promise<DemoNode> {
  const args = {
    redisUrl: options.redisUrl,
    port,
    origins: options.origins,
    leaseSeconds: options.leaseSeconds ?? 5,
    visitorSocketsPerClient: options.visitorSocketsPerClient ?? 20,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const nodeId = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+) (\S+)\n/.exec(out);
      if (line !== null) resolve(line[2]!);
    });
    child.once('exit', (code) => reject(new Error(`the node on port ${port} exited with ${code} before listening`)));
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    nodeId,
    child,
    alive,
    kill: async () => {
      if (!alive()) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    close: () => stopProcess(child),
  };
}
