/**
 * The options of one `lotse` command, declared once: `util.parseArgs` reads the arguments from the declaration
 * and `lotse <command> --help` lists it. A mistake in the arguments is a `UsageError` (exit status 2).
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export interface OptionSpec {
  readonly name: string;
  /** A string option names its value in the help (`FILE`); without one, the option is a switch. */
  readonly value?: string;
  readonly help: string;
}

export interface Parsed {
  /** A string option's value, or undefined when not given. */
  text(name: string): string | undefined;
  /** Whether a switch was given. */
  flag(name: string): boolean;
  readonly positionals: readonly string[];
}

/** Node's reason, shorter and without its advice about `--`, which does not apply here. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const positional = /^Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument "${positional[1]}"`;
  const noValue = /^Option '(-[\w-]+)(?: <value>)?' argument (is ambiguous|missing)/.exec(message);
  // Ambiguous: the next argument starts with '-'. Such a value is given with '=' (`--name=-x`).
  if (noValue?.[2] === 'is ambiguous')
    return `${noValue[1]} needs a value (one starting with "-" is written ${noValue[1]}=-x)`;
  if (noValue) return `${noValue[1]} needs a value`;
  return message.split('\n')[0] ?? message;
}

/**
 * Whether the arguments ask for the command's help: `-h` or `--help` standing as an option of its own, not as the
 * value of a string option (`--name -h`) and not after `--`.
 */
export function asksForHelp(options: readonly OptionSpec[], args: readonly string[]): boolean {
  const takesValue = new Set(
    options.filter((option) => option.value !== undefined).map((option) => `--${option.name}`),
  );
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
    if (takesValue.has(arg)) i += 1;
  }
  return false;
}

/** Reads `args` against the command's options; throws a `UsageError` naming the command on any mistake. */
export function parse(
  command: string,
  options: readonly OptionSpec[],
  args: readonly string[],
  positionals = 0,
): Parsed {
  let result: ReturnType<typeof parseArgs>;
  try {
    result = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        options.map((option) => [option.name, { type: option.value === undefined ? 'boolean' : 'string' }] as const),
      ),
      strict: true,
      allowPositionals: positionals > 0,
    });
  } catch (error) {
    throw new UsageError(`lotse ${command}: ${reasonOf(error)} (lotse ${command} --help lists the options)`);
  }
  if (result.positionals.length > positionals) {
    throw new UsageError(
      `lotse ${command}: unexpected argument "${result.positionals[positionals] ?? ''}" (lotse ${command} --help)`,
    );
  }
  const { values } = result;
  return {
    text: (name) => (typeof values[name] === 'string' ? values[name] : undefined),
    flag: (name) => values[name] === true,
    positionals: result.positionals,
  };
}

/** The option lines of a command's help. */
export function optionHelp(options: readonly OptionSpec[]): string[] {
  const heads = options.map((option) => `--${option.name}${option.value === undefined ? '' : ` ${option.value}`}`);
  const width = Math.max(...heads.map((head) => head.length), '--help'.length) + 2;
  return [
    ...options.map((option, i) => `  ${(heads[i] ?? '').padEnd(width)}${option.help}`),
    `  ${'--help'.padEnd(width)}show this help`,
  ];
}
