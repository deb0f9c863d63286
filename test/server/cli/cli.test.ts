/** The `lotse` command line: help for every command, exit status 2 for a missing or unknown command or option. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { commandsWith, main } from '../../../src/server/cli/main.js';
import type { CreateServer } from '../../../src/server/cli/server-commands.js';
import { envNames } from '../../../src/server/config/reference.js';

const CLI = new URL('../../../src/server/cli.ts', import.meta.url).pathname;
const NAMES = [
  'serve',
  'mint-advisor-token',
  'check-config',
  'audit-export',
  'purge',
  'webhooks',
  'webhook-retry',
  'snippets',
  'ratings',
];

/** Help and usage mistakes never start a server. */
const noServer: CreateServer = () => assert.fail('no server is started here');
const COMMANDS = commandsWith(noServer);

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lotse …` in this process, collecting what it writes. Only help and mistakes: nothing is started. */
async function lotse(...args: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    noServer,
    { write: (text: string) => (stdout += text) },
    { write: (text: string) => (stderr += text) },
  );
  return { code, stdout, stderr };
}

/** Runs the real bin from the sources; a command that started a server instead would be killed after 60 s. */
function spawnLotse(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { env: { ...process.env, LOTSE_LOG_LEVEL: 'silent' }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
}

test('the bin: no command exits 2 with the usage on stderr; serve --help helps and exits 0 instead of serving', async () => {
  const none = await spawnLotse();
  assert.deepEqual([none.code, none.stdout], [2, '']);
  assert.match(none.stderr, /^lotse: no command given\.\n\nUsage: lotse <command> \[options\]/);
  const help = await spawnLotse('serve', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: lotse serve \[--config FILE\] \[--demo\]\n/);
  assert.ok(!help.stdout.includes('listening'));
});

test('an unknown command prints the usage to stderr and exits 2', async () => {
  const { code, stdout, stderr } = await lotse('serv');
  assert.deepEqual([code, stdout], [2, '']);
  assert.match(stderr, /^lotse: unknown command "serv"\.\n\nUsage: lotse <command>/);
  assert.equal((await lotse('help', 'serv')).code, 2);
});

test('lotse --help lists every command and every environment variable, and exits 0', async () => {
  assert.deepEqual(COMMANDS.map((command) => command.name).sort(), [...NAMES].sort());
  const { code, stdout } = await lotse('--help');
  assert.equal(code, 0);
  for (const name of NAMES) assert.match(stdout, new RegExp(`^  ${name}\\b`, 'm'), name);
  for (const name of envNames()) assert.match(stdout, new RegExp(`\\b${name}\\b`), name);
  assert.ok(
    stdout.includes('LOTSE_COBROWSE_TURN_SECRET') &&
      stdout.includes('LOTSE_TRUST_PROXY') &&
      stdout.includes('LOTSE_MAX_CONNECTIONS'),
  );
  assert.equal((await lotse('-h')).stdout, stdout);
  assert.equal((await lotse('help')).stdout, stdout);
});

test('lotse <command> --help helps with that command, whatever else is given, and exits 0', async () => {
  for (const name of NAMES) {
    const { code, stdout } = await lotse(name, '--unknown', '--help');
    assert.equal(code, 0, name);
    assert.match(stdout, new RegExp(`^Usage: lotse ${name}\\b`), name);
    assert.match(stdout, /^ {2}--help +show this help$/m, name);
    assert.equal((await lotse('help', name)).stdout, stdout, name);
    assert.equal((await lotse(name, '-h')).stdout, stdout, name);
  }
  const serve = (await lotse('serve', '--help')).stdout;
  assert.match(serve, /^ {2}--config FILE +/m);
  for (const name of envNames()) assert.match(serve, new RegExp(`^  ${name}  \\(`, 'm'), name);
  assert.match((await lotse('mint-advisor-token', '--help')).stdout, /^ {2}--ttl TTL +/m);
});

test("-h as an option's value, or after --, is not a request for help", async () => {
  const value = await lotse('mint-advisor-token', '--id', 'a1', '--name', '-h');
  assert.equal(value.code, 2);
  assert.equal(value.stdout, '');
  assert.match(
    value.stderr,
    /^lotse mint-advisor-token: --name needs a value \(one starting with "-" is written --name=-x\)/,
  );
  const afterDashes = await lotse('mint-advisor-token', '--', '--help');
  assert.equal(afterDashes.code, 2);
  assert.equal(afterDashes.stdout, '');
  assert.match(afterDashes.stderr, /^lotse mint-advisor-token: unexpected argument "--help"/);
  // A switch takes no value: -h after one still asks for help.
  assert.match((await lotse('mint-advisor-token', '--admin', '-h')).stdout, /^Usage: lotse mint-advisor-token/);
});

test('an unknown option, a missing value or a stray argument is named, with exit 2', async () => {
  const unknown = await lotse('serve', '--prot', '8080');
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, 'lotse serve: unknown option --prot (lotse serve --help lists the options)\n');
  const noValue = await lotse('mint-advisor-token', '--id');
  assert.equal(noValue.code, 2);
  assert.match(noValue.stderr, /^lotse mint-advisor-token: --id needs a value/);
  const ambiguous = await lotse('mint-advisor-token', '--id', '--name', 'Anna');
  assert.match(
    ambiguous.stderr,
    /^lotse mint-advisor-token: --id needs a value \(one starting with "-" is written --id=-x\)/,
  );
  const stray = await lotse('purge', 'now');
  assert.equal(stray.code, 2);
  assert.match(stray.stderr, /^lotse purge: unexpected argument "now"/);
  const extra = await lotse('webhook-retry', 'chat-1', 'chat-2');
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /^lotse webhook-retry: unexpected argument "chat-2"/);
});
