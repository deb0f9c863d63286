/** The `lotse` command line: help for every command, exit status 2 for a missing or unknown command or option. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { envNames } from '../../../src/server/config/reference.js';

const CLI = new URL('../../../src/server/cli.ts', import.meta.url).pathname;
const COMMANDS = ['serve', 'mint-advisor-token', 'check-config', 'audit-export', 'purge', 'webhooks', 'webhook-retry'];

interface Outcome { code: number | null; stdout: string; stderr: string }

/** Runs `lotse …` from the sources; a command that started a server instead would be killed after 20 s. */
function lotse(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, LOTSE_LOG_LEVEL: 'silent' }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }));
  });
}

test('lotse without a command prints the usage to stderr and exits 2', async () => {
  const { code, stdout, stderr } = await lotse();
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /^lotse: no command given\.\n\nUsage: lotse <command> \[options\]/);
});

test('an unknown command prints the usage to stderr and exits 2', async () => {
  const { code, stderr } = await lotse('serv');
  assert.equal(code, 2);
  assert.match(stderr, /^lotse: unknown command "serv"\.\n\nUsage: lotse <command>/);
});

test('lotse --help lists every command and every environment variable, and exits 0', async () => {
  const { code, stdout } = await lotse('--help');
  assert.equal(code, 0);
  for (const command of COMMANDS) assert.match(stdout, new RegExp(`^  ${command}\\b`, 'm'), command);
  for (const name of envNames()) assert.match(stdout, new RegExp(`\\b${name}\\b`), name);
  assert.ok(stdout.includes('LOTSE_COBROWSE_TURN_SECRET') && stdout.includes('LOTSE_TRUST_PROXY') && stdout.includes('LOTSE_MAX_CONNECTIONS'));
});

test('lotse <command> --help helps with that command (serve does not start), and exits 0', async () => {
  const outcomes = await Promise.all(COMMANDS.map((command) => lotse(command, '--help')));
  COMMANDS.forEach((command, i) => {
    const { code, stdout } = outcomes[i] as Outcome;
    assert.equal(code, 0, command);
    assert.match(stdout, new RegExp(`^Usage: lotse ${command}\\b`), command);
    assert.match(stdout, /^ {2}--help +show this help$/m, command);
    assert.ok(!stdout.includes('listening'), command);
  });
  const serve = (outcomes[0] as Outcome).stdout;
  assert.match(serve, /^ {2}--config FILE +/m);
  for (const name of envNames()) assert.match(serve, new RegExp(`^  ${name}  \\(`, 'm'), name);
  assert.equal((await lotse('help', 'serve')).stdout, serve);
  assert.equal((await lotse('webhook-retry', '-h')).stdout, (outcomes[6] as Outcome).stdout);
});

test('an unknown option, a missing value or a stray argument is named, with exit 2', async () => {
  const [unknown, noValue, stray, extra] = await Promise.all([
    lotse('serve', '--prot', '8080'),
    lotse('mint-advisor-token', '--id'),
    lotse('purge', 'now'),
    lotse('webhook-retry', 'chat-1', 'chat-2'),
  ]);
  assert.deepEqual([unknown?.code, noValue?.code, stray?.code, extra?.code], [2, 2, 2, 2]);
  assert.match(unknown?.stderr ?? '', /^lotse serve: unknown option --prot \(lotse serve --help lists the options\)\n$/);
  assert.match(noValue?.stderr ?? '', /^lotse mint-advisor-token: --id needs a value/);
  assert.match(stray?.stderr ?? '', /^lotse purge: unexpected argument "now"/);
  assert.match(extra?.stderr ?? '', /^lotse webhook-retry: unexpected argument "chat-2"/);
});
