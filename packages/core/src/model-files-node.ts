import type * as NodeFsSync from 'node:fs';
import type * as NodeFs from 'node:fs/promises';
import type * as NodePath from 'node:path';
import { FaceError } from './errors';
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
    try {
      return await readRegularFile(file.path, {
        maxBytes: expectedBytes,
        exactBytes: expectedBytes,
        noFollow: true,
      });
    } catch (err) {
      if (!(err instanceof RegularFileError)) throw err;
      if (err.problem === 'size') throw wrongSize(err.actualBytes ?? -1);
      const problem = err.problem === 'not-a-file' ? 'not-a-file' : 'io';
      throw new ModelFileError(file.label, entry, problem, err.reason);
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

/** Why {@link readRegularFile} refused a file. */
export type RegularFileProblem = 'missing' | 'not-a-file' | 'too-large' | 'size' | 'io';

/**
 * A data file that cannot be read safely: missing, not a regular file (a FIFO, device, socket or
 * folder), over its size cap, or failing to read. `reason` is the message without the file name,
 * for callers that wrap it into their own error.
 */
export class RegularFileError extends FaceError {
  override name = 'RegularFileError';
  constructor(
    readonly file: string,
    readonly problem: RegularFileProblem,
    readonly reason: string,
    /** For `size` and `too-large`: the bytes the file holds (or held when it stopped). */
    readonly actualBytes?: number,
  ) {
    super(`file ${file}: ${reason}`);
  }
}

export interface ReadRegularFileOptions {
  /** Largest size accepted, in bytes; a larger file is refused before any byte is read. */
  maxBytes: number;
  /** When given, the file must have exactly this many bytes (checked before and while reading). */
  exactBytes?: number;
  /** Refuse a symlink at `path` itself (O_NOFOLLOW) instead of following it. Default false. */
  noFollow?: boolean;
  /** What the file is, for messages (`list`, `image`). Default `file`. */
  what?: string;
}

type FileStats = { size: number; isFile(): boolean } & Parameters<typeof kindOf>[0];

function checkOpened(path: string, s: FileStats, o: ReadRegularFileOptions): number {
  if (!s.isFile()) {
    throw new RegularFileError(path, 'not-a-file', `is ${kindOf(s)}, not a regular file`);
  }
  if (o.exactBytes !== undefined && s.size !== o.exactBytes) {
    throw new RegularFileError(
      path,
      'size',
      `has ${s.size} bytes, expected ${o.exactBytes}`,
      s.size,
    );
  }
  if (s.size > o.maxBytes) {
    throw new RegularFileError(
      path,
      'too-large',
      `has ${s.size} bytes, more than the ${o.maxBytes} a ${o.what ?? 'file'} may have`,
      s.size,
    );
  }
  return s.size;
}

function openFailure(path: string, err: unknown, noFollow: boolean): RegularFileError {
  const code = codeOf(err);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new RegularFileError(path, 'missing', 'does not exist');
  }
  if (code === 'EISDIR') return new RegularFileError(path, 'not-a-file', 'is a directory');
  if (noFollow && (code === 'ELOOP' || code === 'EMLINK')) {
    return new RegularFileError(path, 'not-a-file', 'is a symlink, which is not followed here');
  }
  // ENXIO: a socket, or (on some systems) a FIFO, opened without blocking.
  if (code === 'ENXIO') return new RegularFileError(path, 'not-a-file', 'is not a regular file');
  return new RegularFileError(path, 'io', `cannot be opened (${code ?? (err as Error).message})`);
}

// O_NONBLOCK: opening a FIFO with no writer returns at once (then fstat refuses it) instead of
// waiting forever. O_NOFOLLOW where asked: a symlink swapped in after a containment check fails.
const openFlags = (c: typeof NodeFs.constants, noFollow: boolean) =>
  c.O_RDONLY | (c.O_NONBLOCK ?? 0) | (noFollow ? (c.O_NOFOLLOW ?? 0) : 0);

const shortRead = (path: string, at: number, size: number) =>
  new RegularFileError(path, 'size', `shrank while being read (${at} of ${size} bytes)`, at);

/**
 * Reads a whole regular file (Node), safely for paths that come from data: opened without
 * blocking (a FIFO cannot hang), checked with fstat on the opened descriptor (FIFOs, devices such
 * as /dev/zero, sockets and folders are refused), refused over `maxBytes` before any byte is read,
 * and read to at most the size fstat gave (a file growing meanwhile cannot grow the buffer).
 * Symlinks are followed unless `noFollow`; their target must be a regular file all the same.
 * Rejects with a {@link RegularFileError}.
 */
export async function readRegularFile(
  path: string,
  options: ReadRegularFileOptions,
): Promise<Uint8Array> {
  const fs = await nodeFs();
  const noFollow = options.noFollow ?? false;
  let handle: NodeFs.FileHandle;
  try {
    handle = await fs.open(path, openFlags(fs.constants, noFollow));
  } catch (err) {
    throw openFailure(path, err, noFollow);
  }
  try {
    const size = checkOpened(path, await handle.stat(), options);
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(out, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    if (at < size && options.exactBytes !== undefined) throw shortRead(path, at, size);
    return at < size ? out.subarray(0, at) : out;
  } catch (err) {
    if (err instanceof RegularFileError) throw err;
    throw new RegularFileError(path, 'io', `cannot be read (${codeOf(err) ?? String(err)})`);
  } finally {
    await handle.close();
  }
}

/**
 * {@link readRegularFile}, synchronously, for constructors that list data at once (`ImageList`
 * reading its list file). Node only: `fs` comes from `process.getBuiltinModule` (Node >= 20.16).
 */
export function readRegularFileSync(path: string, options: ReadRegularFileOptions): Uint8Array {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as typeof NodeFsSync | undefined;
  if (!fs) throw new FaceError('readRegularFileSync needs Node.js 20.16 or later');
  const noFollow = options.noFollow ?? false;
  let fd: number;
  try {
    fd = fs.openSync(path, openFlags(fs.constants, noFollow));
  } catch (err) {
    throw openFailure(path, err, noFollow);
  }
  try {
    const size = checkOpened(path, fs.fstatSync(fd), options);
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const n = fs.readSync(fd, out, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    if (at < size && options.exactBytes !== undefined) throw shortRead(path, at, size);
    return at < size ? out.subarray(0, at) : out;
  } catch (err) {
    if (err instanceof RegularFileError) throw err;
    throw new RegularFileError(path, 'io', `cannot be read (${codeOf(err) ?? String(err)})`);
  } finally {
    fs.closeSync(fd);
  }
}
