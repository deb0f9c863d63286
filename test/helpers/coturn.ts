/**
 * A real coturn (Debian's `turnserver`) on loopback for the relay test, with the REST-API shared secret that the
 * Lotse server uses to mint short-lived TURN credentials. Started and stopped by the test itself.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { freePort } from './browser.js';
import { stopProcess } from './process.js';

export interface Coturn {
  url: string;
  secret: string;
  close(): Promise<void>;
}

export const TURNSERVER = '/usr/bin/turnserver';

export function hasCoturn(): boolean {
  return existsSync(TURNSERVER);
}

export async function startCoturn(): Promise<Coturn> {
  const port = await freePort();
  const secret = randomBytes(24).toString('base64url');
  const relayFrom = 40000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(
    TURNSERVER,
    [
      '-n', // no configuration file: everything is here
      `--listening-port=${port}`,
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--min-port=${relayFrom}`,
      `--max-port=${relayFrom + 200}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=lotse.test',
      '--allow-loopback-peers', // the test's peers are on loopback; never in production
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--fingerprint',
      '--log-file=stdout',
      '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`coturn did not start:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Total General servers/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`coturn exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    close: () => stopProcess(child),
  };
}
