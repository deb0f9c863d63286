/**
 * Runs `lotse` commands for the tests of the store commands, two ways: `lotseInProcess` calls the bin's `main` in
 * this process with the test's environment and collects what it writes (a process start costs ~2 s of tsx and
 * imports, so each case of a command runs this way); `lotseBin` runs the real bin as an operator does, for one case
 * per file, so that exit status and output through the process stay covered too. Both resolve with stdout and
 * stderr on exit status 0 and reject otherwise like `execFile`: an error with `code`, `stdout`, `stderr` and
 * stderr in its message.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { main } from '../../../src/server/cli/main.js';
import type { CreateServer } from '../../../src/server/cli/server-commands.js';

const run = promisify(execFile);
const CLI = new URL('../../../src/server/cli.ts', import.meta.url).pathname;

export interface Ran {
  stdout: string;
  stderr: string;
}

/** The store commands never start a server. */
const noServer: CreateServer = () => assert.fail('no server is started here');

export async function lotseInProcess(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const collect =
    (into: (text: string) => void) =>
    (text: string, done?: (error?: Error | null) => void): boolean => {
      into(text);
      done?.();
      return true;
    };
  const code = await main(
    args,
    noServer,
    { write: collect((text) => (stdout += text)) },
    { write: collect((text) => (stderr += text)) },
    env,
  );
  if (code === 0) return { stdout, stderr };
  throw Object.assign(new Error(`lotse ${args.join(' ')} exited ${code}\n${stderr}`), { code, stdout, stderr });
}

export function lotseBin(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Ran> {
  return run(process.execPath, ['--import', 'tsx', CLI, ...args], { env });
}
