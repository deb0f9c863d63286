/**
 * A real nginx (Debian's) terminating TLS in front of one Lotse node or several, the way an insurer runs it: a
 * certificate the test makes with openssl, round robin without sticky sessions, the WebSocket upgrade passed on,
 * `X-Forwarded-For` and `X-Forwarded-Proto` set.
 * One throwaway instance on a free loopback port, in a temporary directory, stopped and removed by `close()`.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './browser.js';
import { stopProcess } from './process.js';

export const NGINX = '/usr/sbin/nginx';

export function hasNginx(): boolean {
  return existsSync(NGINX);
}

export interface Nginx {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** The certificate (PEM) to trust for `url`. */
  ca: string;
  close(): Promise<void>;
}

/**
 * What the nginx in front of Lotse needs, in the `location` that proxies to it: HTTP/1.1 with the WebSocket upgrade
 * passed on, the client's address and scheme for `trustProxy`, read and send timeouts well above the heartbeat
 * (`heartbeatSeconds`, 30 s), and a quick connect timeout so that a node that is gone is skipped for the next one.
 * docs/operator.md shows these very lines (`test/server/transport/nginx-nodes.test.ts` checks that it does).
 */
export const LOTSE_PROXY_DIRECTIVES: readonly string[] = [
  'proxy_http_version 1.1;',
  'proxy_set_header Host $host;',
  'proxy_set_header Upgrade $http_upgrade;',
  'proxy_set_header Connection $connection_upgrade;',
  'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  'proxy_set_header X-Forwarded-Proto $scheme;',
  'proxy_connect_timeout 2s;',
  'proxy_read_timeout 75s;',
  'proxy_send_timeout 75s;',
  'proxy_next_upstream error timeout;',
];

function config(dir: string, port: number, upstreamPorts: readonly number[]): string {
  // Round robin over the nodes, no sticky sessions; a node that refuses a connection is left out for 5 s.
  const servers = upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
  return `
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream lotse {
${servers}
  }
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    location / {
      proxy_pass http://lotse;
${LOTSE_PROXY_DIRECTIVES.map((line) => `      ${line}`).join('\n')}
    }
  }
}
`;
}

async function listening(port: number, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      throw new Error(`nginx exited with ${child.exitCode}: ${log}`);
    }
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error('nginx did not start listening within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts nginx with TLS on a free loopback port, proxying round robin to the nodes on these ports of 127.0.0.1. */
export async function startNginx(upstreamPorts: number | readonly number[]): Promise<Nginx> {
  const upstreams = typeof upstreamPorts === 'number' ? [upstreamPorts] : upstreamPorts;
  const dir = mkdtempSync(join(tmpdir(), 'lotse-nginx-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), config(dir, port, upstreams));
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: 'ignore',
  });
  try {
    await listening(port, child, dir);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `https://127.0.0.1:${port}`,
    ca: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    async close() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
