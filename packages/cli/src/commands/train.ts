import { existsSync } from 'node:fs';
import { FaceError, InvalidArgumentError } from '@face/core';
import { centerCrop, compose, randomHorizontalFlip, resize } from '@face/data';
import { metricLossNames } from '@face/losses';
import {
  DEFAULT_LABEL_SMOOTHING,
  DEFAULT_WEIGHT_DECAY,
  FINE_TUNE_PRESET,
  HEAD_KINDS,
  MINER_KINDS,
  OPTIMIZER_KINDS,
  SCHEDULE_KINDS,
  classificationRecipe,
  fineTuneRecipe,
  jointRecipe,
  metricLossOptions,
  metricRecipe,
  parseMetricLosses,
  sequentialRecipe,
  type HeadKind,
  type MinerKind,
  type OptimizerKind,
  type RecipeOptions,
  type ScheduleKind,
  type TrainingSplits,
} from '@face/recipes';
import { isInteractive, type FitResult } from '@face/train';
import { interruptOnSignals, STOP_SIGNALS, type Interruption } from '../interrupt';
import { numberFlag, stringFlag, UsageError, type Command, type Io, type Values } from '../args';
import { applyFaceCrop, FACE_CROP_FLAGS, releaseFaceCrop } from '../face-crop';
import { faceCropRecord, type FaceCropRecord } from '../face-crop-record';
import { BACKBONES, buildBackbone, type BackboneName, type BuiltBackbone } from '../backbones';
import {
  atModelSize,
  openDataset,
  skippedFilesLine,
  type BadImagePolicy,
  type OpenedDataset,
} from '../datasets';
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
  splitForTraining,
  splitLine,
  syntheticOptions,
} from './common';
import {
  checkScheduleChange,
  currentPhase,
  positionText,
  refuseExistingRun,
  resumeCommand,
  scheduleChanges,
  scheduleRecord,
  type Phase,
} from './train-resume';

export const RECIPES = ['classification', 'joint', 'sequential', 'metric'] as const;

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
      description: `metric recipe: registered metric losses joined by + (${metricLossNames().join(', ')}: triplet+center, ...), each at weight 1`,
      default: 'triplet',
      value: 'names',
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
      description: `learning rate (default 1e-3, ${FINE_TUNE_PRESET.lr.toExponential()} with dlib-resnet; 0.1 for sgd); with dlib-resnet the margin head learns at ${FINE_TUNE_PRESET.headLrScale}x, the backbone at ${FINE_TUNE_PRESET.backboneLrScale}x`,
      value: 'x',
    },
    'weight-decay': {
      type: 'string',
      description: 'weight decay',
      default: DEFAULT_WEIGHT_DECAY.toExponential(),
      value: 'x',
    },
    schedule: {
      type: 'string',
      description: 'learning-rate schedule',
      default: 'cosine',
      value: 'name',
      choices: SCHEDULE_KINDS,
    },
    'warmup-epochs': {
      type: 'string',
      description: `linear warm-up (fine-tuning a pretrained backbone: at least ${FINE_TUNE_PRESET.warmupEpochs} unless --epochs 1)`,
      default: '0',
      value: 'x',
    },
    'probe-epochs': {
      type: 'string',
      description: `sequential with a pretrained backbone: at most this many epochs of the new head alone on the frozen backbone, until its accuracy stops rising, before the backbone trains (0: none; default ${FINE_TUNE_PRESET.probeMaxEpochs})`,
      value: 'n',
    },
    'no-centre': {
      type: 'boolean',
      description:
        "sequential with a pretrained backbone: keep the backbone's embedding as it is (by default the training people's mean embedding is subtracted, a frozen 'centre' layer, before the cosine head)",
    },
    'label-smoothing': {
      type: 'string',
      description: 'label smoothing of the softmax phase',
      default: String(DEFAULT_LABEL_SMOOTHING),
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
      description:
        'continue the run in --out from its latest checkpoint (Ctrl-C saves one and prints this command)',
    },
    'allow-schedule-change': {
      type: 'boolean',
      description:
        'with --resume: accept other --epochs/--schedule/--lr/--warmup-epochs than the run had (the learning rate jumps to the new schedule)',
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
    ...FACE_CROP_FLAGS,
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
  const s = readTrainFlags(v);
  const log = s.quiet ? () => {} : io.out;
  // --resume never starts over: a missing folder is refused before anything is built (or created).
  if (s.resume && !existsSync(s.out)) throw nothingToResume(s.out);
  // Ctrl-C or SIGTERM: finish the update, checkpoint, print the --resume line; twice: quit now.
  const interruption = interruptOnSignals({
    onFirst: (sig) =>
      io.err(
        `face train: ${sig}: stopping after this update to save a checkpoint (${sig === 'SIGINT' ? 'Ctrl-C' : 'send it'} again to quit at once)`,
      ),
    onSecond: (sig) => io.err(`face train: ${sig} again: quitting now`),
  });
  try {
    return await trainWith(s, v, io, log, interruption);
  } finally {
    interruption.dispose();
  }
}

