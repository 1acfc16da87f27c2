// Node door: shared classes come from the package's root door ('@face/data'), not relative
// paths, so both doors share one ImageDecodeError / FileDataset (instanceof works across them).
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  InvalidArgumentError,
  RegularFileError,
  checkInteger,
  checkOneOf,
  readRegularFile,
} from '@face/core';
import {
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_PIXELS,
  DatasetError,
  FileDataset,
  ImageDecodeError,
  type DecodedImage,
  type FileEntry,
  type OnError,
  type Problem,
} from '@face/data';
import { decodeImageNode } from '../decode/node';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.gif', '.tif', '.tiff'];

export interface ImageFolderOptions {
  /** File name endings that count as images (case-insensitive). Default: IMAGE_EXTENSIONS. */
  extensions?: readonly string[];
  /**
   * Bad entries (unreadable folders, symlink loops, identity folders without images, and with
   * `verify` files that do not decode): 'throw' (default) stops with a DatasetError or
   * ImageDecodeError naming the path; 'skip' lists them in `problems` and leaves them out.
   */
  onError?: OnError;
  /** Also count images in sub-folders of an identity folder. Default true. */
  recursive?: boolean;
  /** Decoder (default `decodeImageNode`, sharp). */
  decode?: (bytes: Uint8Array, path: string) => Promise<DecodedImage>;
  /**
   * Largest image the default decoder accepts, in pixels; larger ones are ImageDecodeErrors
   * (skipped under a 'skip' policy). Default `DEFAULT_MAX_PIXELS` (4096 x 4096).
   */
  maxPixels?: number;
  /**
   * Largest image file read, in bytes; a larger one is an ImageDecodeError before any byte is
   * read (skipped under a 'skip' policy). Default `DEFAULT_MAX_FILE_BYTES` (64 MiB).
   */
  maxFileBytes?: number;
}

/** `options.decode`, or `decodeImageNode` capped at `options.maxPixels`. */
export function nodeDecoder(
  fn: string,
  options: { decode?: ImageFolderOptions['decode']; maxPixels?: number },
): (bytes: Uint8Array, path: string) => Promise<DecodedImage> {
  if (options.decode) return options.decode;
  const { maxPixels = DEFAULT_MAX_PIXELS } = options;
  checkInteger(fn, 'maxPixels', maxPixels, { min: 1 });
  return (bytes, path) => decodeImageNode(bytes, path, { maxPixels });
}

export interface OpenImageFolderOptions extends ImageFolderOptions {
  /** Decode every image once while opening, so corrupt files are found before training. */
  verify?: boolean;
  /** Files decoded at once while verifying. Default 8. */
  concurrency?: number;
}

/**
 * Reads image files as `readRegularFile` does (no blocking on a FIFO, only regular files, symlinks
 * followed to one, at most `maxFileBytes`); a refused file is an ImageDecodeError naming it, so
 * the bad-image policy skips and counts it like a corrupt one.
 */
export function imageReader(
  fn: string,
  { maxFileBytes = DEFAULT_MAX_FILE_BYTES }: { maxFileBytes?: number },
): (path: string) => Promise<Uint8Array> {
  checkInteger(fn, 'maxFileBytes', maxFileBytes, { min: 1 });
  return async (path) => {
    try {
      return await readRegularFile(path, { maxBytes: maxFileBytes, what: 'image file' });
    } catch (err) {
      if (err instanceof RegularFileError) throw new ImageDecodeError(path, err.reason);
      throw err;
    }
  };
}

/**
 * A folder with one sub-folder per identity, as VGGFace2, CASIA-WebFace and LFW ship:
 * `root/<identity>/<image>`. Identities are named by their folder and numbered in
 * `compareIdentities` order; images are sorted by path, so the listing is the same on every file
 * system. Files directly in `root` and files without an image extension are ignored. Symlinks are
 * followed; a link back to a folder already listed is reported as a loop instead of followed.
 */
export class ImageFolder extends FileDataset {
  readonly root: string;

  constructor(
    root: string,
    options: ImageFolderOptions = {},
    entries?: FileEntry[],
    problems?: Problem[],
  ) {
    const fn = 'ImageFolder';
    if (typeof root !== 'string' || root === '')
      throw new InvalidArgumentError(fn, 'root', root, 'a folder path');
    const { onError = 'throw', recursive = true } = options;
    const decode = nodeDecoder(fn, options);
    const read = imageReader(fn, options);
    checkOneOf(fn, 'onError', onError, ['throw', 'skip']);
    const extensions = (options.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase());
    const listed = entries
      ? { entries, problems: problems ?? [] }
      : listFolder(resolve(root), extensions, onError, recursive);
    super(listed.entries, { read, decode, problems: listed.problems });
    this.root = resolve(root);
  }

