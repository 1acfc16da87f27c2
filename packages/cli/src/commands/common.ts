import type { FaceDataset } from '@face/data';
import {
  DEFAULT_BATCH_SIZE,
  UnseenSplitError,
  trainingSplits,
  type TrainingSplits,
  type TrainingSplitsOptions,
} from '@face/recipes';
import { numberFlag, stringFlag, UsageError, type Flag, type Io, type Values } from '../args';
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '../backend';
import { BAD_IMAGE_POLICIES, openDataset, type OpenedDataset } from '../datasets';
import { applyFaceCrop, releaseFaceCrop } from '../face-crop';
import { faceCropNotice } from '../face-crop-record';
import { loadModelFlag } from '../models';

export const BACKEND_FLAG: Flag = {
  type: 'string',
  description: 'TF.js backend',
  default: 'auto',
  value: 'name',
  choices: BACKEND_CHOICES,
};
export const MODEL_FLAG: Flag = {
  type: 'string',
  description: "a model/ folder written by 'face train', or dlib-resnet",
  value: 'dir',
};
export const DATA_FLAG: Flag = {
  type: 'string',
  description: 'a folder with one sub-folder per identity, a path,label CSV list, or "synthetic"',
  value: 'path',
};
export const THREADS_FLAG: Flag = {
  type: 'string',
  description: 'wasm threads (default: one per core; 1 turns them off)',
  value: 'n',
};
export const SEED_FLAG: Flag = {
  type: 'string',
  description: 'seed of data order, splits and initial weights',
  default: '0',
  value: 'n',
};
export const ON_BAD_IMAGE_FLAG: Flag = {
  type: 'string',
  description:
    'an image that does not decode (empty, truncated, not an image, over 4096x4096 px): skip it (counted, listed) or fail',
  default: 'skip',
  value: 'policy',
  choices: BAD_IMAGE_POLICIES,
};
export const BATCH_FLAG: Flag = {
  type: 'string',
  description: 'images per batch',
  default: String(DEFAULT_BATCH_SIZE),
  value: 'n',
};

/** Flags of the synthetic dataset (`--data synthetic`). */
export const SYNTHETIC_FLAGS: Record<string, Flag> = {
  identities: { type: 'string', description: 'synthetic data: people', default: '100', value: 'n' },
  'images-per-identity': {
    type: 'string',
    description: 'synthetic data: pictures per person',
    default: '20',
    value: 'n',
  },
  difficulty: {
    type: 'string',
    description: 'synthetic data: nuisance level, 0 (none) to 1',
    default: '0.5',
    value: 'x',
  },
};

export function syntheticOptions(command: string, v: Values) {
  return {
    identities: numberFlag(command, v, 'identities', { integer: true, min: 2 })!,
    imagesPerIdentity: numberFlag(command, v, 'images-per-identity', { integer: true, min: 1 })!,
    difficulty: numberFlag(command, v, 'difficulty', { min: 0 })!,
  };
}

export async function backendFromFlags(command: string, v: Values, io: Io): Promise<string> {
  const threads = numberFlag(command, v, 'threads', { integer: true, min: 1 });
  return selectBackend(stringFlag(command, v, 'backend') as BackendChoice, io.out, { threads });
}

/**
 * What `face eval` and `face embed` start with: the backend, the model named by --model (and
 * --weights), and --data opened at the model's input size. Prints what was loaded.
 */
export async function modelAndData(
  command: string,
  v: Values,
  io: Io,
  { modelSpec, data, seed }: { modelSpec: string; data: string; seed: number },
) {
  const synthetic = syntheticOptions(command, v);
  await backendFromFlags(command, v, io);
  const model = await loadModelFlag(command, modelSpec, stringFlag(command, v, 'weights'));
  io.out(`model: ${model.description}`);
  const opened = openDataset(command, 'data', data, {
    imageSize: model.imageSize,
    seed,
    ...synthetic,
  });
  io.out(`data: ${opened.description}`);
  // --crop / --align: what each picture goes through before the model's resizing.
  try {
    await applyFaceCrop(command, v, opened, model.imageSize, io.out);
    // What training did to its pictures, when these flags do not repeat it (files only: synthetic
    // pictures are drawn at the model's size and go through no crop).
    const notice = opened.sized
      ? null
      : faceCropNotice(command, v, model.faceCrop, model.imageSize);
    if (notice)
      (notice.warning ? io.err : io.out)(notice.warning ? `warning: ${notice.line}` : notice.line);
  } catch (err) {
    disposeModelAndData({ model, opened });
    throw err;
  }
  return { model, opened };
}

/** Frees what `modelAndData` loaded: the model's tensors and the `--align` detector's. */
export function disposeModelAndData({
  model,
  opened,
}: {
  model: { head?: { dispose(): void } | null; backbone: { dispose(): void } };
  opened: OpenedDataset;
}): void {
  releaseFaceCrop(opened);
  model.head?.dispose();
  model.backbone.dispose();
}

/** Positional arguments a command does not take. */
export function noPositionals(command: string, v: Values): void {
  if (v._.length)
    throw new UsageError(
      `face ${command}: unexpected argument '${v._[0]}' (flags start with --; see 'face ${command} --help')`,
    );
}

/**
 * @face/recipes' `trainingSplits`, with its refusal of the unseen fraction in the command's words
 * (a usage error naming --val-identities).
 */
export function splitForTraining(
  command: string,
  dataset: FaceDataset,
  options: TrainingSplitsOptions,
): TrainingSplits {
  try {
    return trainingSplits(dataset, options);
  } catch (err) {
    if (!(err instanceof UnseenSplitError)) throw err;
    const identities = err.unseen + err.training;
    throw new UsageError(
      `face ${command}: flag --val-identities ${options.unseenFraction} leaves ${err.unseen} of ${identities} identities for verification and ${err.training} for training; each needs at least 2 (or pass --val-identities 0)`,
    );
  }
}

/** The `split:` line: what trains, what is held out, and the verification pairs. */
export function splitLine(splits: TrainingSplits): string {
  const { train, heldOut, unseen, pairs } = splits;
  return (
    `split: ${train.size} training images of ${train.classNames.length} identities` +
    (heldOut ? `, ${heldOut.size} held out for accuracy` : '') +
    (unseen
      ? `, ${unseen.classNames.length === 0 ? 0 : new Set(unseen.labels).size} unseen identities (${pairs?.pairs.length ?? 0} pairs) for verification`
      : '')
  );
}

/** `0.1234` -> `0.123`; NaN and undefined -> `-`. */
export function fmt(x: number | undefined, digits = 3): string {
  return x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits);
}
