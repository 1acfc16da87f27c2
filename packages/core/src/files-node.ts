import type * as NodeFs from 'node:fs/promises';
import { InvalidArgumentError } from './errors';

// Loaded on first use through a variable name, so a browser bundle of @face/core never resolves it.
const NODE_FS = 'node:fs/promises';
const nodeFs = () =>
  import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_FS) as Promise<typeof NodeFs>;

/**
 * Gives a Node system error that names no file (a failed `write` on an open file) the path it was
 * about, so the one-line message of an I/O failure can say which file; returns `err`.
 */
export function errorWithPath(err: unknown, path: string): unknown {
  const e = err as { code?: unknown; path?: unknown };
  if (err instanceof Error && typeof e.code === 'string' && typeof e.path !== 'string') {
    try {
      e.path = path;
    } catch {
      /* a frozen error keeps what it has */
    }
  }
  return err;
}

function parentOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '.' : path.slice(0, i) || '/';
}

/**
 * Replaces `target` with `data` atomically and durably (Node): written to a temporary file in the
 * same directory (created if needed), flushed to the device, renamed over `target`, and the
 * directory flushed. A reader sees the old file or the new one, never a part; a failure (a full
 * disk) leaves the previous file intact and no temporary file behind, and its error names
 * `target`. The one writer of whole files in @face (model files, logs, reports, embeddings).
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  if (typeof target !== 'string' || target === '')
    throw new InvalidArgumentError('writeFileAtomic', 'target', target, 'a file path');
  const fs = await nodeFs();
  const dir = parentOf(target);
  const temp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    await fs.mkdir(dir, { recursive: true });
    // `flush`: fsync before closing (Node >= 20.10), so the rename never publishes unwritten data.
    await fs.writeFile(temp, data, { flush: true });
    await fs.rename(temp, target);
  } catch (err) {
    // A full disk must not keep the partial copy: the space is needed back, the old file stays.
    await fs.rm(temp, { force: true }).catch(() => {});
    throw errorWithPath(err, target);
  }
  await syncDirectory(fs, dir);
}

/**
 * Replaces several files as one (a report's JSON and figures, embeddings and their index): every
 * file is written to its temporary name and flushed first, and only then renamed into place, one
 * after the other. A failure while writing (a full disk, the usual one) leaves every previous file
 * as it was and no temporary file; only a crash between the renames, which need no space, can
 * leave a mix.
 */
export async function writeFilesAtomic(
  files: readonly { path: string; data: string | Uint8Array }[],
): Promise<void> {
  if (!Array.isArray(files) || files.some((f) => typeof f?.path !== 'string' || f.path === ''))
    throw new InvalidArgumentError(
      'writeFilesAtomic',
      'files',
      files,
      'an array of { path, data }',
    );
  const fs = await nodeFs();
  const token = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const temps = files.map((f) => `${f.path}.tmp-${token}`);
  let at = 0;
  try {
    for (; at < files.length; at++) {
      await fs.mkdir(parentOf(files[at].path), { recursive: true });
      await fs.writeFile(temps[at], files[at].data, { flush: true });
    }
  } catch (err) {
    await Promise.all(temps.map((t) => fs.rm(t, { force: true }).catch(() => {})));
    throw errorWithPath(err, files[at]?.path ?? '');
  }
  for (let i = 0; i < files.length; i++) await fs.rename(temps[i], files[i].path);
  for (const dir of new Set(files.map((f) => parentOf(f.path)))) await syncDirectory(fs, dir);
}

/** Makes a rename inside `dir` durable (POSIX); a no-op where directories cannot be opened. */
async function syncDirectory(fs: typeof NodeFs, dir: string): Promise<void> {
  let handle: NodeFs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    /* Windows refuses to open directories */
  } finally {
    await handle?.close().catch(() => {});
  }
}
