import { FaceError } from '@face/core';
import packageJson from '../package.json';
import { didYouMean, helpText, parseFlags, UsageError, type Command, type Io } from './args';
import { alignCommand } from './commands/align';
import { demoCommand } from './commands/demo';
import { embedCommand } from './commands/embed';
import { evalCommand } from './commands/eval';
import { galleryCommand } from './commands/gallery';
import { trainCommand } from './commands/train';

/** The `face` subcommands. */
export const COMMANDS: readonly Command[] = [
  trainCommand,
  evalCommand,
  embedCommand,
  galleryCommand,
  alignCommand,
  demoCommand,
];

/** The `face` version, from @face/cli's package.json. */
export const VERSION: string = packageJson.version;

const consoleIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Why a system call failed, in words, for the one-line message of an I/O failure. */
const IO_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error of the device',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, a file was expected',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  EBUSY: 'resource busy',
  EXDEV: 'cross-device rename',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EFBIG: 'file too large',
};

/** The words of a Node system error's message, without its code and `, syscall 'path'` tail. */
function reasonOf(message: string): string {
  const m = /^E[A-Z0-9]+: (.*?)(?:, [a-z_]+(?: '.*')?)?$/s.exec(message);
  return (m ? m[1] : message).trim() || 'failed';
}

/**
 * The one line for an I/O failure (a Node system error: `code` E..., usually `syscall` and
 * `path`), or null for anything else (a programming error keeps its stack): `I/O failure:
 * <syscall> <path>: <reason> (<code>)`, the path left out when the error names none.
 */
export function ioFailureLine(err: unknown): string | null {
  const e = err as { code?: unknown; syscall?: unknown; path?: unknown; dest?: unknown };
  if (!(err instanceof Error) || typeof e.code !== 'string' || !/^E[A-Z0-9]+$/.test(e.code))
    return null;
  if (!(e.code in IO_REASONS) && typeof e.syscall !== 'string') return null;
  const reason = IO_REASONS[e.code] ?? reasonOf(err.message);
  const where = [
    typeof e.syscall === 'string' ? e.syscall : '',
    typeof e.path === 'string' ? e.path : '',
    typeof e.path === 'string' && typeof e.dest === 'string' ? `-> ${e.dest}` : '',
  ]
    .filter((x) => x !== '')
    .join(' ');
  // One line, whatever a file name holds.
  return `I/O failure: ${where ? `${where}: ` : ''}${reason} (${e.code})`.replace(/[\r\n]+/g, ' ');
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: face <command> [flags]',
    '',
    'Train and evaluate face recognition models with TensorFlow.js.',
    '',
    'Commands:',
    ...COMMANDS.map(
      (c) => `  ${c.name.padEnd(width)}${c.summary.split('. ')[0].replace(/\.$/, '')}`,
    ),
    '',
    "Run 'face <command> --help' for a command's flags, 'face --version' for the version.",
  ].join('\n');
}

/**
 * Runs `face <command> ...argv` and resolves to the exit code: 0 success, 1 a failure while
 * running (a training that stopped on a NaN, a mismatched checkpoint, an I/O failure such as a
 * full disk: one line naming the path and the reason, no stack), 2 a usage error (unknown
 * command or flag, bad or missing value, missing dataset, a run folder used without --resume),
 * 130 / 143 a training stopped by SIGINT / SIGTERM (checkpointed; the --resume line printed).
 */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(overview());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version') {
    io.out(`face ${VERSION}`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    const names = COMMANDS.map((c) => c.name);
    const like = didYouMean(first, names);
    io.err(
      `face: unknown command '${first}'${like ? `; did you mean '${like}'?` : ''} (commands: ${names.join(', ')})`,
    );
    return 2;
  }
  try {
    const values = parseFlags(command, rest);
    if (values.help) {
      io.out(helpText(command));
      return 0;
    }
    if (values.version) {
      io.out(`face ${VERSION}`);
      return 0;
    }
    return await command.run(values, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(err.message);
      return 2;
    }
    if (err instanceof FaceError) {
      io.err(`face ${command.name}: ${err.message}`);
      return 1;
    }
    const line = ioFailureLine(err);
    if (line) {
      io.err(`face ${command.name}: ${line}`);
      return 1;
    }
    throw err;
  }
}
