import { existsSync } from 'node:fs';
import { FaceError } from '@face/core';
import { compose, randomHorizontalFlip } from '@face/data';
import {
  HEAD_KINDS,
  MINER_KINDS,
  OPTIMIZER_KINDS,
  SCHEDULE_KINDS,
  classificationRecipe,
  isInteractive,
  jointRecipe,
  metricRecipe,
  sequentialRecipe,
  type FitResult,
  type HeadKind,
  type MinerKind,
  type OptimizerKind,
  type RecipeOptions,
  type ScheduleKind,
} from '@face/train';
import { numberFlag, stringFlag, UsageError, type Command, type Io, type Values } from '../args';
import { BACKBONES, buildBackbone, type BackboneName } from '../backbones';
import { atModelSize, openDataset, skippedFilesLine, type BadImagePolicy } from '../datasets';
import {
  BACKEND_FLAG,
  THREADS_FLAG,
  DATA_FLAG,
  BATCH_FLAG,
  ON_BAD_IMAGE_FLAG,
  SEED_FLAG,
  SYNTHETIC_FLAGS,
  backendFromFlags,
  fmt,
  noPositionals,
  syntheticOptions,
  trainingSplits,
} from './common';

export const RECIPES = ['classification', 'joint', 'sequential', 'metric'] as const;
export const METRIC_LOSSES = ['triplet', 'center', 'triplet+center'] as const;

const name = 'train';

export const trainCommand: Command = {
  name,
  summary:
    'Train a face model with one of the recipes: classification (softmax), joint (CE + triplet), ' +
    'sequential (softmax, then a margin head such as ArcFace), or metric (triplet and/or center loss). ' +
    'Writes checkpoints, logs (log.jsonl, log.csv) and the final model (model/) into --out.',
  usage: '--data <folder|list.csv|synthetic> --out <dir> [flags]',
  flags: {
    data: DATA_FLAG,
    out: { type: 'string', description: 'run directory (checkpoints, logs, model)', value: 'dir' },
    recipe: {
      type: 'string',
      description: 'training recipe',
      default: 'classification',
      value: 'name',
      choices: RECIPES,
    },
    backbone: {
      type: 'string',
      description: 'network',
      default: 'iresnet-tiny',
      value: 'name',
      choices: BACKBONES,
    },
    head: {
      type: 'string',
      description:
        "classifier head (default: linear; arcface for the sequential recipe's margin phase)",
      value: 'name',
      choices: () => HEAD_KINDS,
    },
    loss: {
      type: 'string',
      description: 'metric recipe: which metric losses',
      default: 'triplet',
      value: 'name',
      choices: METRIC_LOSSES,
    },
    epochs: {
      type: 'string',
      description: 'epochs (sequential: of the margin phase)',
      default: '10',
      value: 'n',
    },
    'classification-epochs': {
      type: 'string',
      description:
        'sequential: epochs of the softmax phase (0 skips it; default --epochs, 0 for dlib-resnet)',
      value: 'n',
    },
    batch: BATCH_FLAG,
    p: {
      type: 'string',
      description: 'joint/metric: identities per batch (default batch / k)',
      value: 'n',
    },
    k: {
      type: 'string',
      description: 'joint/metric: images per identity per batch',
      default: '4',
      value: 'n',
    },
    miner: {
      type: 'string',
      description: 'joint/metric: triplet mining',
      default: 'batch-hard',
      value: 'name',
      choices: () => MINER_KINDS,
    },
    optimizer: {
      type: 'string',
      description: 'optimizer',
      default: 'adamw',
      value: 'name',
      choices: OPTIMIZER_KINDS,
    },
    lr: {
      type: 'string',
      description:
        'learning rate (default 1e-3, 3e-4 with dlib-resnet; 0.1 for sgd); with dlib-resnet the margin head learns at 10x, the backbone at 0.1x',
      value: 'x',
    },
    'weight-decay': { type: 'string', description: 'weight decay', default: '5e-4', value: 'x' },
    schedule: {
      type: 'string',
      description: 'learning-rate schedule',
      default: 'cosine',
      value: 'name',
      choices: SCHEDULE_KINDS,
    },
    'warmup-epochs': { type: 'string', description: 'linear warm-up', default: '0', value: 'x' },
    'label-smoothing': {
      type: 'string',
      description: 'label smoothing of the softmax phase',
      default: '0.1',
      value: 'x',
    },
    scale: { type: 'string', description: 'scale s of cosine / margin heads', value: 'x' },
    margin: {
      type: 'string',
      description: 'margin m of ArcFace / CosFace / SphereFace / triplet',
      value: 'x',
    },
    'image-size': {
      type: 'string',
      description: 'input side in pixels (default per backbone)',
      value: 'px',
    },
    'embedding-size': {
      type: 'string',
      description: 'embedding width (default per backbone)',
      value: 'n',
    },
    'val-identities': {
      type: 'string',
      description: 'fraction of identities held out for verification (0: none)',
      default: '0.2',
      value: 'x',
    },
    'val-images': {
      type: 'string',
      description: "fraction of each training identity's images held out for accuracy (0: none)",
      default: '0.2',
      value: 'x',
    },
    'checkpoint-every': {
      type: 'string',
      description: 'also checkpoint every N updates (0: epoch ends only)',
      default: '0',
      value: 'n',
    },
    resume: {
      type: 'boolean',
      description: 'continue the run in --out from its latest checkpoint',
    },
    'trainable-from': {
      type: 'string',
      description: 'dlib-resnet: first block to fine-tune (earlier ones frozen)',
      value: 'block',
    },
    weights: { type: 'string', description: "dlib-resnet: face-api's model/ folder", value: 'dir' },
    'on-bad-image': ON_BAD_IMAGE_FLAG,
    backend: BACKEND_FLAG,
    threads: THREADS_FLAG,
    seed: SEED_FLAG,
    ...SYNTHETIC_FLAGS,
    quiet: { type: 'boolean', description: 'print only the final summary' },
  },
  details: [
    'Examples:',
    '  face train --data synthetic --identities 50 --out runs/cls --epochs 5',
    '  face train --data ~/faces --recipe sequential --head arcface --out runs/seq',
    '  face train --data synthetic --out runs/cls --resume',
  ].join('\n'),
  run: train,
};