async function trainWith(
  s: TrainSettings,
  v: Values,
  io: Io,
  log: (line: string) => void,
  interruption: Interruption,
): Promise<number> {
  await backendFromFlags(name, v, { out: log, err: io.err });
  const backbone = await buildBackbone(s.backbone.name, s.backbone.options);
  let opened: OpenedDataset | undefined;
  try {
    opened = openDataset(name, 'data', s.data, {
      imageSize: backbone.imageSize,
      seed: s.seed,
      ...s.synthetic,
    });
    log(`data: ${opened.description}`);
    await applyFaceCrop(name, v, opened, backbone.imageSize, log);
    const faceCrop = faceCropRecord(name, v, backbone.imageSize);
    const splits = splitForTraining(name, opened.dataset, s.splits);
    log(splitLine(splits));
    log(
      `model: ${backbone.name} (${backbone.model.countParams().toLocaleString('en-US')} parameters, ${backbone.imageSize} px)`,
    );
    const schedule = scheduleRecord(s.scheduleFlags);
    const options = recipeOptions(s, backbone, opened, splits, io, faceCrop);
    const run = startRecipe(s, backbone, splits, {
      ...options,
      signal: interruption.signal,
      callbacks: [...(options.callbacks ?? []), schedule],
    });
    try {
      return await fitAndReport(s, run, opened, io, log, { interruption, schedule });
    } finally {
      run.dispose();
    }
  } finally {
    // The --align detector's weights go with the data.
    if (opened) releaseFaceCrop(opened);
    backbone.model.dispose();
  }
}

