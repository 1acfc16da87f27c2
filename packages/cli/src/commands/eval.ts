import {
  DatasetError,
  lfwPairIndices,
  parseLfwPairs,
  type FaceDataset,
  type Pair,
} from '@face/data';
import { readListFile } from '@face/data/node';
import { DEFAULT_OPEN_SET_FAR } from '@face/metrics';
import {
  DEFAULT_PAIRS_PER_FOLD,
  DEFAULT_PAIR_FOLDS,
  TooFewPairsError,
  byModelClasses,
  drawVerificationPairs,
  evaluateClassification,
  evaluateIdentification,
  evaluateVerification,
  evaluationSummary,
  type EvaluationResults,
  type EvaluationSplit,
  type TrainingRecord,
} from '@face/recipes';
import { numberFlag, stringFlag, UsageError, type Command, type Io, type Values } from '../args';
import { FACE_CROP_FLAGS } from '../face-crop';
import {
  skippedFiles,
  skippedFilesLine,
  type BadImagePolicy,
  type OpenedDataset,
} from '../datasets';
import type { LoadedModel } from '../models';
import { refuseInsideModel, table, writeReport } from '../report';
import {
  BACKEND_FLAG,
  THREADS_FLAG,
  DATA_FLAG,
  MODEL_FLAG,
  BATCH_FLAG,
  ON_BAD_IMAGE_FLAG,
  SEED_FLAG,
  SYNTHETIC_FLAGS,
  fmt,
  noPositionals,
  modelAndData,
  disposeModelAndData,
} from './common';
import {
  SPLIT_FLAG,
  refuseSeenPairs,
  splitData,
  trainingRecordFlag,
  type SplitRecord,
} from './eval-split';

const name = 'eval';
export const TASKS = ['all', 'classification', 'pairs', 'identification'] as const;

export const evalCommand: Command = {
  name,
  summary:
    'Evaluate a saved model on a folder, a list or synthetic faces: closed-set classification ' +
    "(the model's own identities), 1:1 verification on pairs (an LFW pairs.txt, or pairs drawn from " +
    'the data) and open-set 1:N identification (a gallery of known people, queries of known and unknown ones).',
  usage: '--model <dir|dlib-resnet> --data <folder|list.csv|synthetic> [flags]',
  flags: {
    model: MODEL_FLAG,
    data: DATA_FLAG,
    split: SPLIT_FLAG,
    'flip-tta': {
      type: 'boolean',
      description:
        'embed each image and its mirror, and use the mean (the LFW protocol of InsightFace)',
    },
    task: {
      type: 'string',
      description: 'what to evaluate (all: every task the model and data allow)',
      default: 'all',
      value: 'name',
      choices: TASKS,
    },
    pairs: {
      type: 'string',
      description: 'an LFW-style pairs file over --data (default: pairs drawn from the data)',
      value: 'file',
    },
    'pairs-per-fold': {
      type: 'string',
      description: 'drawn pairs: same pairs per fold (as many different)',
      default: String(DEFAULT_PAIRS_PER_FOLD),
      value: 'n',
    },
    folds: {
      type: 'string',
      description: 'drawn pairs: folds of the k-fold accuracy',
      default: String(DEFAULT_PAIR_FOLDS),
      value: 'n',
    },
    'unknown-fraction': {
      type: 'string',
      description: 'identification: fraction of identities left out of the gallery',
      default: '0.5',
      value: 'x',
    },
    'gallery-per-identity': {
      type: 'string',
      description: 'identification: images each known identity enrols',
      default: '1',
      value: 'n',
    },
    far: {
      type: 'string',
      description: 'false accept rates, comma-separated',
      default: DEFAULT_OPEN_SET_FAR.join(','),
      value: 'list',
    },
    report: {
      type: 'string',
      description: 'write report.json and SVG plots (ROC, score histogram, CMC) here',
      value: 'dir',
    },
    weights: { type: 'string', description: "dlib-resnet: face-api's model/ folder", value: 'dir' },
    batch: BATCH_FLAG,
    'on-bad-image': ON_BAD_IMAGE_FLAG,
    backend: BACKEND_FLAG,
    threads: THREADS_FLAG,
    seed: SEED_FLAG,
    ...SYNTHETIC_FLAGS,
    ...FACE_CROP_FLAGS,
  },
  details: [
    'Examples:',
    '  face eval --model runs/seq/model --data synthetic --identities 100',
    '      (100 synthetic people the model never trained on: --split unseen is the default)',
    '  face eval --model dlib-resnet --data ~/lfw --pairs ~/lfw/pairs.txt --flip-tta --report out/lfw',
    '  face eval --model runs/seq/model --data ~/faces --split seen --task classification',
    '',
    'A rate at FAR f needs at least 1/f impostor pairs (DIR: unknown queries); with fewer it',
    'prints n/a and report.json has null with the reason.',
  ].join('\n'),
  run: evaluate,
};

