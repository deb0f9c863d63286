#!/usr/bin/env node
/**
 * The `lotse` command. Exit status: 0 done, 1 failed, 2 a usage or configuration mistake (no or an unknown command,
 * an unknown option, a missing value, an invalid configuration). `lotse <command> --help` helps with one command.
 */
import { parse, UsageError } from './cli/args.js';
import type { Command } from './cli/command.js';
import { commandHelp, mainHelp } from './cli/help.js';
import { checkConfig, mint, serve } from './cli/server-commands.js';
import { auditExport, purge, webhookRetry, webhooks } from './cli/store-commands.js';
import { ConfigError } from './config/lotse-config.js';

const COMMANDS: readonly Command[] = [serve, mint, auditExport, purge, webhooks, webhookRetry, checkConfig];

const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h']);

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(`lotse: no command given.\n\n${mainHelp(COMMANDS)}`);
    return 2;
  }
  if (HELP_FLAGS.has(name) || name === 'help') {
    const about = name === 'help' ? rest[0] : undefined;
    const command = COMMANDS.find((c) => c.name === about);
    if (about !== undefined && command === undefined) {
      process.stderr.write(`lotse: unknown command "${about}".\n\n${mainHelp(COMMANDS)}`);
      return 2;
    }
    process.stdout.write(command === undefined ? mainHelp(COMMANDS) : commandHelp(command));
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    process.stderr.write(`lotse: unknown command "${name}".\n\n${mainHelp(COMMANDS)}`);
    return 2;
  }
  if (rest.some((arg) => HELP_FLAGS.has(arg))) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parse(command.name, command.options, rest, command.positionals));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`lotse: ${error instanceof Error ? error.message : 'failed'}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