/** The flags of `face train`, read and checked (usage errors name the flag). */
function readTrainFlags(v: Values) {
  const int = (flag: string, min = 0) => numberFlag(name, v, flag, { integer: true, min });
  const num = (flag: string, min = 0, max = Infinity) => numberFlag(name, v, flag, { min, max });
  const recipe = stringFlag(name, v, 'recipe') as (typeof RECIPES)[number];
  const batch = int('batch', 1)!;
  const k = int('k', 2)!;
  const seed = int('seed', -(2 ** 31))!;
  const s = {
    data: stringFlag(name, v, 'data', true)!,
    out: stringFlag(name, v, 'out', true)!,
    recipe,
    epochs: int('epochs', 1)!,
    classificationEpochs: int('classification-epochs', 0),
    batch,
    k,
    p: int('p', 2) ?? Math.max(2, Math.floor(batch / k)),
    seed,
    lr: num('lr'),
    optimizer: stringFlag(name, v, 'optimizer') as OptimizerKind,
    weightDecay: num('weight-decay')!,
    schedule: stringFlag(name, v, 'schedule') as ScheduleKind,
    warmupEpochs: num('warmup-epochs')!,
    probeEpochs: int('probe-epochs'),
    centre: v['no-centre'] !== true,
    head: stringFlag(name, v, 'head') as HeadKind | undefined,
    scale: num('scale'),
    margin: num('margin'),
    smoothing: num('label-smoothing', 0, 1)!,
    miner: stringFlag(name, v, 'miner') as MinerKind,
    losses: lossFlag(stringFlag(name, v, 'loss')!),
    splits: {
      unseenFraction: num('val-identities', 0, 1)!,
      heldOutFraction: num('val-images', 0, 1)!,
      seed,
    },
    checkpointEvery: int('checkpoint-every')!,
    onBadImage: stringFlag(name, v, 'on-bad-image') as BadImagePolicy,
    resume: !!v.resume,
    allowScheduleChange: !!v['allow-schedule-change'],
    argv: v._argv ?? [],
    quiet: !!v.quiet,
    synthetic: syntheticOptions(name, v),
    backbone: {
      name: stringFlag(name, v, 'backbone') as BackboneName,
      options: {
        imageSize: int('image-size', 8),
        embeddingSize: int('embedding-size', 2),
        seed,
        trainableFrom: stringFlag(name, v, 'trainable-from'),
        weights: stringFlag(name, v, 'weights'),
      },
    },
  };
  if (s.allowScheduleChange && !s.resume)
    throw new UsageError(`face ${name}: flag --allow-schedule-change only applies with --resume`);
  if (recipe !== 'sequential' && !s.centre)
    throw new UsageError(`face ${name}: flag --no-centre only applies to --recipe sequential`);
  if (recipe !== 'sequential' && s.probeEpochs !== undefined)
    throw new UsageError(`face ${name}: flag --probe-epochs only applies to --recipe sequential`);
  if (recipe !== 'sequential' && s.classificationEpochs !== undefined)
    throw new UsageError(
      `face ${name}: flag --classification-epochs only applies to --recipe sequential`,
    );
  if (recipe === 'metric' && s.head !== undefined)
    throw new UsageError(
      `face ${name}: flag --head does not apply to --recipe metric (it trains no classifier)`,
    );
  return {
    ...s,
    scheduleFlags: {
      epochs: s.epochs,
      'classification-epochs': s.classificationEpochs ?? null,
      schedule: s.schedule,
      'warmup-epochs': s.warmupEpochs,
      lr: s.lr ?? null,
    },
  };
}

type TrainSettings = ReturnType<typeof readTrainFlags>;

/** `--loss`: registered metric losses by name, in the library's check. */
function lossFlag(text: string) {
  try {
    return parseMetricLosses(text);
  } catch (err) {
    if (!(err instanceof InvalidArgumentError)) throw err;
    throw new UsageError(`face ${name}: flag --loss must be ${err.expected}, got '${text}'`);
  }
}

const nothingToResume = (out: string) =>
  new FaceError(
    `nothing to resume in ${out}: no checkpoint; run without --resume to start a new run`,
  );