async function evaluate(v: Values, io: Io): Promise<number> {
  noPositionals(name, v);
  const s = readEvalFlags(v);
  if (s.reportDir) refuseInsideModel(name, 'report', s.reportDir, s.modelSpec);
  const { model, opened } = await modelAndData(name, v, io, s);
  try {
    const record = trainingRecordFlag(name, s.modelSpec, model, s.split, io);
    const { results, split } = await runTasks(s, model, opened, record, io);
    const summary = evaluationSummary(results, { title: s.modelSpec });
    const rows = summary.rows.map((r) => [
      r.label,
      typeof r.value === 'number' ? fmt(r.value) : r.value,
    ]);
    io.out(table([['metric', 'value'], ...rows]));
    const skipped = skippedFilesLine(opened);
    if (skipped) io.err(skipped);
    if (s.reportDir) {
      // Files can be skipped only when there are files (not for synthetic data).
      await writeReport(
        s.reportDir,
        summary.report,
        opened.root === null ? undefined : skippedFiles(opened),
        // Which people the numbers are about, and how embeddings were made.
        { split, flipTta: s.flip },
      );
      io.out(`report: ${s.reportDir}/report.json`);
    }
    return 0;
  } finally {
    disposeModelAndData({ model, opened });
  }
}

/** The flags of `face eval`, read and checked (usage errors name the flag). */
function readEvalFlags(v: Values) {
  const int = (flag: string, min?: number) => numberFlag(name, v, flag, { integer: true, min });
  return {
    modelSpec: stringFlag(name, v, 'model', true)!,
    data: stringFlag(name, v, 'data', true)!,
    task: stringFlag(name, v, 'task') as (typeof TASKS)[number],
    seed: int('seed')!,
    batchSize: int('batch', 1)!,
    far: farFlag(v),
    unknownFraction: numberFlag(name, v, 'unknown-fraction', { min: 0, max: 1 })!,
    galleryPerIdentity: int('gallery-per-identity', 1)!,
    pairsPerFold: int('pairs-per-fold', 1)!,
    folds: int('folds', 1)!,
    pairsFile: stringFlag(name, v, 'pairs'),
    reportDir: stringFlag(name, v, 'report'),
    onBadImage: stringFlag(name, v, 'on-bad-image') as BadImagePolicy,
    split: stringFlag(name, v, 'split') as EvaluationSplit,
    flip: v['flip-tta'] === true,
  };
}

type EvalSettings = ReturnType<typeof readEvalFlags>;

function farFlag(v: Values): number[] {
  const far = String(v.far)
    .split(',')
    .map((x) => Number(x.trim()));
  if (far.some((f) => !(f > 0 && f <= 1)))
    throw new UsageError(
      `face ${name}: flag --far must be numbers in (0, 1], got '${String(v.far)}'`,
    );
  return far;
}

