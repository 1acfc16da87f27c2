import type * as NodeFs from 'node:fs/promises';
import type * as NodePath from 'node:path';
import {
  MODEL_JSON_MAX_BYTES,
  type CheckedWeightsGroup,
  ModelFileError,
  checkModelPath,
  decodeUtf8,
  parseModelJson,
} from './model-files';

// Node built-ins, imported on first use so that @face/core still loads in a browser. The names are
// variables, not literals, so that bundlers (esbuild in Vite's dependency scan included, which
// ignores the comments) leave the imports alone; the comments cover webpack and Vite's own pass.
const NODE_FS = 'node:fs/promises';
const NODE_PATH = 'node:path';
const nodeFs = () =>
  import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_FS) as Promise<typeof NodeFs>;
const nodePath = () =>
  import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_PATH) as Promise<typeof NodePath>;

/** A regular file inside a model folder, resolved and sized (nothing read yet). */
export interface ModelFileStat {
  /** The real path (no symlinks), inside the folder. */
  path: string;
  /** The path as the folder and manifest name it, for messages. */
  label: string;
  size: number;
}

/**
 * A model folder on disk (Node). Every name is checked with `checkModelPath`, then resolved
 * through symlinks and required to stay inside the folder's real path; only regular files are
 * read, and only after their size is known.
 */
export interface ModelFolder {
  /** The folder as given. */
  readonly dir: string;
  /** Its real path. */
  readonly root: string;
  /**
   * Resolves and stats `name` (a regular file, or a directory with `directory: true`). `entry`
   * and `from` name where the name comes from (e.g. `weightsManifest[0].paths[1]` of model.json).
   */
  stat(
    name: string,
    entry: string | null,
    options?: { directory?: boolean; from?: string },
  ): Promise<ModelFileStat>;
  /** Reads a file known from {@link stat} when it still has exactly `expectedBytes` bytes. */
  read(file: ModelFileStat, entry: string | null, expectedBytes: number): Promise<Uint8Array>;
  /** Reads and parses a JSON file of at most `maxBytes` bytes (depth-checked, any top value). */
  readJson(
    name: string,
    entry: string | null,
    options?: { maxBytes?: number; from?: string },
  ): Promise<unknown>;
}

function kindOf(s: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  return 'a device or special file';
}

const codeOf = (err: unknown) => (err as { code?: string }).code;

/**
 * Opens a model folder. Rejects with a {@link ModelFileError} (problem `missing` when it does not
 * exist, `not-a-file` when it is not a directory).
 */
export async function openModelFolder(dir: string): Promise<ModelFolder> {
  const fs = await nodeFs();
  const path = await nodePath();
  let root: string;
  try {
    root = await fs.realpath(dir);
  } catch (err) {
    const missing = codeOf(err) === 'ENOENT' || codeOf(err) === 'ENOTDIR';
    throw new ModelFileError(dir, null, missing ? 'missing' : 'io', (err as Error).message);
  }
  if (!(await fs.stat(root)).isDirectory()) {
    throw new ModelFileError(dir, null, 'not-a-file', 'is not a directory');
  }
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;

  async function stat(
    name: string,
    entry: string | null,
    { directory = false, from = dir }: { directory?: boolean; from?: string } = {},
  ): Promise<ModelFileStat> {
    // An unsafe name is reported against the file that names it; a safe one by its own path.
    const relative = checkModelPath(from, entry ?? 'path', name);
    const label = `${dir.replace(/[\\/]+$/, '')}/${relative}`;
    let real: string;
    try {
      real = await fs.realpath(path.join(root, relative));
    } catch (err) {
      const missing = codeOf(err) === 'ENOENT' || codeOf(err) === 'ENOTDIR';
      throw new ModelFileError(
        label,
        entry,
        missing ? 'missing' : 'io',
        missing ? 'does not exist' : `cannot be resolved (${(err as Error).message})`,
      );
    }
    if (!real.startsWith(prefix)) {
      throw new ModelFileError(
        label,
        entry,
        'outside',
        `resolves to ${real}, outside the model folder ${root}`,
      );
    }
    const s = await fs.stat(real);
    if (directory ? !s.isDirectory() : !s.isFile()) {
      const want = directory ? 'a directory' : 'a regular file';
      throw new ModelFileError(label, entry, 'not-a-file', `is ${kindOf(s)}, not ${want}`);
    }
    return { path: real, label, size: s.size };
  }

  async function read(
    file: ModelFileStat,
    entry: string | null,
    expectedBytes: number,
  ): Promise<Uint8Array> {
    const wrongSize = (size: number) =>
      new ModelFileError(
        file.label,
        entry,
        'size',
        `has ${size} bytes, the manifest declares ${expectedBytes}`,
      );
    if (file.size !== expectedBytes) throw wrongSize(file.size);
    // No following a symlink swapped in since `stat`, no blocking on a FIFO swapped in.
    const flags =
      fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
    let handle: NodeFs.FileHandle;
    try {
      handle = await fs.open(file.path, flags);
    } catch (err) {
      throw new ModelFileError(file.label, entry, 'io', `cannot be opened (${codeOf(err)})`);
    }
    try {
      const s = await handle.stat();
      if (!s.isFile()) {
        throw new ModelFileError(file.label, entry, 'not-a-file', `is ${kindOf(s)}`);
      }
      if (s.size !== expectedBytes) throw wrongSize(s.size);
      const out = new Uint8Array(expectedBytes);
      let at = 0;
      while (at < expectedBytes) {
        const { bytesRead } = await handle.read(out, at, expectedBytes - at, at);
        if (bytesRead === 0) throw wrongSize(at);
        at += bytesRead;
      }
      return out;
    } finally {
      await handle.close();
    }
  }

  async function readJson(
    name: string,
    entry: string | null,
    { maxBytes = MODEL_JSON_MAX_BYTES, from }: { maxBytes?: number; from?: string } = {},
  ): Promise<unknown> {
    const file = await stat(name, entry, from === undefined ? {} : { from });
    if (file.size > maxBytes) {
      throw new ModelFileError(
        file.label,
        entry,
        'size',
        `has ${file.size} bytes, more than the ${maxBytes} a JSON model file may have`,
      );
    }
    const bytes = await read(file, entry, file.size);
    return parseModelJson(file.label, decodeUtf8(file.label, bytes));
  }

  return { dir, root, stat, read, readJson };
}

/**
 * Reads the shards of a checked weights manifest (see `checkWeightsManifest`) from a model
 * folder: every shard is resolved and sized first, each group's shards must add up to exactly the
 * bytes its entries declare, and only then is anything read. One buffer per path, in order.
 */
export async function readWeightShards(
  folder: ModelFolder,
  from: string,
  groups: readonly CheckedWeightsGroup[],
): Promise<Uint8Array[]> {
  const stats = await Promise.all(
    groups.map((g) => Promise.all(g.paths.map((p, i) => folder.stat(p, g.entries[i], { from })))),
  );
  groups.forEach((g, gi) => {
    const sum = stats[gi].reduce((s, f) => s + f.size, 0);
    if (sum !== g.byteLength) {
      const entry = g.entries[0].replace(/\.paths\[0\]$/, '');
      const names = g.paths.join(', ');
      throw new ModelFileError(
        from,
        entry,
        'size',
        `its shards (${names}) hold ${sum} bytes, its weights declare ${g.byteLength}`,
      );
    }
  });
  const out: Uint8Array[] = [];
  for (const [gi, g] of groups.entries()) {
    for (const [i, f] of stats[gi].entries()) out.push(await folder.read(f, g.entries[i], f.size));
  }
  return out;
}
