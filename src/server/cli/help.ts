/** The help texts of `lotse`: the whole (`lotse --help`) and one command's (`lotse <command> --help`). */
import { envSummary, wrap } from '../config/reference.js';
import { optionHelp } from './args.js';
import type { Command } from './command.js';

/** `lotse --help`: every command, and the names of every environment variable. */
export function mainHelp(commands: readonly Command[]): string {
  const list = commands.map((command) => `  ${command.usage}\n${wrap(command.summary, '      ')}`);
  return [
    'Usage: lotse <command> [options]',
    '',
    'Commands:',
    ...list,
    '  help [COMMAND]\n      this help, or the help of one command (as lotse COMMAND --help)',
    '',
    "Run lotse <command> --help for a command's options; lotse serve --help also explains every environment variable.",
    '',
    'Configuration: a JSON file (--config FILE or LOTSE_CONFIG) and environment variables, which win over it:',
    envSummary(),
    '',
  ].join('\n');
}

/** `lotse <command> --help`: its usage, what it does, its options, and more where it has more. */
export function commandHelp(command: Command): string {
  return [
    `Usage: lotse ${command.usage}`,
    '',
    wrap(command.summary, ''),
    '',
    'Options:',
    ...optionHelp(command.options),
    '',
    ...(command.more === undefined ? [] : [command.more()]),
  ].join('\n');
}
