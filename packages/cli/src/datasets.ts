import { existsSync, statSync } from 'node:fs';
import {
  SyntheticFaces,
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
  /** Files left out (unreadable, empty folders), reported once. */
  problems: { path: string; reason: string }[];
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
      description: `synthetic faces: ${dataset.classNames.length} identities x ${o.imagesPerIdentity ?? 20} images, ${o.imageSize} px, difficulty ${o.difficulty ?? 0.5}`,
      sized: true,
      problems: [],
    };
  }
  if (!existsSync(spec))
    throw new UsageError(
      `face ${command}: flag --${flag} names '${spec}', which does not exist (a folder of identity sub-folders, a .csv list, or 'synthetic')`,
    );
  const isList = statSync(spec).isFile();
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
  return {
    dataset,
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