/** What every recipe gets: the backbone, data, splits, optimizer, schedule and run directory. */
function recipeOptions(
  s: TrainSettings,
  backbone: BuiltBackbone,
  opened: OpenedDataset,
  splits: TrainingSplits,
  io: Io,
  faceCrop: FaceCropRecord | null,
): Omit<RecipeOptions, 'epochs'> {
  const fineTune = backbone.pretrained && s.optimizer !== 'sgd';
  const lr = s.lr ?? (fineTune ? FINE_TUNE_PRESET.lr : undefined);
  return {
    backbone: backbone.model,
    backboneName: backbone.name,
    train: splits.train,
    transform: atModelSize(
      opened.sized,
      backbone.imageSize,
      compose([randomHorizontalFlip(), backbone.normalization]),
    ),
    // --crop: the pictures are cropped already, so the crop here changes nothing in training, but
    // the saved model records it (preprocessing.crop): eval and embed repeat it without the flag.
    evalTransform:
      faceCrop && 'crop' in faceCrop
        ? compose([
            centerCrop(faceCrop.crop),
            resize([backbone.imageSize, backbone.imageSize]),
            backbone.normalization,
          ])
        : atModelSize(opened.sized, backbone.imageSize, backbone.normalization),
    optimizer: {
      kind: s.optimizer,
      ...(lr !== undefined ? { lr } : {}),
      weightDecay: s.weightDecay,
    },
    schedule: {
      kind: s.schedule,
      warmupEpochs: s.warmupEpochs,
      ...(s.schedule === 'step' ? { stepEpochs: Math.max(1, Math.round(s.epochs / 3)) } : {}),
    },
    seed: s.seed,
    out: s.out,
    validation: {
      ...(splits.heldOut ? { classification: splits.heldOut } : {}),
      ...(splits.pairs ? { verification: splits.pairs } : {}),
    },
    checkpoint: { everySteps: s.checkpointEvery },
    progress: s.quiet ? false : progressLines(io),
    // A checkpoint of pictures cropped or aligned otherwise is not this run's.
    config: { data: s.data, imageSize: backbone.imageSize, ...(faceCrop ? { faceCrop } : {}) },
    // What was done to the pictures: eval and embed warn when their flags do not repeat it.
    ...(faceCrop ? { meta: { faceCrop } } : {}),
    onBadImage: s.onBadImage,
    knownBadFiles: opened.problems,
    // A stale run lock taken over, a corrupt checkpoint skipped on resume: said, never silent.
    onNotice: (message: string) => io.err(message),
  };
}

/** A progress bar on an interactive stderr, lines on the output otherwise. */
function progressLines(io: Io): RecipeOptions['progress'] {
  const interactive = isInteractive(process.stderr);
  return {
    mode: interactive ? 'bar' : 'lines',
    stream: {
      write: (t: string) => (interactive ? process.stderr.write(t) : io.out(t.replace(/\n$/, ''))),
    },
  };
}

/** A recipe's run as the command drives it (the sequential recipe: its two phases as one). */
interface TrainingRun {
  fit(): Promise<FitResult[]>;
  /** Whether a checkpoint was found (the sequential recipe: in either phase). */
  resume(): Promise<boolean>;
  /** The recipe's runs in order: one, or the sequential recipe's phases. */
  phases: readonly Phase[];
  dispose(): void;
}

function startRecipe(
  s: TrainSettings,
  backbone: BuiltBackbone,
  splits: TrainingSplits,
  common: Omit<RecipeOptions, 'epochs'>,
): TrainingRun {
  const headOptions = {
    ...(s.scale !== undefined ? { scale: s.scale } : {}),
    ...(s.margin !== undefined ? { margin: s.margin } : {}),
  };
  if (s.recipe === 'sequential') return sequentialRun(s, backbone, common, headOptions);
  const classifier = { head: s.head ?? 'linear', headOptions, labelSmoothing: s.smoothing };
  const pk = { epochs: s.epochs, p: s.p, k: s.k };
  const run =
    s.recipe === 'classification'
      ? classificationRecipe({ ...common, epochs: s.epochs, batchSize: s.batch, ...classifier })
      : s.recipe === 'joint'
        ? jointRecipe({
            ...common,
            ...pk,
            ...classifier,
            triplet: { miner: s.miner, ...(s.margin !== undefined ? { margin: s.margin } : {}) },
          })
        : metricRecipe({
            ...common,
            ...pk,
            validation: splits.pairs ? { verification: splits.pairs } : {},
            ...metricLossOptions(s.losses, { miner: s.miner, margin: s.margin }),
          });
  return {
    fit: async () => [await run.fit()],
    resume: async () => (await run.resume()) !== null,
    phases: [{ label: '', run }],
    dispose: () => run.dispose(),
  };
}

