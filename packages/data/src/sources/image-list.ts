// Node door: shared classes come from the package's root door ('@face/data'), not relative
// paths, so both doors share one ImageDecodeError / FileDataset (instanceof works across them).
import { dirname, resolve } from 'node:path';
import {
  InvalidArgumentError,
  RegularFileError,
  checkInteger,
  checkOneOf,
  readRegularFileSync,
} from '@face/core';
import {
  DEFAULT_MAX_LIST_BYTES,
  DatasetError,
  FileDataset,
  parseImageList,
  type DecodedImage,
  type OnError,
} from '@face/data';
import { imageReader, nodeDecoder } from './image-folder';

export interface ImageListOptions {
  /** Folder that relative paths start from. Default: the list file's folder. */
  root?: string;
  /** Malformed lines: 'throw' (default) or 'skip' into `problems`. */
  onError?: OnError;
  decode?: (bytes: Uint8Array, path: string) => Promise<DecodedImage>;
  /** Largest image the default decoder accepts, in pixels. Default `DEFAULT_MAX_PIXELS`. */
  maxPixels?: number;
  /** Largest image file read, in bytes. Default `DEFAULT_MAX_FILE_BYTES` (64 MiB). */
  maxFileBytes?: number;
  /** Largest list file read, in bytes. Default `DEFAULT_MAX_LIST_BYTES` (256 MiB). */
  maxListBytes?: number;
}

/**
 * The text of a list or pairs file, read as `readRegularFileSync` does (no blocking on a FIFO,
 * only a regular file, at most `maxBytes`); a refusal is a DatasetError naming the file.
 */
export function readListFile(
  path: string,
  { maxBytes = DEFAULT_MAX_LIST_BYTES, what = 'list' }: { maxBytes?: number; what?: string } = {},
): string {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFileSync(path, { maxBytes, what: `${what} file` });
  } catch (err) {
    if (err instanceof RegularFileError)
      throw new DatasetError(path, `cannot read the ${what}: ${err.reason}`);
    throw err;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

/** Images listed in a CSV file of `path,label` lines (see `parseImageList`), read from disk. */
export class ImageList extends FileDataset {
  readonly listPath: string;

  constructor(listPath: string, options: ImageListOptions = {}) {
    const fn = 'ImageList';
    if (typeof listPath !== 'string' || listPath === '')
      throw new InvalidArgumentError(fn, 'listPath', listPath, 'a file path');
    const { onError = 'throw', maxListBytes = DEFAULT_MAX_LIST_BYTES } = options;
    const decode = nodeDecoder(fn, options);
    const read = imageReader(fn, options);
    checkOneOf(fn, 'onError', onError, ['throw', 'skip']);
    checkInteger(fn, 'maxListBytes', maxListBytes, { min: 1 });
    const text = readListFile(listPath, { maxBytes: maxListBytes });
    const root = resolve(options.root ?? dirname(listPath));
    // Each path resolved once: the entries carry the files duplicates were found by.
    const fileOf = (path: string) => resolve(root, path); // an absolute path stays itself
    const { entries, problems } = parseImageList(text, { source: listPath, onError, fileOf });
    super(entries, { read, decode, problems });
    this.listPath = listPath;
  }
}
