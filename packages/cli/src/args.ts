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
  /** The command's arguments as given (for messages that repeat the command line). */
  _argv?: readonly string[];
}

/** Where a command prints. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Parses `argv` for `command`: unknown flags, missing values and bad choices name the flag. */
export function parseFlags(command: Command, argv: readonly string[]): Values {
  const options = Object.fromEntries(
    Object.entries({ ...command.flags, ...COMMON_FLAGS }).map(([name, f]) => [
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
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const like = flag?.startsWith('--')
        ? didYouMean(flag.slice(2).split('=')[0], Object.keys(options))
        : undefined;
      const mean = like ? `; did you mean --${like}?` : '';
      throw new UsageError(
        `face ${command.name}: unknown flag ${flag ?? e.message}${mean} ${hint}`,
      );
    }
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
    if (v !== undefined && choices && !choices.includes(String(v))) {
      const like = didYouMean(String(v), choices);
      throw new UsageError(
        `face ${command.name}: flag --${name} must be one of ${choices.join(', ')}, got '${String(v)}'${like ? ` (did you mean '${like}'?)` : ''}`,
      );
    }
    values[name] = v;
  }
  const given = parsed.values as Record<string, boolean | undefined>;
  values.help = given.help ?? false;
  values.version = given.version ?? false;
  values._argv = [...argv];
  return values;
}

function describeProblem(message: string): string {
  if (/argument missing/.test(message)) return 'needs a value';
  if (/does not take an argument/.test(message)) return 'takes no value';
  if (/ambiguous/.test(message)) return "has a value starting with '-': write it as --flag=<value>";
  return message;
}

const COMMON_FLAGS: Record<string, Flag> = {
  help: { type: 'boolean', description: 'show this help', short: 'h' },
  version: { type: 'boolean', description: "print face's version" },
};

/**
 * Restricted Damerau-Levenshtein distance (insertions, deletions, substitutions and swaps of
 * neighbours, each 1): `--epcohs` is one swap from `--epochs`.
 */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/**
 * The candidate a misspelt `word` most likely meant: the nearest by {@link editDistance}, within
 * a third of the word's length (at least 1, at most 3), else a unique candidate it starts; ties
 * give nothing rather than a guess.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  const scored = candidates
    .map((c) => ({ c, d: editDistance(w, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d);
  if (scored.length && (scored.length === 1 || scored[0].d < scored[1].d)) return scored[0].c;
  const prefixed = w.length >= 3 ? candidates.filter((c) => c.startsWith(w)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** The help text of a command, from its flag table. */
export function helpText(command: Command): string {
  const rows = Object.entries({ ...command.flags, ...COMMON_FLAGS }).map(([name, f]) => {
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