/** Softmax, then a margin head; a pretrained backbone fine-tunes by the library's preset. */
function sequentialRun(
  s: TrainSettings,
  backbone: BuiltBackbone,
  common: Omit<RecipeOptions, 'epochs'>,
  headOptions: { scale?: number; margin?: number },
): TrainingRun {
  const preset = backbone.pretrained ? FINE_TUNE_PRESET : null;
  // A pretrained backbone, no softmax phase asked for: the fine-tune recipe (the new head alone on
  // the frozen backbone first, then the backbone at a low rate after a warm-up).
  if (preset && !s.classificationEpochs) return fineTuneRun(s, common, headOptions);
  if (!s.centre)
    throw new UsageError(
      `face ${name}: flag --no-centre only applies when fine-tuning a pretrained backbone ` +
        '(--backbone dlib-resnet without --classification-epochs)',
    );
  const run = sequentialRecipe({
    ...common,
    classification: {
      epochs: s.classificationEpochs ?? preset?.classificationEpochs ?? s.epochs,
      batchSize: s.batch,
      labelSmoothing: s.smoothing,
      ...(common.optimizer ? { optimizer: common.optimizer } : {}),
    },
    margin: {
      epochs: s.epochs,
      batchSize: s.batch,
      head: s.head ?? 'arcface',
      headOptions,
      optimizer: {
        ...common.optimizer,
        ...(preset
          ? { backboneLrScale: preset.backboneLrScale, headLrScale: preset.headLrScale }
          : {}),
      },
    },
  });
  return {
    fit: async () => Object.values(await run.fit()).filter((r): r is FitResult => r !== null),
    resume: async () => {
      const info = await run.resume();
      return info.phase1 !== null || info.phase2 !== null;
    },
    phases: [
      ...(run.phase1 ? [{ label: 'phase 1 (softmax)', run: run.phase1 }] : []),
      { label: 'phase 2 (margin)', run: run.phase2 },
    ],
    dispose: () => run.dispose(),
  };
}

/** `fineTuneRecipe` for a pretrained backbone: a linear probe, then the unfrozen blocks. */
function fineTuneRun(
  s: TrainSettings,
  common: Omit<RecipeOptions, 'epochs'>,
  headOptions: { scale?: number; margin?: number },
): TrainingRun {
  const p = FINE_TUNE_PRESET;
  const run = fineTuneRecipe({
    ...common,
    epochs: s.epochs,
    batchSize: s.batch,
    head: s.head ?? 'arcface',
    headOptions,
    ...(s.probeEpochs !== undefined ? { probe: { maxEpochs: s.probeEpochs } } : {}),
    centre: s.centre,
    optimizer: {
      ...common.optimizer,
      backboneLrScale: p.backboneLrScale,
      headLrScale: p.headLrScale,
    },
    schedule: {
      ...(common.schedule as object),
      warmupEpochs: Math.max(s.warmupEpochs, Math.min(p.warmupEpochs, s.epochs - 1)),
    },
  });
  return {
    // The probe's early stop is how it ends, not news: report the tuning phase (or a failed probe).
    fit: async () => {
      const { probe, tune } = await run.fit();
      return tune ? [tune] : probe ? [probe] : [];
    },
    resume: async () => {
      const info = await run.resume();
      return info.probe !== null || info.tune !== null;
    },
    phases: [
      ...(run.probe ? [{ label: 'probe (head alone)', run: run.probe }] : []),
      { label: 'fine-tuning', run: run.tune },
    ],
    dispose: () => run.dispose(),
  };
}

/**
 * After a stop by SIGINT/SIGTERM: where it stopped, the checkpoint, and the exact command that
 * continues the run; exit 130 (SIGINT) or 143 (SIGTERM).
 */
function interrupted(s: TrainSettings, run: TrainingRun, io: Io, interruption: Interruption) {
  const phase = currentPhase(run.phases);
  const code = STOP_SIGNALS[interruption.received ?? 'SIGINT'];
  if (phase.run.trainer.step === 0) {
    io.err('face train: stopped before the first update: nothing to resume; nothing was saved');
    return code;
  }
  io.err(`face train: stopped at ${positionText(phase)}; checkpoint saved. To continue:`);
  io.err(`  ${resumeCommand(s.argv)}`);
  return code;
}

