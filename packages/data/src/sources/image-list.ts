// Node door: shared classes come from the package's root door ('@face/data'), not relative
// paths, so both doors share one ImageDecodeError / FileDataset (instanceof works across them).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError, checkOneOf } from '@face/core';
import {
  DatasetError,
  FileDataset,
  parseImageList,
  type DecodedImage,
  type OnError,
} from '@face/data';
import { nodeDecoder, readBytes } from './image-folder';

export interface ImageListOptions {
  /** Folder that relative paths start from. Default: the list file's folder. */
  root?: string;
  /** Malformed lines: 'throw' (default) or 'skip' into `problems`. */
  onError?: OnError;
  decode?: (bytes: Uint8Array, path: string) => Promise<DecodedImage>;
  /** Largest image the default decoder accepts, in pixels. Default `DEFAULT_MAX_PIXELS`. */
  maxPixels?: number;
}

/** Images listed in a CSV file of `path,label` lines (see `parseImageList`), read from disk. */
export class ImageList extends FileDataset {
  readonly listPath: string;

  constructor(listPath: string, options: ImageListOptions = {}) {
    const fn = 'ImageList';
    if (typeof listPath !== 'string' || listPath === '')
      throw new InvalidArgumentError(fn, 'listPath', listPath, 'a file path');
    const { onError = 'throw' } = options;
    const decode = nodeDecoder(fn, options);
    checkOneOf(fn, 'onError', onError, ['throw', 'skip']);
    let text: string;
    try {
      text = readFileSync(listPath, 'utf8');
    } catch (err) {
      throw new DatasetError(listPath, `cannot read the list: ${(err as Error).message}`);
    }
    const root = resolve(options.root ?? dirname(listPath));
    const fileOf = (path: string) => (isAbsolute(path) ? resolve(path) : resolve(root, path));
    const { entries, problems } = parseImageList(text, { source: listPath, onError, fileOf });
    super(
      entries.map((e) => ({ path: fileOf(e.path), identity: e.identity })),
      {
        read: readBytes,
        decode,
        problems,
      },
    );
    this.listPath = listPath;
  }
}
