import { FaceError } from '@face/core';
import { helpText, parseFlags, UsageError, type Command, type Io } from './args';
import { demoCommand } from './commands/demo';
import { embedCommand } from './commands/embed';
import { evalCommand } from './commands/eval';
import { trainCommand } from './commands/train';

/** The `face` subcommands. */
export const COMMANDS: readonly Command[] = [trainCommand, evalCommand, embedCommand, demoCommand];

const consoleIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

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
    "Run 'face <command> --help' for a command's flags.",
  ].join('\n');
}

/**
 * Runs `face <command> ...argv` and resolves to the exit code: 0 success, 1 a failure while
 * running (a training that stopped on a NaN, a mismatched checkpoint), 2 a usage error (unknown
 * command or flag, bad or missing value, missing dataset).
 */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(overview());
    return first === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    io.err(
      `face: unknown command '${first}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
    );
    return 2;
  }
  try {
    const values = parseFlags(command, rest);
    if (values.help) {
      io.out(helpText(command));
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
    throw err;
  }
}
