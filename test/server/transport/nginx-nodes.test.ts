/**
 * Two Lotse nodes behind a real nginx as docs/operator.md configures it: TLS, the WebSocket upgrade, round robin
 * without sticky sessions; a node that is gone is skipped, so new connections all reach the one left. And the
 * directives the docs show are the ones this test runs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { LOTSE_PROXY_DIRECTIVES, hasNginx, startNginx } from '../../helpers/nginx.js';
import { ORIGIN, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

/** A visitor socket through nginx that answers a ping: open, upgraded, and relayed both ways. */
async function visitorThrough(url: string, ca: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace('https:', 'wss:')}/ws/visitor`, [SUBPROTOCOL], {
    ca,
    origin: ORIGIN,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pong = new Promise<void>((resolve) =>
    ws.on('message', (data: Buffer) => {
      if (data.toString().includes('session.pong')) resolve();
    }),
  );
  ws.send(JSON.stringify({ v: 1, type: 'session.ping' }));
  await pong;
  return ws;
}

const opened = (h: Harness): number =>
  h.logs.filter((line) => line.includes('"connection.open"') && line.includes('"visitor"')).length;

test(
  'round robin over two nodes through nginx; with one gone, every new connection reaches the other',
  {
    skip: !hasNginx() && 'needs nginx',
  },
  async () => {
    const a = await startServer({ trustProxy: true });
    const b = await startServer({ trustProxy: true });
    const nginx = await startNginx([Number(new URL(a.url).port), Number(new URL(b.url).port)]);
    const sockets: WebSocket[] = [];
    try {
      for (let i = 0; i < 8; i++) sockets.push(await visitorThrough(nginx.url, nginx.ca));
      assert.deepEqual([opened(a), opened(b)], [4, 4], 'round robin, no stickiness');

      await b.server.close();
      for (let i = 0; i < 6; i++) sockets.push(await visitorThrough(nginx.url, nginx.ca));
      assert.equal(opened(a), 10, 'every new connection reached the node that is left');
    } finally {
      for (const ws of sockets) ws.terminate();
      await nginx.close();
      await a.server.close();
    }
  },
);

test('docs/operator.md shows the proxy directives the test runs', () => {
  const docs = readFileSync(new URL('../../../docs/operator.md', import.meta.url), 'utf8');
  for (const line of LOTSE_PROXY_DIRECTIVES) assert.ok(docs.includes(line), `docs/operator.md lacks "${line}"`);
  assert.ok(docs.includes('map $http_upgrade $connection_upgrade'));
});
