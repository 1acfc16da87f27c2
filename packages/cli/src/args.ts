import { parseArgs } from 'node:util';
import { FaceError } from '@face/core';

/** A command-line usage error: a bad flag or value. The message names the flag. */
export class UsageError extends FaceError {
  override name = 'UsageError';
}

/** One flag of a command, with what `--help` says about it. */
export interface Flag {
  type: 'string' | 'boolean';
  description: string;
  /** Shown in help, and applied when the flag is absent. */
  default?: string | boolean;
  /** Placeholder in help (`--epochs <n>`). */
  value?: string;
  short?: string;
  /**
   * Allowed values of a string flag, or a function giving them when the flag is parsed or shown:
   * lists that registries extend after this module loads (`--head`, `--miner`) stay current.
   */
  choices?: readonly string[] | (() => readonly string[]);
}

/** A flag's allowed values as they are now (undefined: any value). */
export function flagChoices(flag: Flag): readonly string[] | undefined {
  return typeof flag.choices === 'function' ? flag.choices() : flag.choices;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage line after `face <name>`. */
  usage: string;
  flags: Record<string, Flag>;
  /** Extra help text (examples). */
  details?: string;
  run(values: Values, io: Io): Promise<number>;
}

/** Parsed flags by name (absent flags take their default), and the positional arguments in `_`. */
export interface Values {
  [flag: string]: string | boolean | undefined | readonly string[];
  _: readonly string[];
}

/** Where a command prints. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Parses `argv` for `command`: unknown flags, missing values and bad choices name the flag. */
export function parseFlags(command: Command, argv: readonly string[]): Values {
  const options = Object.fromEntries(
    Object.entries({ ...command.flags, help: HELP_FLAG }).map(([name, f]) => [
      name,
      { type: f.type, ...(f.short ? { short: f.short } : {}) },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (err) {
    const e = err as { code?: string; message: string };
    const flag = /'(-[^' ]+)/.exec(e.message)?.[1];
    const hint = `(see 'face ${command.name} --help')`;
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`face ${command.name}: unknown flag ${flag ?? e.message} ${hint}`);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(
        `face ${command.name}: flag ${flag ?? ''} ${describeProblem(e.message)} ${hint}`,
      );
    throw new UsageError(`face ${command.name}: ${e.message} ${hint}`);
  }
  const values: Values = { _: parsed.positionals };
  for (const [name, f] of Object.entries(command.flags)) {
    const v = (parsed.values as Record<string, string | boolean | undefined>)[name] ?? f.default;
    const choices = flagChoices(f);
    if (v !== undefined && choices && !choices.includes(String(v)))
      throw new UsageError(
        `face ${command.name}: flag --${name} must be one of ${choices.join(', ')}, got '${String(v)}'`,
      );
    values[name] = v;
  }
  values.help = (parsed.values as Record<string, boolean | undefined>).help ?? false;
  return values;
}

function describeProblem(message: string): string {
  if (/argument missing/.test(message)) return 'needs a value';
  if (/does not take an argument/.test(message)) return 'takes no value';
  if (/ambiguous/.test(message)) return "has a value starting with '-': write it as --flag=<value>";
  return message;
}

const HELP_FLAG: Flag = { type: 'boolean', description: 'show this help', short: 'h' };

/** The help text of a command, from its flag table. */
export function helpText(command: Command): string {
  const rows = Object.entries({ ...command.flags, help: HELP_FLAG }).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.type === 'string' ? ` <${f.value ?? 'value'}>` : ''}`;
    const choices = flagChoices(f);
    const extra = [
      choices ? `one of: ${choices.join(', ')}` : '',
      f.default !== undefined && f.default !== false ? `default: ${String(f.default)}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return { left, right: `${f.description}${extra ? ` (${extra})` : ''}` };
  });
  const width = Math.max(...rows.map((r) => r.left.length)) + 2;
  return [
    `Usage: face ${command.name} ${command.usage}`,
    '',
    command.summary,
    '',
    'Flags:',
    ...rows.map((r) => `  ${r.left.padEnd(width)}${r.right}`),
    ...(command.details ? ['', command.details] : []),
  ].join('\n');
}

/** A string flag's value (required: throws naming the flag when absent). */
export function stringFlag(
  command: string,
  values: Values,
  name: string,
  required = false,
): string | undefined {
  const v = values[name];
  if (v === undefined || v === '') {
    if (required)
      throw new UsageError(
        `face ${command}: flag --${name} is required (see 'face ${command} --help')`,
      );
    return undefined;
  }
  return String(v);
}

/** A numeric flag: an integer or a number within bounds, else an error naming the flag. */
export function numberFlag(
  command: string,
  values: Values,
  name: string,
  {
    integer = false,
    min = -Infinity,
    max = Infinity,
  }: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const raw = stringFlag(command, values, name);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(v) &&
    (!integer || Number.isInteger(v)) &&
    v >= min &&
    v <= max;
  if (!ok) {
    const range = [min > -Infinity ? `>= ${min}` : '', max < Infinity ? `<= ${max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new UsageError(
      `face ${command}: flag --${name} must be ${integer ? 'an integer' : 'a number'}${range ? ` ${range}` : ''}, got '${raw}'`,
    );
  }
  return v;
}
