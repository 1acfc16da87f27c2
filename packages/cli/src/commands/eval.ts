import {
  DatasetError,
  generatePairs,
  lfwPairIndices,
  parseLfwPairs,
  type FaceDataset,
  type Pair,
} from '@face/data';
import { readListFile } from '@face/data/node';
import { kFoldAccuracy } from '@face/metrics';
import {
  evaluateClassification,
  evaluateIdentification,
  evaluateVerification,
  type ClassificationResult,
  type IdentificationResult,
  type VerificationResult,
} from '@face/train';
import { numberFlag, stringFlag, UsageError, type Command, type Io, type Values } from '../args';
import { skippedFiles, skippedFilesLine, type BadImagePolicy } from '../datasets';
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
} from './common';

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
      default: '300',
      value: 'n',
    },
    folds: {
      type: 'string',
      description: 'drawn pairs: folds of the k-fold accuracy',
      default: '10',
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
      default: '0.001,0.01,0.1',
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
  },
  details: [
    'Examples:',
    '  face eval --model runs/seq/model --data synthetic --identities 100',
    '  face eval --model dlib-resnet --data ~/lfw --pairs ~/lfw/pairs.txt --report out/lfw',
  ].join('\n'),
  run: evaluate,
};

async function evaluate(v: Values, io: Io): Promise<number> {
  noPositionals(name, v);
  const modelSpec = stringFlag(name, v, 'model', true)!;
  const data = stringFlag(name, v, 'data', true)!;
  const task = stringFlag(name, v, 'task') as (typeof TASKS)[number];
  const seed = numberFlag(name, v, 'seed', { integer: true })!;
  const batchSize = numberFlag(name, v, 'batch', { integer: true, min: 1 })!;
  const far = String(v.far)
    .split(',')
    .map((x) => Number(x.trim()));
  if (far.some((f) => !(f > 0 && f <= 1)))
    throw new UsageError(
      `face ${name}: flag --far must be numbers in (0, 1], got '${String(v.far)}'`,
    );
  const unknownFraction = numberFlag(name, v, 'unknown-fraction', { min: 0, max: 1 })!;
  const galleryPerIdentity = numberFlag(name, v, 'gallery-per-identity', {
    integer: true,
    min: 1,
  })!;
  const pairsPerFold = numberFlag(name, v, 'pairs-per-fold', { integer: true, min: 1 })!;
  const folds = numberFlag(name, v, 'folds', { integer: true, min: 1 })!;
  const reportDir = stringFlag(name, v, 'report');
  if (reportDir) refuseInsideModel(name, 'report', reportDir, modelSpec);
  const { model, opened } = await modelAndData(name, v, io, { modelSpec, data, seed });
  const dataset = opened.dataset;
  const options = {
    batchSize,
    // Files go through the preprocessing the model was saved with; synthetic images are drawn
    // at its input size already.
    transform: opened.sized ? model.normalization : model.preprocess,
    onBadImage: stringFlag(name, v, 'on-bad-image') as BadImagePolicy,
  };
  const want = (t: (typeof TASKS)[number]) => task === 'all' || task === t;

  let classification: { result: ClassificationResult; left: number } | null = null;
  if (want('classification')) {
    if (!model.head || !model.classNames) {
      if (task === 'classification')
        throw new UsageError(
          `face ${name}: --task classification needs a model with a classifier head (this one has none)`,
        );
    } else {
      const view = byModelClasses(dataset, model.classNames);
      if (view.size === 0) {
        if (task === 'classification')
          throw new UsageError(
            `face ${name}: none of the identities of --data is one the model was trained on (classification needs the same identity names)`,
          );
      } else {
        const result = await evaluateClassification(model.backbone, model.head, view, {
          ...options,
          keepScores: !!v.report,
        });
        classification = { result, left: dataset.size - view.size };
      }
    }
  }

  let verification: (VerificationResult & { kFold: number | null }) | null = null;
  if (want('pairs')) {
    const pairs = pairsFor(dataset, stringFlag(name, v, 'pairs'), { pairsPerFold, folds, seed });
    const result = await evaluateVerification(
      model.backbone,
      { dataset, pairs },
      { ...options, far },
    );
    const foldCount = new Set(result.pairs.map((p) => p.fold)).size;
    const kFold =
      foldCount > 1 ? kFoldAccuracy(result.scores, result.labels, { folds: foldCount }).mean : null;
    verification = { ...result, kFold };
  }

  let identification: IdentificationResult | null = null;
  if (want('identification')) {
    identification = await evaluateIdentification(model.backbone, dataset, {
      ...options,
      split: { unknownFraction, galleryPerIdentity, seed },
      far,
    });
  }

  const rows: string[][] = [['metric', 'value']];
  if (classification) {
    rows.push(['closed-set top-1 accuracy', fmt(classification.result.accuracy)]);
    if (classification.result.topK[5] !== undefined)
      rows.push(['closed-set top-5 accuracy', fmt(classification.result.topK[5])]);
    if (classification.left)
      rows.push(['(images of unknown identities, left out)', String(classification.left)]);
    if (classification.result.skipped.length)
      rows.push(['(unreadable images, left out)', String(classification.result.skipped.length)]);
  }
  if (verification) {
    rows.push([
      `verification pairs (same / different)`,
      `${verification.positives} / ${verification.negatives}`,
    ]);
    rows.push(['verification AUC', fmt(verification.auc)]);
    rows.push(['verification EER', fmt(verification.eer.eer)]);
    for (const p of verification.tarAtFar) rows.push([`TAR @ FAR=${p.far}`, fmt(p.tar)]);
    rows.push(['best-threshold accuracy', fmt(verification.bestAccuracy.accuracy)]);
    if (verification.kFold !== null)
      rows.push(['k-fold accuracy (LFW protocol)', fmt(verification.kFold)]);
    if (verification.droppedPairs)
      rows.push(['(pairs with an unreadable image, left out)', String(verification.droppedPairs)]);
  }
  if (identification) {
    const known = identification.split.queryIsKnown.filter(Boolean).length;
    rows.push([
      '1:N queries (known / unknown)',
      `${known} / ${identification.split.query.length - known}`,
    ]);
    rows.push(['1:N rank-1 (known queries)', fmt(identification.cmc[0])]);
    if (identification.cmc[4] !== undefined)
      rows.push(['1:N rank-5 (known queries)', fmt(identification.cmc[4])]);
    for (const p of identification.dirAtFar) rows.push([`open-set DIR @ FAR=${p.far}`, fmt(p.dir)]);
    const { gallery, queries } = identification.dropped;
    if (gallery + queries)
      rows.push(['(unreadable gallery images / queries, left out)', `${gallery} / ${queries}`]);
  }
  io.out(table(rows));
  const skipped = skippedFilesLine(opened);
  if (skipped) io.err(skipped);
  if (reportDir) {
    await writeReport(
      reportDir,
      {
        title: modelSpec,
        ...(verification
          ? { verification: { scores: verification.scores, labels: verification.labels, far } }
          : {}),
        ...(identification
          ? {
              identification: {
                neighbors: identification.neighbors,
                queryLabels: identification.queryLabels,
                galleryLabels: identification.galleryLabels,
                far,
              },
            }
          : {}),
        ...(classification?.result.scores
          ? {
              classification: {
                scores: classification.result.scores,
                labels: classification.result.labels,
              },
            }
          : {}),
      },
      // Files can be skipped only when there are files (not for synthetic data).
      opened.root === null ? undefined : skippedFiles(opened),
    );
    io.out(`report: ${reportDir}/report.json`);
  }
  model.head?.dispose();
  model.backbone.dispose();
  return 0;
}

/** The images of `dataset` whose identity the model knows, labelled with the model's class index. */
function byModelClasses(dataset: FaceDataset, classNames: readonly string[]): FaceDataset {
  const classOf = new Map(classNames.map((n, i) => [n, i]));
  const keep: number[] = [];
  for (let i = 0; i < dataset.size; i++)
    if (classOf.has(dataset.classNames[dataset.labels[i]])) keep.push(i);
  return {
    size: keep.length,
    labels: Int32Array.from(keep, (i) => classOf.get(dataset.classNames[dataset.labels[i]])!),
    classNames,
    load: (i) => dataset.load(keep[i]),
    source: (i) => dataset.source(keep[i]),
  };
}

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
  // As many folds and pairs as the data allow, up to what was asked.
  const identities = new Set(dataset.labels).size;
  const f = Math.max(1, Math.min(folds, Math.floor(identities / 2)));
  for (let n = pairsPerFold; n >= 1; n = Math.floor(n / 2)) {
    try {
      return generatePairs(dataset, { pairsPerFold: n, folds: f, seed });
    } catch {
      /* too few images per fold: fewer pairs */
    }
  }
  throw new UsageError(
    `face ${name}: flag --data holds too few images of the same person to draw verification pairs`,
  );
}
