import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import {
  ImageDecodeError,
  SyntheticFaces,
  withLoad,
  compose,
  normalize,
  resize,
  type FaceDataset,
  type Transform,
} from '@face/data';
import { ImageFolder, ImageList } from '@face/data/node';
import { UsageError } from './args';

export interface DatasetOptions {
  /** Side of the synthetic pictures (the backbone's input size). */
  imageSize: number;
  identities?: number;
  imagesPerIdentity?: number;
  difficulty?: number;
  seed?: number;
}

export interface OpenedDataset {
  dataset: FaceDataset;
  /** What the data is, for logs and reports. */
  description: string;
  /** Whether images come at the model's size already (synthetic) or need resizing (files). */
  sized: boolean;
  /** Files left out while listing (unreadable, empty folders), reported once. */
  problems: { path: string; reason: string }[];
  /**
   * Images that failed to decode so far (path -> reason), each once: `dataset` records every
   * ImageDecodeError its loads meet, in training, validation, evaluation or embedding alike.
   */
  unreadable: Map<string, string>;
  /** Folder the paths of reports are shown relative to (the data folder, or the list's folder). */
  root: string | null;
}

/** What a command does with an image that cannot be decoded (`--on-bad-image`). */
export const BAD_IMAGE_POLICIES = ['skip', 'fail'] as const;
export type BadImagePolicy = (typeof BAD_IMAGE_POLICIES)[number];

/** `dataset`, recording the path and reason of every image whose load fails to decode into `sink`. */
export function recordingUnreadable(dataset: FaceDataset, sink: Map<string, string>): FaceDataset {
  return withLoad(dataset, async (i) => {
    try {
      return await dataset.load(i);
    } catch (err) {
      if (err instanceof ImageDecodeError && !sink.has(err.path)) sink.set(err.path, err.reason);
      throw err;
    }
  });
}

/** Files listed at most in a skipped-files line; the rest are counted. */
const LISTED = 5;

/**
 * Every file a command left out so far (listing problems and images that did not decode), as one
 * line: "skipped N files: a.jpg (reason), ... and M more" (unreadable images, special files,
 * duplicate list lines, each with its reason); null when none was.
 */
export function skippedFilesLine(opened: OpenedDataset): string | null {
  const all = skippedFiles(opened);
  if (all.length === 0) return null;
  const shown = all.slice(0, LISTED).map((p) => `${p.path} (${p.reason})`);
  const more = all.length > LISTED ? ` and ${all.length - LISTED} more` : '';
  return `skipped ${all.length} file${all.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
}

/** Listing problems, then decoding failures, paths relative to the data folder when inside it. */
export function skippedFiles(opened: OpenedDataset): { path: string; reason: string }[] {
  const show = (path: string) => {
    if (!opened.root || !isAbsolute(path)) return path;
    const rel = relative(opened.root, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  return [
    ...opened.problems.map((p) => ({ path: show(p.path), reason: p.reason })),
    // By path: the order files fail in depends on concurrency, a report should not.
    ...[...opened.unreadable]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, reason]) => ({ path: show(path), reason })),
  ];
}

/**
 * `synthetic` (drawn faces at the model's size), a CSV list (`path,label` lines), or a folder with
 * one sub-folder per identity. A missing path or a dataset without images is a usage error that
 * names the flag.
 */
export function openDataset(
  command: string,
  flag: string,
  spec: string,
  o: DatasetOptions,
): OpenedDataset {
  if (spec === 'synthetic') {
    const dataset = new SyntheticFaces({
      identities: o.identities ?? 100,
      imagesPerIdentity: o.imagesPerIdentity ?? 20,
      size: o.imageSize,
      seed: o.seed ?? 0,
      difficulty: o.difficulty ?? 0.5,
    });
    return {
      dataset,
      unreadable: new Map(),
      root: null,
      description: `synthetic faces: ${dataset.classNames.length} identities x ${o.imagesPerIdentity ?? 20} images, ${o.imageSize} px, difficulty ${o.difficulty ?? 0.5}`,
      sized: true,
      problems: [],
    };
  }
  if (!existsSync(spec))
    throw new UsageError(
      `face ${command}: flag --${flag} names '${spec}', which does not exist (a folder of identity sub-folders, a .csv list, or 'synthetic')`,
    );
  // Anything but a folder is a list, so a FIFO or device named by --data is refused as one.
  const isList = !statSync(spec).isDirectory();
  let dataset: ImageFolder | ImageList;
  try {
    dataset = isList
      ? new ImageList(spec, { onError: 'skip' })
      : new ImageFolder(spec, { onError: 'skip' });
  } catch (err) {
    throw new UsageError(`face ${command}: flag --${flag}: ${(err as Error).message}`);
  }
  if (dataset.size === 0)
    throw new UsageError(
      `face ${command}: flag --${flag} names '${spec}', which holds no images (${
        isList
          ? 'the list has no `path,label` line'
          : 'expected one sub-folder of images per identity'
      })`,
    );
  const unreadable = new Map<string, string>();
  return {
    dataset: recordingUnreadable(dataset, unreadable),
    unreadable,
    root: isList ? resolve(spec, '..') : resolve(spec),
    description: `${isList ? 'list' : 'folder'} ${spec}: ${dataset.classNames.length} identities, ${dataset.size} images`,
    sized: false,
    problems: [...dataset.problems],
  };
}

/**
 * `transform` at the model's input size: files (not already sized) are resized first. With the
 * default, evaluation preprocessing: resize, then the model's normalization.
 */
export function atModelSize(
  sized: boolean,
  imageSize: number,
  transform: Transform = normalize(),
): Transform {
  return sized ? transform : compose([resize([imageSize, imageSize]), transform]);
}