/** Each task `--task` asks for (all: those the model and data allow). */
async function runTasks(
  s: EvalSettings,
  model: LoadedModel,
  opened: OpenedDataset,
  record: TrainingRecord | null,
  io: Io,
): Promise<{ results: EvaluationResults; split: SplitRecord }> {
  const want = (t: (typeof TASKS)[number]) => s.task === 'all' || s.task === t;
  const unseenOnly = record !== null && s.split === 'unseen';
  // The classifier knows only the people it trained on: nothing to classify among unseen ones.
  if (unseenOnly && s.task === 'classification')
    throw new UsageError(
      `face ${name}: --task classification scores the identities the model trained on, and --split unseen (the default) leaves them out; pass --split seen`,
    );
  // A pairs file names its own images: read first, refused if it shows trained people, not cut.
  const filePairs = want('pairs') && s.pairsFile ? pairsFor(opened.dataset, s.pairsFile, s) : null;
  if (filePairs && unseenOnly) refuseSeenPairs(name, opened.dataset, filePairs, record);
  const cut =
    want('identification') ||
    (want('pairs') && !filePairs) ||
    (want('classification') && !unseenOnly);
  const { dataset, report: split } = cut
    ? splitData(name, opened.dataset, record, s.split, io)
    : {
        dataset: opened.dataset,
        report: {
          split: s.split,
          note: record
            ? 'a pairs file names its images: checked against the training identities, not cut'
            : 'the model records no training identities: nothing left out',
        },
      };
  const options = {
    flip: s.flip,
    batchSize: s.batchSize,
    // Files go through the preprocessing the model was saved with; synthetic images are drawn
    // at its input size already.
    transform: opened.sized ? model.normalization : model.preprocess,
    onBadImage: s.onBadImage,
  };
  const results: EvaluationResults = {};
  if (want('classification') && unseenOnly)
    io.out('classification: skipped (it scores trained identities; --split seen to include it)');
  else if (want('classification')) {
    const view = classificationSet(s, model, dataset);
    if (view) {
      results.classification = await evaluateClassification(model.backbone, model.head!, view, {
        ...options,
        keepScores: !!s.reportDir,
      });
      results.leftOutImages = dataset.size - view.size;
    }
  }
  if (want('pairs')) {
    const pairData = filePairs ? opened.dataset : dataset;
    results.verification = await evaluateVerification(
      model.backbone,
      { dataset: pairData, pairs: filePairs ?? pairsFor(dataset, undefined, s) },
      { ...options, far: s.far },
    );
  }
  if (want('identification'))
    results.identification = await evaluateIdentification(model.backbone, dataset, {
      ...options,
      split: {
        unknownFraction: s.unknownFraction,
        galleryPerIdentity: s.galleryPerIdentity,
        seed: s.seed,
      },
      far: s.far,
    });
  return { results, split };
}

/**
 * The images of identities the model's head knows, relabelled to it; null when there is nothing
 * to classify (a usage error when --task classification asked for it).
 */
function classificationSet(
  s: EvalSettings,
  model: LoadedModel,
  dataset: FaceDataset,
): FaceDataset | null {
  const asked = s.task === 'classification';
  if (!model.head || !model.classNames) {
    if (asked)
      throw new UsageError(
        `face ${name}: --task classification needs a model with a classifier head (this one has none)`,
      );
    return null;
  }
  const view = byModelClasses(dataset, model.classNames);
  if (view.size > 0) return view;
  if (asked)
    throw new UsageError(
      `face ${name}: none of the identities of --data is one the model was trained on (classification needs the same identity names)`,
    );
  return null;
}

/** `--pairs` read and matched to the data, or pairs drawn from it (as many as it allows). */
function pairsFor(
  dataset: FaceDataset,
  file: string | undefined,
  { pairsPerFold, folds, seed }: { pairsPerFold: number; folds: number; seed: number },
): Pair[] {
  if (file) {
    let text: string;
    try {
      // Bounded: a FIFO or /dev/zero named by --pairs is refused, not waited on or read forever.
      text = readListFile(file, { what: 'pairs file' });
    } catch (err) {
      throw new UsageError(
        `face ${name}: flag --pairs names '${file}', which cannot be read (${err instanceof DatasetError ? err.reason : (err as Error).message})`,
      );
    }
    try {
      return lfwPairIndices(parseLfwPairs(text, { source: file }).pairs, dataset);
    } catch (err) {
      throw new UsageError(`face ${name}: flag --pairs: ${(err as Error).message}`);
    }
  }
  try {
    return drawVerificationPairs(dataset, { pairsPerFold, folds, seed });
  } catch (err) {
    if (!(err instanceof TooFewPairsError)) throw err;
    throw new UsageError(
      `face ${name}: flag --data holds too few images of the same person to draw verification pairs`,
    );
  }
}