/** Resumes if asked, trains, and prints the summary; the exit code. */
async function fitAndReport(
  s: TrainSettings,
  run: TrainingRun,
  opened: OpenedDataset,
  io: Io,
  log: (line: string) => void,
  {
    interruption,
    schedule,
  }: { interruption: Interruption; schedule: ReturnType<typeof scheduleRecord> },
): Promise<number> {
  if (s.resume) {
    // An empty folder, or one with logs or a model but no checkpoint: never a silent fresh start.
    if (!(await run.resume())) throw nothingToResume(s.out);
    const where = positionText(currentPhase(run.phases));
    const changes = scheduleChanges(schedule.saved, s.scheduleFlags);
    const step = `step ${currentPhase(run.phases).run.trainer.step}`;
    const changed = checkScheduleChange(changes, s.allowScheduleChange, step);
    log(`resumed from ${where}`);
    if (changed) io.err(`face train: ${changed}`);
  } else await refuseExistingRun(run.phases, s.out, s.argv, (m) => io.err(m));
  // The model handed back is the last phase's: say when nothing guards it against getting worse.
  const warning = run.phases.at(-1)?.run.guardWarning;
  if (warning) io.err(`warning: ${warning}`);
  const t0 = Date.now();
  const results = await run.fit();
  if (run.phases.some((p) => p.run.interrupted)) return interrupted(s, run, io, interruption);
  const stop = results.find((r) => r.stopReason)?.stopReason;
  // Listing problems and every image training or validation could not decode, counted once.
  const skipped = skippedFilesLine(opened);
  if (skipped) io.err(skipped);
  if (stop) io.err(`stopped: ${stop.message}`);
  io.out(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${scoresOfModel(results.at(-1))}`);
  const guard = results.at(-1)?.keepBest;
  if (guard)
    io.out(
      `keep-best: ${guard.monitor} ${fmt(guard.start ?? undefined)} at the start, best ` +
        `${fmt(guard.best ?? undefined)} at epoch ${guard.bestEpoch} (0: the start)` +
        (guard.improved ? '' : '; training did not beat the starting model; kept the start'),
    );
  if (!stop || stop.kind === 'early-stopping') io.out(`model: ${s.out}/model`);
  return stop && stop.kind !== 'early-stopping' ? 1 : 0;
}

/**
 * The scores of the model the run hands back: the last epoch's, or, when the keep-best guard put
 * an earlier epoch or the start back, that one's (named: the last epoch's would not be the model's).
 */
export function scoresOfModel(result: FitResult | undefined): string {
  const guard = result?.keepBest;
  const last = result?.history.at(-1);
  let logs: Partial<Record<string, number>> | undefined = last;
  let kept = '';
  if (guard?.restored && last && guard.bestEpoch !== last.epoch + 1) {
    const start = guard.bestEpoch === guard.startEpoch;
    logs = start
      ? (guard.startMetrics ?? { [guard.monitor]: guard.best ?? NaN })
      : result!.history.find((h) => h.epoch + 1 === guard.bestEpoch);
    kept = start
      ? `kept the start (epoch ${guard.bestEpoch}, before training): `
      : `kept epoch ${guard.bestEpoch} of ${last.epoch + 1}: `;
  }
  const scores = [
    // The start was not trained: no loss to show.
    logs?.loss !== undefined ? `loss ${fmt(logs.loss)}` : '',
    logs?.val_accuracy !== undefined ? `held-out accuracy ${fmt(logs.val_accuracy)}` : '',
    logs?.val_auc !== undefined
      ? `verification AUC ${fmt(logs.val_auc)}, EER ${fmt(logs.val_eer)}`
      : '',
  ].filter(Boolean);
  return kept + (scores.join(', ') || `loss ${fmt(undefined)}`);
}
