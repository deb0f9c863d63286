/** What a `lotse` command is: its usage line, what it does, its options, and how it runs. */
import { resolveConfig } from '../config/load.js';
import type { LoadResult } from '../config/load.js';
import type { OptionSpec, Parsed } from './args.js';

export interface Command {
  readonly name: string;
  /** The usage after `lotse `, as `lotse --help` lists it. */
  readonly usage: string;
  /** What it does, as one paragraph. */
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  /** How many arguments without a dash it takes (`webhook-retry CHAT_ID`); none unless said. */
  readonly positionals?: number;
  /** Help after the options (the configuration reference, for the commands that load the configuration). */
  readonly more?: () => string;
  /** Runs it: its exit status, or -1 while it keeps running (`serve`). */
  run(args: Parsed, io: CommandIo): Promise<number>;
}

/** Where a command writes; `done` (when given) is called once the text is handed on, as a stream's `write`. */
export interface Output {
  write(text: string, done?: (error?: Error | null) => void): unknown;
}

/**
 * What a command reads and writes besides its arguments: the bin hands in its process's stdout, stderr and
 * environment; a test runs a command in its own process with its own (`test/server/cli/run-lotse.ts`).
 */
export interface CommandIo {
  readonly out: Output;
  readonly err: Output;
  /** Where the configuration's environment variables are read (`resolveConfig`'s `env`). */
  readonly env: NodeJS.ProcessEnv;
}

export const CONFIG_OPTION: OptionSpec = {
  name: 'config',
  value: 'FILE',
  help: 'the JSON config file (else env LOTSE_CONFIG); environment variables win over it',
};

export const DEMO_OPTION: OptionSpec = { name: 'demo', help: 'demo mode, as LOTSE_DEMO=1' };

/** The configuration from `--config` (or `LOTSE_CONFIG`) and the environment; `demo` as if `--demo` were given. */
export function configFrom(args: Parsed, io: CommandIo, demo = args.flag('demo')): LoadResult {
  return resolveConfig({ file: args.text('config'), demo, env: io.env });
}

/** The configuration for commands that only touch storage: origins and secret are not needed for them. */
export function storageConfigFrom(args: Parsed, io: CommandIo) {
  return configFrom(args, io, true).config;
}
