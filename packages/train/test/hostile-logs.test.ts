// A resumed run reads its log.jsonl / log.csv back (to keep the records of the epochs its
// checkpoint had ended). A log that is a link to /dev/zero, a FIFO or a file over the cap must
// end that with one typed error naming the file (not `RangeError: Invalid string length`, not a
// hang), and must leave the log as it was; a fresh run does not read the old log at all.
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaceError, RegularFileError } from '@face/core';
import { csvLogger, jsonlLogger, type Callback, type TrainerHandle } from '@face/train';

const FAST = 5_000;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'face-hostile-logs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The parts of a trainer the loggers look at when a run begins. */
const handle = (resumed: boolean) =>
  ({ resumedFrom: resumed ? join(dir, 'ckpt') : null, epoch: 2, step: 20 }) as TrainerHandle;

async function begin(callback: Callback, resumed: boolean): Promise<unknown> {
  try {
    await callback.onTrainBegin?.(handle(resumed));
    return null;
  } catch (err) {
    return err;
  }
}

const loggers = [
  ['jsonl', (path: string) => jsonlLogger(path)],
  ['csv', (path: string) => csvLogger(path)],
] as const;

describe.each(loggers)('%s logger on resume', (kind, make) => {
  const file = () => join(dir, `log.${kind}`);

  it(
    'refuses a log linked to /dev/zero with a RegularFileError, leaving the link',
    async () => {
      symlinkSync('/dev/zero', file());
      const err = await begin(make(file()), true);
      expect(err).toBeInstanceOf(RegularFileError);
      expect(err).toBeInstanceOf(FaceError);
      expect((err as RegularFileError).file).toBe(file());
      expect((err as Error).message).toMatch(/not a regular file.*move it aside/);
      expect(lstatSync(file()).isSymbolicLink()).toBe(true);
    },
    FAST,
  );

  it(
    'refuses a FIFO without blocking',
    async () => {
      execFileSync('mkfifo', [file()]);
      const err = await begin(make(file()), true);
      expect((err as RegularFileError).problem).toBe('not-a-file');
      expect((err as Error).message).toMatch(/FIFO/);
    },
    FAST,
  );

  it(
    'refuses a log over the cap before reading it, and keeps it',
    async () => {
      writeFileSync(file(), '');
      truncateSync(file(), 256 * 1024 * 1024 + 1);
      const err = await begin(make(file()), true);
      expect((err as RegularFileError).problem).toBe('too-large');
      expect(lstatSync(file()).size).toBe(256 * 1024 * 1024 + 1);
    },
    FAST,
  );

  it(
    'starts a fresh run over a hostile log without reading it',
    async () => {
      symlinkSync('/dev/zero', file());
      expect(await begin(make(file()), false)).toBeNull();
      expect(lstatSync(file()).isFile()).toBe(true);
      expect(readFileSync(file(), 'utf8')).toBe('');
    },
    FAST,
  );
});

it('keeps the ended epochs of a readable log on resume', async () => {
  const path = join(dir, 'log.jsonl');
  const records = [0, 1, 2].map((epoch) => ({ type: 'epoch', epoch, step: epoch * 10 + 10 }));
  writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  expect(await begin(jsonlLogger(path), true)).toBeNull();
  const kept = readFileSync(path, 'utf8').trim().split('\n');
  expect(kept.map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([0, 1]);
});
