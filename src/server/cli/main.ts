/**
 * The `lotse` command line: finds the command, answers `--help`, parses the options and runs it. Exit status: 0 done,
 * 1 failed, 2 a usage or configuration mistake (no or an unknown command, an unknown option, a missing value, an
 * invalid configuration).
 */
import { ConfigError } from '../config/lotse-config.js';
import { asksForHelp, parse, UsageError } from './args.js';
import type { Command, CommandIo, Output } from './command.js';
import { commandHelp, mainHelp } from './help.js';
import { checkConfig, mint, serveWith } from './server-commands.js';
import type { CreateServer } from './server-commands.js';
import { auditExport, purge, webhookRetry, webhooks } from './store-commands.js';
import { snippets } from '../snippets/snippets-cli.js';
import { ratings } from './rating-commands.js';

/** Every command, in the order of `lotse --help`; `serve` starts what `createServer` builds. */
export function commandsWith(createServer: CreateServer): readonly Command[] {
  return [serveWith(createServer), mint, auditExport, purge, webhooks, webhookRetry, snippets, ratings, checkConfig];
}

const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h']);

export type { Output } from './command.js';

/**
 * Runs `lotse <argv>`: the exit status, or -1 while the command keeps running (`serve`). The bin hands in nothing
 * but `argv`; a test may run a command in its own process with its own output and environment.
 */
export async function main(
  argv: readonly string[],
  createServer: CreateServer,
  out: Output = process.stdout,
  err: Output = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const io: CommandIo = { out, err, env };
  const commands = commandsWith(createServer);
  const [name, ...rest] = argv;
  const usage = (reason: string): number => {
    err.write(`lotse: ${reason}.\n\n${mainHelp(commands)}`);
    return 2;
  };
  if (name === undefined) return usage('no command given');
  if (HELP_FLAGS.has(name) || name === 'help') {
    const about = name === 'help' ? rest[0] : undefined;
    const command = commands.find((c) => c.name === about);
    if (about !== undefined && command === undefined) return usage(`unknown command "${about}"`);
    out.write(command === undefined ? mainHelp(commands) : commandHelp(command));
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) return usage(`unknown command "${name}"`);
  if (asksForHelp(command.options, rest)) {
    out.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parse(command.name, command.options, rest, command.positionals), io);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      err.write(`${error.message}\n`);
      return 2;
    }
    err.write(`lotse: ${error instanceof Error ? error.message : 'failed'}\n`);
    return 1;
  }
}
