// `face eval --split`: which people the numbers are about. A model scored on people it trained on
// looks better than it is (issue 20: AUC 0.93 on its own synthetic people, 0.81 on new ones), so
// by default only people it never trained on are evaluated.
import { SyntheticFaces, type FaceDataset, type Pair } from '@face/data';
import {
  EVALUATION_SPLITS,
  SeenIdentitiesError,
  checkUnseen,
  imagesOfSplit,
  seenLabels,
  type EvaluationSplit,
  type TrainingRecord,
} from '@face/recipes';
import { UsageError, type Flag, type Io } from '../args';

export const SPLIT_FLAG: Flag = {
  type: 'string',
  description:
    'people evaluated: unseen (those the model never trained on, as face-model.json records them), seen, or all',
  default: 'unseen',
  value: 'which',
  choices: EVALUATION_SPLITS,
};

/**
 * What the model records of its training people (read with it: `model.training`); null, with a
 * warning on stderr, for a model saved without the record (`dlib-resnet`'s people are
 * face-api's, not ours: null).
 */
export function trainingRecordFlag(
  command: string,
  modelSpec: string,
  model: { training: TrainingRecord | null },
  split: EvaluationSplit,
  io: Io,
): TrainingRecord | null {
  const record = model.training;
  if (!record && split === 'seen')
    throw new UsageError(
      `face ${command}: flag --split seen needs a model that records its training identities; '${modelSpec}' does not`,
    );
  // --split all asked for everyone: nothing to warn about.
  if (!record && split === 'unseen' && modelSpec !== 'dlib-resnet')
    io.err(
      `warning: '${modelSpec}' does not record the identities it trained on (saved before face-model.json kept them): ` +
        'eval cannot leave them out, and numbers on people it trained on are optimistic',
    );
  return record;
}

/**
 * What `--split` did, for report.json: the split asked for and, when the model records its
 * training people and the data was cut, the identities and images kept and left out.
 */
export interface SplitRecord {
  split: EvaluationSplit;
  /** Why nothing was left out, when nothing could be (no record; a pairs file checked instead). */
  note?: string;
  identities?: { total: number; seenInTraining: number; kept: number; leftOut: number };
  images?: { total: number; kept: number; leftOut: number };
  /** Synthetic data of the model's seed: new people drawn past the trained ones. */
  drawnPastTrained?: boolean;
}

/** Trained synthetic people by number (`synthetic-07` is person 7 of its seed). */
function trainedNumbers(record: TrainingRecord): Set<number> {
  const out = new Set<number>();
  for (const n of record.identities) {
    const m = /^synthetic-(\d+)$/.exec(n);
    if (m) out.add(Number(m[1]));
  }
  return out;
}

/**
 * Synthetic data of the model's own seed, `--split unseen`: as many people as asked, all of them
 * new, by drawing past the trained ones (person i depends only on the seed and i).
 */
function unseenSynthetic(data: SyntheticFaces, record: TrainingRecord): SyntheticFaces {
  const trained = trainedNumbers(record);
  const wanted = data.classNames.length;
  let people = 0;
  for (let found = 0; found < wanted; people++) if (!trained.has(people)) found++;
  if (people === wanted) return data;
  return new SyntheticFaces({
    identities: people,
    imagesPerIdentity: data.size / wanted,
    size: data.imageSize,
    seed: data.seed,
    difficulty: data.difficulty,
    ranges: data.ranges,
  });
}

/**
 * The images of the people `--split` keeps (synthetic data of the model's seed, unseen: new people
 * drawn past the trained ones), a `split:` line saying what was kept and left out, and the same
 * as a {@link SplitRecord}.
 */
export function splitData(
  command: string,
  dataset: FaceDataset,
  record: TrainingRecord | null,
  split: EvaluationSplit,
  io: Io,
): { dataset: FaceDataset; report: SplitRecord } {
  if (!record)
    return {
      dataset,
      report: { split, note: 'the model records no training identities: nothing left out' },
    };
  let data = dataset;
  if (split === 'unseen' && data instanceof SyntheticFaces && seenLabels(data, record).size)
    data = unseenSynthetic(data, record);
  const { dataset: kept, identities: n } = imagesOfSplit(data, record, split);
  if (n.kept === 0)
    throw new UsageError(
      `face ${command}: --split ${split} leaves no identity of --data: ${
        split === 'unseen'
          ? `all ${n.total} were seen in training`
          : `none of the ${n.total} was seen in training`
      } (pass --split all to evaluate them all)`,
    );
  const drawn =
    data !== dataset ? ` (synthetic people drawn past the ${n.seen} it trained on)` : '';
  io.out(
    split === 'all'
      ? `split: all ${n.total} identities of --data, ${n.seen} of them seen in training (--split all)`
      : `split: ${n.kept} identities of --data ${split === 'unseen' ? 'never seen' : 'seen'} in training${drawn}` +
          (n.total > n.kept
            ? `, ${n.total - n.kept} others left out (--split all to include them)`
            : ''),
  );
  return {
    dataset: kept,
    report: {
      split,
      identities: {
        total: n.total,
        seenInTraining: n.seen,
        kept: n.kept,
        leftOut: n.total - n.kept,
      },
      images: { total: data.size, kept: kept.size, leftOut: data.size - kept.size },
      ...(data !== dataset ? { drawnPastTrained: true } : {}),
    },
  };
}

/** A pairs file showing people the model trained on, under `--split unseen`: a usage error. */
export function refuseSeenPairs(
  command: string,
  dataset: FaceDataset,
  pairs: readonly Pair[],
  record: TrainingRecord,
): void {
  try {
    checkUnseen(
      'pairs',
      dataset,
      pairs.flatMap((p) => [p.first, p.second]),
      record,
    );
  } catch (err) {
    if (!(err instanceof SeenIdentitiesError)) throw err;
    throw new UsageError(
      `face ${command}: flag --pairs: ${err.message}; pass --split all to evaluate them anyway`,
    );
  }
}