  /**
   * Lists `root` like the constructor; with `verify`, also decodes every image and handles the
   * ones that fail by `onError`.
   */
  static async open(root: string, options: OpenImageFolderOptions = {}): Promise<ImageFolder> {
    const folder = new ImageFolder(root, options);
    if (!options.verify) return folder;
    const { concurrency = 8, onError = 'throw' } = options;
    checkInteger('ImageFolder.open', 'concurrency', concurrency, { min: 1 });
    const bad = new Map<number, string>();
    let next = 0;
    const worker = async () => {
      while (next < folder.size) {
        const i = next++;
        try {
          await folder.load(i);
        } catch (err) {
          if (!(err instanceof ImageDecodeError) || onError === 'throw') throw err;
          bad.set(i, err.reason);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, folder.size) }, worker));
    if (bad.size === 0) return folder;
    const problems = [
      ...folder.problems,
      ...[...bad].map(([i, reason]) => ({ path: folder.entries[i].path, reason })),
    ];
    const kept = folder.entries.filter((_, i) => !bad.has(i));
    // Identities whose every image failed are gone too; say so.
    const left = new Set(kept.map((e) => e.identity));
    for (const name of folder.classNames) {
      if (!left.has(name))
        problems.push({
          path: join(folder.root, name),
          reason: 'no image of this identity decodes',
        });
    }
    return new ImageFolder(root, options, kept, problems);
  }
}

function specialKind(s: { isFIFO(): boolean; isSocket(): boolean }): string {
  return s.isFIFO() ? 'a FIFO' : s.isSocket() ? 'a socket' : 'a device or special file';
}

function listFolder(
  root: string,
  extensions: string[],
  onError: OnError,
  recursive: boolean,
): { entries: FileEntry[]; problems: Problem[] } {
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch (err) {
    throw new DatasetError(root, `cannot open the dataset folder: ${(err as Error).message}`);
  }
  if (!rootStat.isDirectory()) throw new DatasetError(root, 'the dataset root is not a folder');
  const problems: Problem[] = [];
  const report = (path: string, reason: string) => {
    if (onError === 'throw') throw new DatasetError(path, reason);
    problems.push({ path, reason });
  };
  const entries: FileEntry[] = [];
  const isImage = (name: string) => extensions.some((e) => name.toLowerCase().endsWith(e));
  const visited = new Set<string>();

  // Depth-first over one identity folder; `visited` holds real paths, so a symlink cycle ends.
  const walk = (dir: string, identity: string, out: string[]): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (err) {
      report(dir, `cannot resolve: ${(err as Error).message}`);
      return;
    }
    if (visited.has(real)) {
      report(dir, `symlink loop or duplicate: ${real} is already listed`);
      return;
    }
    visited.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (err) {
      report(dir, `cannot list: ${(err as Error).message}`);
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(path); // follows links; ELOOP for a link cycle, ENOENT for a dangling link
      } catch (err) {
        report(path, `cannot stat: ${(err as Error).message}`);
        continue;
      }
      if (stat.isFile()) {
        if (isImage(name)) out.push(path);
      } else if (stat.isDirectory()) {
        const before = out.length;
        if (recursive) walk(path, identity, out);
        // A folder named like an image that yields none: counted, not dropped silently.
        if (isImage(name) && out.length === before)
          report(path, 'is a folder named like an image, holding no images');
      } else if (isImage(name)) {
        // FIFOs, devices, sockets: never read (a FIFO would block, /dev/zero never ends).
        report(path, `is ${specialKind(stat)}, not a regular image file`);
      }
    }
  };

  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch (err) {
    throw new DatasetError(root, `cannot list the dataset folder: ${(err as Error).message}`);
  }
  visited.add(realpathSync(root));
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const dir = join(root, name);
    let stat;
    try {
      stat = statSync(dir);
    } catch (err) {
      report(dir, `cannot stat: ${(err as Error).message}`);
      continue;
    }
    if (!stat.isDirectory()) continue;
    const files: string[] = [];
    walk(dir, name, files);
    if (files.length === 0) {
      report(dir, 'identity folder holds no images');
      continue;
    }
    files.sort();
    for (const path of files) entries.push({ path, identity: name });
  }
  return { entries, problems };
}