async function train(v: Values, io: Io): Promise<number> {
  noPositionals(name, v);
  const data = stringFlag(name, v, 'data', true)!;
  const out = stringFlag(name, v, 'out', true)!;
  const recipe = stringFlag(name, v, 'recipe') as (typeof RECIPES)[number];
  const int = (flag: string, min = 0) => numberFlag(name, v, flag, { integer: true, min });
  const num = (flag: string, min = 0, max = Infinity) => numberFlag(name, v, flag, { min, max });
  const epochs = int('epochs', 1)!;
  const batch = int('batch', 1)!;
  const seed = int('seed', -(2 ** 31))!;
  const k = int('k', 2)!;
  const p = int('p', 2) ?? Math.max(2, Math.floor(batch / k));
  const lr = num('lr');
  const optimizerKind = stringFlag(name, v, 'optimizer') as OptimizerKind;
  const scheduleKind = stringFlag(name, v, 'schedule') as ScheduleKind;
  const head = stringFlag(name, v, 'head') as HeadKind | undefined;
  const scale = num('scale');
  const margin = num('margin');
  const smoothing = num('label-smoothing', 0, 1)!;
  const unseenFraction = num('val-identities', 0, 1)!;
  const heldOutFraction = num('val-images', 0, 1)!;
  const classificationEpochs = int('classification-epochs', 0);
  if (recipe !== 'sequential' && classificationEpochs !== undefined)
    throw new UsageError(
      `face ${name}: flag --classification-epochs only applies to --recipe sequential`,
    );
  if (recipe === 'metric' && head !== undefined)
    throw new UsageError(
      `face ${name}: flag --head does not apply to --recipe metric (it trains no classifier)`,
    );
  const synthetic = syntheticOptions(name, v);
  const log = v.quiet ? () => {} : io.out;
  // --resume never starts over: a missing folder is refused before anything is built (or created).
  const nothingToResume = () =>
    new FaceError(
      `nothing to resume in ${out}: no checkpoint; run without --resume to start a new run`,
    );
  if (v.resume && !existsSync(out)) throw nothingToResume();

  await backendFromFlags(name, v, { out: log, err: io.err });
  const backbone = await buildBackbone(stringFlag(name, v, 'backbone') as BackboneName, {
    imageSize: int('image-size', 8),
    embeddingSize: int('embedding-size', 2),
    seed,
    trainableFrom: stringFlag(name, v, 'trainable-from'),
    weights: stringFlag(name, v, 'weights'),
  });
  const opened = openDataset(name, 'data', data, {
    imageSize: backbone.imageSize,
    seed,
    ...synthetic,
  });
  log(`data: ${opened.description}`);
  const splits = trainingSplits(name, opened.dataset, { unseenFraction, heldOutFraction, seed });
  log(
    `split: ${splits.train.size} training images of ${splits.train.classNames.length} identities` +
      (splits.heldOut ? `, ${splits.heldOut.size} held out for accuracy` : '') +
      (splits.unseen
        ? `, ${splits.unseen.classNames.length === 0 ? 0 : new Set(splits.unseen.labels).size} unseen identities (${splits.pairs?.pairs.length ?? 0} pairs) for verification`
        : ''),
  );
  log(
    `model: ${backbone.name} (${backbone.model.countParams().toLocaleString('en-US')} parameters, ${backbone.imageSize} px)`,
  );

  const interactive = isInteractive(process.stderr);
  const common: Omit<RecipeOptions, 'epochs'> = {
    backbone: backbone.model,
    backboneName: backbone.name,
    train: splits.train,
    transform: atModelSize(
      opened.sized,
      backbone.imageSize,
      compose([randomHorizontalFlip(), backbone.normalization]),
    ),
    evalTransform: atModelSize(opened.sized, backbone.imageSize, backbone.normalization),
    optimizer: {
      kind: optimizerKind,
      // A pretrained backbone fine-tunes at a lower rate by default (measured on 225 synthetic
      // people: AUC 0.94 at 3e-4, 0.66 - below the pretrained 0.69 - at 1e-3).
      ...(lr !== undefined
        ? { lr }
        : backbone.pretrained && optimizerKind !== 'sgd'
          ? { lr: 3e-4 }
          : {}),
      weightDecay: num('weight-decay')!,
    },
    schedule: {
      kind: scheduleKind,
      warmupEpochs: num('warmup-epochs')!,
      ...(scheduleKind === 'step' ? { stepEpochs: Math.max(1, Math.round(epochs / 3)) } : {}),
    },
    seed,
    out,
    validation: {
      ...(splits.heldOut ? { classification: splits.heldOut } : {}),
      ...(splits.pairs ? { verification: splits.pairs } : {}),
    },
    checkpoint: { everySteps: int('checkpoint-every')! },
    progress: v.quiet
      ? false
      : {
          mode: interactive ? 'bar' : 'lines',
          stream: {
            write: (t: string) =>
              interactive ? process.stderr.write(t) : io.out(t.replace(/\n$/, '')),
          },
        },
    config: { data, imageSize: backbone.imageSize },
    onBadImage: stringFlag(name, v, 'on-bad-image') as BadImagePolicy,
    // A stale run lock taken over, a corrupt checkpoint skipped on resume: said, never silent.
    onNotice: (message: string) => io.err(message),
  };
  const headOptions = {
    ...(scale !== undefined ? { scale } : {}),
    ...(margin !== undefined ? { margin } : {}),
  };
  const miner = stringFlag(name, v, 'miner') as MinerKind;
  let fit: () => Promise<FitResult[]>;
  /** The checkpoints found, and whether there was any (the sequential recipe: one per phase). */
  let resume: () => Promise<{ info: unknown; found: boolean }>;
  let dispose: () => void;
  if (recipe === 'sequential') {
    const run = sequentialRecipe({
      ...common,
      classification: {
        // A pretrained backbone goes straight to the margin head (its embedding is trained already).
        epochs: classificationEpochs ?? (backbone.pretrained ? 0 : epochs),
        batchSize: batch,
        labelSmoothing: smoothing,
        ...(common.optimizer ? { optimizer: common.optimizer } : {}),
      },
      margin: {
        epochs,
        batchSize: batch,
        head: head ?? 'arcface',
        headOptions,
        // A pretrained backbone learns slowly and its fresh head fast, so that the head's first
        // random gradients do not undo what the backbone knows.
        optimizer: {
          ...common.optimizer,
          ...(backbone.pretrained ? { backboneLrScale: 0.1, headLrScale: 10 } : {}),
        },
      },
    });
    fit = async () => Object.values(await run.fit()).filter((r): r is FitResult => r !== null);
    resume = async () => {
      const info = await run.resume();
      return { info, found: info.phase1 !== null || info.phase2 !== null };
    };
    dispose = () => run.dispose();
  } else {
    const run =
      recipe === 'classification'
        ? classificationRecipe({
            ...common,
            epochs,
            batchSize: batch,
            head: head ?? 'linear',
            headOptions,
            labelSmoothing: smoothing,
          })
        : recipe === 'joint'
          ? jointRecipe({
              ...common,
              epochs,
              p,
              k,
              head: head ?? 'linear',
              headOptions,
              labelSmoothing: smoothing,
              triplet: { miner, ...(margin !== undefined ? { margin } : {}) },
            })
          : metricRecipe({
              ...common,
              epochs,
              p,
              k,
              validation: splits.pairs ? { verification: splits.pairs } : {},
              triplet:
                stringFlag(name, v, 'loss') === 'center'
                  ? false
                  : { miner, ...(margin !== undefined ? { margin } : {}) },
              center: stringFlag(name, v, 'loss') === 'triplet' ? false : { lambda: 0.01 },
            });
    fit = async () => [await run.fit()];
    resume = async () => {
      const info = await run.resume();
      return { info, found: info !== null };
    };
    dispose = () => run.dispose();
  }
  try {
    if (v.resume) {
      const { info, found } = await resume();
      // An empty folder, or one with logs or a model but no checkpoint: never a silent fresh start.
      if (!found) throw nothingToResume();
      log(
        `resume: ${JSON.stringify(info, (key, value) => (key === 'fingerprint' || key === 'metrics' ? undefined : value))}`,
      );
    }
    const t0 = Date.now();
    const results = await fit();
    const last = results.at(-1)?.history.at(-1);
    const stop = results.find((r) => r.stopReason)?.stopReason;
    // Listing problems and every image training or validation could not decode, counted once.
    const skipped = skippedFilesLine(opened);
    if (skipped) io.err(skipped);
    if (stop) io.err(`stopped: ${stop.message}`);
    io.out(
      `done in ${((Date.now() - t0) / 1000).toFixed(1)} s: loss ${fmt(last?.loss)}` +
        (last?.val_accuracy !== undefined ? `, held-out accuracy ${fmt(last.val_accuracy)}` : '') +
        (last?.val_auc !== undefined
          ? `, verification AUC ${fmt(last.val_auc)}, EER ${fmt(last.val_eer)}`
          : ''),
    );
    if (!stop || stop.kind === 'early-stopping') io.out(`model: ${out}/model`);
    return stop && stop.kind !== 'early-stopping' ? 1 : 0;
  } finally {
    dispose();
    backbone.model.dispose();
  }
}
