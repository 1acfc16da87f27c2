import { MODEL_WEIGHTS_MAX_BYTES, openModelFolder, readRegularFile } from '@face/core';

/**
 * The file operations checkpoints need. The default is Node's `fs` (imported on first use, so the
 * package entry loads in browsers); pass another implementation to store checkpoints elsewhere or
 * to inject failures in tests. Paths use `/`.
 */
export interface CheckpointStorage {
  mkdir(path: string): Promise<void>;
  /** Writes the whole file and flushes it to the device (fsync) before resolving. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  /** Names in a directory; [] when it does not exist. */
  list(path: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  /** Atomic rename (same file system). */
  rename(from: string, to: string): Promise<void>;
  removeTree(path: string): Promise<void>;
  /** Flushes a directory's entries (after creating or renaming inside it); may be a no-op. */
  syncDir(path: string): Promise<void>;
  /**
   * Size of the file `name` directly inside directory `dir`, known before reading it. Rejects
   * unless it is a regular file whose real path stays inside `dir` (a symlink leading out, a
   * device, a FIFO). Optional: without it, readers check sizes after reading.
   */
  fileSize?(dir: string, name: string): Promise<number>;
}

/** Joins path parts with '/', without doubled separators (storage paths work in Node and the browser). */
export function joinPath(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, '')))
    .join('/');
}

/** Node's file system, imported lazily. */
export function nodeStorage(): CheckpointStorage {
  const fs = () => import('node:fs/promises');
  return {
    async fileSize(dir, name) {
      return (await (await openModelFolder(dir)).stat(name, null)).size;
    },
    async mkdir(path) {
      await (await fs()).mkdir(path, { recursive: true });
    },
    async writeFile(path, data) {
      const handle = await (await fs()).open(path, 'w');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async readFile(path) {
      // Only a regular file, and no more than its size when opened: a path swapped for
      // /dev/zero or a FIFO after `fileSize` neither blocks nor reads without bound.
      return readRegularFile(path, { maxBytes: MODEL_WEIGHTS_MAX_BYTES, what: 'checkpoint file' });
    },
    async list(path) {
      try {
        return await (await fs()).readdir(path);
      } catch (err) {
        if ((err as { code?: string }).code === 'ENOENT') return [];
        throw err;
      }
    },
    async exists(path) {
      try {
        await (await fs()).stat(path);
        return true;
      } catch {
        return false;
      }
    },
    async rename(from, to) {
      await (await fs()).rename(from, to);
    },
    async removeTree(path) {
      await (await fs()).rm(path, { recursive: true, force: true });
    },
    async syncDir(path) {
      // Directory fsync makes a rename durable on POSIX; Windows refuses to open directories.
      let handle;
      try {
        handle = await (await fs()).open(path, 'r');
        await handle.sync();
      } catch {
        /* not supported here */
      } finally {
        await handle?.close();
      }
    },
  };
}
