/** Small text-file helpers for log callbacks; Node's `fs` is imported on first use (browser-safe entry). */
import { RegularFileError, readRegularFile, writeFileAtomic } from '@face/core';

const fs = () => import('node:fs/promises');

/**
 * Largest log read back when a run resumes: 256 MiB, half of V8's longest string, so the text
 * always decodes (a log.jsonl linked to /dev/zero ended resume with `Invalid string length`).
 */
export const LOG_MAX_BYTES = 256 * 1024 * 1024;

function parentOf(path: string): string | null {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : null;
}

/**
 * A log's text, null when it does not exist. Read as `readRegularFile` does (no blocking on a
 * FIFO, only a regular file, at most `maxBytes`); anything else is a RegularFileError naming the
 * file and saying what to do. Nothing is overwritten then: the run and its checkpoints stay as
 * they are, and resuming again after moving the file aside starts a fresh log.
 */
export async function readText(path: string, maxBytes = LOG_MAX_BYTES): Promise<string | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, { maxBytes, what: 'training log' });
  } catch (err) {
    if (!(err instanceof RegularFileError)) throw err;
    if (err.problem === 'missing') return null;
    throw new RegularFileError(
      path,
      err.problem,
      `${err.reason}; it cannot be read back to resume the run's log: move it aside and resume ` +
        'again (checkpoints are untouched, a fresh log is started)',
      err.actualBytes,
    );
  }
  return new TextDecoder().decode(bytes);
}

/** Replaces a file's content atomically and durably (core's `writeFileAtomic`). */
export function writeText(path: string, text: string): Promise<void> {
  return writeFileAtomic(path, text);
}

export async function appendText(path: string, text: string): Promise<void> {
  const f = await fs();
  const parent = parentOf(path);
  if (parent) await f.mkdir(parent, { recursive: true });
  await f.appendFile(path, text);
}
