#!/usr/bin/env node
import { ioFailureLine, main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // An I/O failure outside a command (writing the output itself) gets its one line too.
    const line = ioFailureLine(err);
    process.stderr.write(
      `face: ${line ?? (err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`,
    );
    process.exitCode = 1;
  },
);
