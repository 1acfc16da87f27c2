import { InvalidArgumentError } from '@face/core';
import { ImageDecodeError, type Problem } from '../errors';
import { checkDecodedImage, type DecodedImage } from '../image';
import { checkIndex, countsPerIdentity, type FaceDataset, type IdentityCount } from './dataset';

/** One image file and the identity it shows. */
export interface FileEntry {
  path: string;
  identity: string;
}

export interface FileDatasetOptions {
  /** Reads a file's bytes: `fs.promises.readFile` in Node, `fetch` or a `File` in browsers. */
  read: (path: string) => Promise<Uint8Array>;
  /** Turns bytes into RGB: `decodeImageNode` or `decodeImageBrowser`. */
  decode: (bytes: Uint8Array, path: string) => Promise<DecodedImage>;
  /** Problems met while listing the files (kept for the report). */
  problems?: Problem[];
}

/**
 * Orders identity names: integers by value ("2" before "10", so labels "0".."N-1" keep their
 * numbers), everything else by UTF-16 code units (the same everywhere, unlike locale order).
 */
export function compareIdentities(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Images listed as (path, identity) entries, read and decoded on demand. Labels number the
 * identities in `compareIdentities` order. Works in browsers (give it `fetch`-based `read` and
 * `decodeImageBrowser`); `ImageFolder` and `ImageList` from '@face/data/node' build it from disk.
 */
export class FileDataset implements FaceDataset {
  readonly size: number;
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
  readonly entries: readonly FileEntry[];
  /** Files and folders skipped while listing, with the reason. */
  readonly problems: readonly Problem[];
  private readonly read: FileDatasetOptions['read'];
  private readonly decode: FileDatasetOptions['decode'];

  constructor(entries: readonly FileEntry[], options: FileDatasetOptions) {
    const fn = 'FileDataset';
    if (!Array.isArray(entries))
      throw new InvalidArgumentError(fn, 'entries', entries, 'an array of { path, identity }');
    entries.forEach((e, i) => {
      if (!e || typeof e.path !== 'string' || typeof e.identity !== 'string' || e.identity === '') {
        throw new InvalidArgumentError(
          fn,
          `entries[${i}]`,
          e,
          '{ path: string, identity: non-empty string }',
        );
      }
    });
    if (typeof options?.read !== 'function')
      throw new InvalidArgumentError(
        fn,
        'options.read',
        options?.read,
        'a function (path) => Promise<Uint8Array>',
      );
    if (typeof options.decode !== 'function')
      throw new InvalidArgumentError(
        fn,
        'options.decode',
        options.decode,
        'a function (bytes, path) => Promise<DecodedImage>',
      );
    this.entries = entries.map((e) => ({ path: e.path, identity: e.identity }));
    this.classNames = [...new Set(this.entries.map((e) => e.identity))].sort(compareIdentities);
    const label = new Map(this.classNames.map((name, i) => [name, i]));
    this.labels = Int32Array.from(this.entries, (e) => label.get(e.identity) as number);
    this.size = this.entries.length;
    this.problems = [...(options.problems ?? [])];
    this.read = options.read;
    this.decode = options.decode;
  }

  async load(index: number): Promise<DecodedImage> {
    checkIndex('FileDataset.load', this, index);
    const { path } = this.entries[index];
    let bytes: Uint8Array;
    try {
      bytes = await this.read(path);
    } catch (err) {
      if (err instanceof ImageDecodeError) throw err;
      throw new ImageDecodeError(path, `cannot read: ${(err as Error)?.message ?? String(err)}`);
    }
    let image: DecodedImage;
    try {
      image = await this.decode(bytes, path);
      checkDecodedImage('FileDataset.load', 'decoded image', image);
    } catch (err) {
      if (err instanceof ImageDecodeError) throw err;
      throw new ImageDecodeError(path, (err as Error)?.message ?? String(err));
    }
    return image;
  }

  source(index: number): string {
    checkIndex('FileDataset.source', this, index);
    return this.entries[index].path;
  }

  /** Images per identity, indexed by label. */
  countsPerIdentity(): IdentityCount[] {
    return countsPerIdentity(this);
  }
}
