import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SyntheticFaces,
  compose,
  randomHorizontalFlip,
  splitGalleryQuery,
  type FaceDataset,
  type GalleryQuerySplit,
} from '@face/data';
import {
  evaluateClassification,
  evaluateIdentification,
  evaluateVerification,
  evaluationSummary,
  sequentialRecipe,
  trainingSplits,
  type ClassifierHead,
  type EvaluationSummary,
  type OptimizerKind,
  type SequentialRun,
  type TrainingSplits,
} from '@face/recipes';
import type { ComparedModel } from '@face/metrics';
import type { EpochLogs, FitResult } from '@face/train';
import { numberFlag, stringFlag, type Command, type Io, type Values } from '../args';
import { BACKBONES, buildBackbone, type BackboneName, type BuiltBackbone } from '../backbones';
import { selectBackend, type BackendChoice } from '../backend';
import { trainingCurvesSvg, type Series } from '../curves';
import { table, writeReport, writeRocComparison } from '../report';
import { BACKEND_FLAG, THREADS_FLAG, fmt, noPositionals } from './common';

/** Sizes and settings of the demo; every field has a default tuned for its time budget. */
export interface DemoOptions {
  out?: string;
  backend?: BackendChoice;
  /** wasm threads (see `useBackend`). */
  threads?: number;
  backbone?: BackboneName;
  imageSize?: number;
  embeddingSize?: number;
  identities?: number;
  imagesPerIdentity?: number;
  difficulty?: number;
  /** Fraction of identities never trained on (verification, open-set identification). */
  unseenFraction?: number;
  /** Epochs of recipe 1 (softmax classification). */
  classificationEpochs?: number;
  /** Epochs of the ArcFace phase of recipe 3. */
  marginEpochs?: number;
  batch?: number;
  lr?: number;
  optimizer?: OptimizerKind;
  /** ArcFace scale and margin (small data trains better with s below InsightFace's 64). */
  scale?: number;
  margin?: number;
  seed?: number;
  /** Sizes for a smoke run (seconds, not minutes): the numbers then mean little. */
  quick?: boolean;
  /** Per-epoch lines while training. Default true. */
  progress?: boolean;
}

/** The numbers of one model on the demo's three tasks. */
export interface DemoNumbers {
  /** Closed set: top-1 accuracy on held-out pictures of the training identities. */
  accuracy: number;
  /** 1:1 verification on identities never trained on. */
  auc: number;
  eer: number;
  tarAtFar: Record<string, number>;
  /** Open-set 1:N on identities never trained on: rank-1 of known queries, DIR at FAR. */
  rank1: number;
  dirAtFar: Record<string, number>;
  /** Rank-1 decisions at the loosest FAR's threshold. */
  openSet: {
    knownAccepted: number;
    knownQueries: number;
    unknownRejected: number;
    unknownQueries: number;
  };
}

export interface DemoResult {
  out: string;
  backend: string;
  seconds: number;
  trainingSeconds: { recipe1: number; recipe3: number };
  models: { untrained: DemoNumbers; recipe1: DemoNumbers; recipe3: DemoNumbers };
  history: { recipe1: EpochLogs[]; recipe3: EpochLogs[] };
  table: string;
}

const FAR = [0.01, 0.1];

/** The models' names in the comparison plot, as in the table's header. */
const MODEL_LABELS: Record<string, string> = {
  untrained: 'untrained',
  recipe1: 'recipe 1 (softmax)',
  recipe3: 'recipe 3 (+ ArcFace)',
};

/** Defaults per backend: the pure-JS cpu backend gets a network and data ~20x smaller. */
function defaults(
  backend: string,
  quick: boolean,
): Required<Omit<DemoOptions, 'out' | 'backend' | 'threads' | 'quick' | 'progress'>> {
  if (quick)
    return {
      backbone: 'convnet-tiny',
      imageSize: 16,
      embeddingSize: 16,
      identities: 16,
      imagesPerIdentity: 6,
      difficulty: 0.3,
      unseenFraction: 0.25,
      classificationEpochs: 1,
      marginEpochs: 1,
      batch: 16,
      lr: 3e-3,
      optimizer: 'adamw',
      scale: 16,
      margin: 0.2,
      seed: 0,
    };
  const cpu = backend === 'cpu';
  return {
    backbone: cpu ? 'convnet-tiny' : 'iresnet-tiny',
    imageSize: cpu ? 16 : 32,
    embeddingSize: cpu ? 32 : 64,
    identities: cpu ? 80 : 300,
    imagesPerIdentity: cpu ? 12 : 16,
    difficulty: 0.5,
    unseenFraction: 0.25,
    classificationEpochs: 8,
    marginEpochs: 4,
    batch: 32,
    lr: 3e-3,
    optimizer: 'adamw',
    scale: 16,
    margin: 0.2,
    seed: 0,
  };
}

/** What the demo trains and measures on: the splits of its synthetic people, the 1:N gallery. */
interface DemoSets {
  splits: TrainingSplits;
  unseen: FaceDataset;
  gallery: GalleryQuerySplit;
}

/**
 * The end-to-end demo: synthetic faces; recipe 1 (softmax classification), then recipe 3 (the
 * same backbone fine-tuned with an ArcFace head); closed-set accuracy on held-out pictures,
 * verification AUC / EER / TAR@FAR and open-set 1:N identification (known and unknown queries)
 * on people never trained on, each next to an untrained backbone's numbers. Writes `<out>/report.json`,
 * the @face/metrics reports and plots per model (`<out>/<model>/`), and `<out>/training-curves.svg`.
 */
export async function runDemo(
  options: DemoOptions = {},
  io: Io = { out: () => {}, err: () => {} },
): Promise<DemoResult> {
  const started = Date.now();
  const out = options.out ?? 'demo-output';
  const backend = await selectBackend(options.backend ?? 'auto', io.out, {
    threads: options.threads,
  });
  const d = { ...defaults(backend, !!options.quick), ...stripUndefined(options) };
  const built = await buildBackbone(d.backbone, {
    imageSize: d.imageSize,
    embeddingSize: d.embeddingSize,
    seed: d.seed,
  });
  try {
    const sets = demoSets(d, built, io);
    for (const sub of ['runs', 'untrained', 'recipe1', 'recipe3'])
      rmSync(join(out, sub), { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const run = demoRecipe(d, built, sets, out, options.progress === false ? false : io);
    try {
      const compared: ComparedModel[] = [];
      const trained = await trainAndMeasure(
        run,
        async (head, what) => {
          const measured = await measure(built, sets, head, join(out, what), what);
          const pairs = measured.summary.report.verification;
          if (pairs) compared.push({ name: MODEL_LABELS[what] ?? what, ...pairs });
          return measured;
        },
        io,
      );
      writeFileSync(join(out, 'training-curves.svg'), curves(trained.history));
      await writeRocComparison(join(out, 'roc.svg'), compared, 'Verification on people never seen');
      const seconds = (Date.now() - started) / 1000;
      const result: DemoResult = { out, backend, seconds, ...trained };
      writeFileSync(
        join(out, 'report.json'),
        `${JSON.stringify({ config: { ...d, backend, parameters: built.model.countParams() }, ...result }, null, 2)}\n`,
      );
      io.out('');
      io.out(result.table);
      io.out('');
      const { recipe1, recipe3 } = result.trainingSeconds;
      io.out(
        `done in ${seconds.toFixed(0)} s (training ${recipe1.toFixed(0)} s + ${recipe3.toFixed(0)} s on ${backend}); ` +
          `report: ${join(out, 'report.json')}, plots: ${join(out, 'roc.svg')} (the three models), ${join(out, '{untrained,recipe1,recipe3}/*.svg')}, ${join(out, 'training-curves.svg')}`,
      );
      return result;
    } finally {
      run.dispose();
    }
  } finally {
    built.model.dispose();
  }
}

type DemoSettings = ReturnType<typeof defaults>;

/** The synthetic people, divided (library splits), and the data and model lines. */
function demoSets(d: DemoSettings, built: BuiltBackbone, io: Io): DemoSets {
  const faces = new SyntheticFaces({
    identities: d.identities,
    imagesPerIdentity: d.imagesPerIdentity,
    size: built.imageSize,
    seed: d.seed,
    difficulty: d.difficulty,
  });
  const splits = trainingSplits(faces, {
    unseenFraction: d.unseenFraction,
    heldOutFraction: 0.2,
    seed: d.seed,
    pairs: 500,
  });
  const unseen = splits.unseen!;
  const gallery = splitGalleryQuery(unseen, {
    unknownFraction: 0.5,
    galleryPerIdentity: 1,
    seed: d.seed,
  });
  const unseenIds = new Set(unseen.labels).size;
  io.out(
    `data: ${d.identities} synthetic people x ${d.imagesPerIdentity} pictures at ${built.imageSize} px (difficulty ${d.difficulty}); ` +
      `training on ${splits.train.classNames.length} people (${splits.train.size} pictures, ${splits.heldOut?.size ?? 0} held out), ` +
      `${unseenIds} people never seen (${splits.pairs?.pairs.length ?? 0} pairs; 1:N gallery of ${gallery.knownIdentities.length}, ` +
      `${gallery.query.length} queries, half of them unknown)`,
  );
  io.out(
    `model: ${built.name}, ${built.model.countParams().toLocaleString('en-US')} parameters, ${d.embeddingSize}-d embedding`,
  );
  return { splits, unseen, gallery };
}

/** Recipe 1 then recipe 3: the sequential recipe, softmax then ArcFace on the same backbone. */
function demoRecipe(
  d: DemoSettings,
  built: BuiltBackbone,
  { splits }: DemoSets,
  out: string,
  progress: Io | false,
): SequentialRun {
  return sequentialRecipe({
    backbone: built.model,
    backboneName: built.name,
    train: splits.train,
    transform: compose([randomHorizontalFlip(), built.normalization]),
    evalTransform: built.normalization,
    seed: d.seed,
    out: join(out, 'runs'),
    validation: { classification: splits.heldOut!, verification: splits.pairs!, far: FAR },
    progress: progress
      ? { mode: 'lines', stream: { write: (t: string) => progress.out(t.replace(/\n$/, '')) } }
      : false,
    classification: {
      epochs: d.classificationEpochs,
      batchSize: d.batch,
      labelSmoothing: 0.1,
      optimizer: { kind: d.optimizer, lr: d.lr },
      schedule: { kind: 'cosine', warmupEpochs: Math.min(1, d.classificationEpochs / 4) },
    },
    margin: {
      epochs: d.marginEpochs,
      batchSize: d.batch,
      head: 'arcface',
      headOptions: { scale: d.scale, margin: d.margin },
      // The backbone keeps its rate: the margin phase refines it, the fresh head learns alongside.
      optimizer: { kind: d.optimizer, lr: d.lr / 2, backboneLrScale: 1 },
      schedule: { kind: 'cosine' },
    },
  });
}

/** Measures the untrained network, trains each phase and measures it; the table of the three. */
async function trainAndMeasure(
  run: SequentialRun,
  measureAs: (head: ClassifierHead, what: string) => Promise<Measured>,
  io: Io,
): Promise<Omit<DemoResult, 'out' | 'backend' | 'seconds'>> {
  const untrained = await measureAs(run.phase1!.head!, 'untrained');
  io.out('recipe 1: softmax classification');
  let t = Date.now();
  const r1: FitResult = await run.phase1!.fit();
  const recipe1Seconds = (Date.now() - t) / 1000;
  const recipe1 = await measureAs(run.phase1!.head!, 'recipe1');
  io.out('recipe 3: the same backbone, fine-tuned with an ArcFace head');
  t = Date.now();
  const r3: FitResult = await run.phase2.fit();
  const recipe3Seconds = (Date.now() - t) / 1000;
  const recipe3 = await measureAs(run.phase2.head!, 'recipe3');
  return {
    trainingSeconds: { recipe1: recipe1Seconds, recipe3: recipe3Seconds },
    models: { untrained: untrained.numbers, recipe1: recipe1.numbers, recipe3: recipe3.numbers },
    history: { recipe1: r1.history, recipe3: r3.history },
    table: comparisonTable({ untrained, recipe1, recipe3 }),
  };
}

interface Measured {
  numbers: DemoNumbers;
  summary: EvaluationSummary;
}

/** One model on the three tasks; its @face/metrics report and plots go into `dir`. */
async function measure(
  built: BuiltBackbone,
  { splits, unseen, gallery }: DemoSets,
  head: ClassifierHead,
  dir: string,
  what: string,
): Promise<Measured> {
  const transform = built.normalization;
  const classification = await evaluateClassification(built.model, head, splits.heldOut!, {
    transform,
    keepScores: true,
  });
  const verification = await evaluateVerification(built.model, splits.pairs!, {
    transform,
    far: FAR,
  });
  const identification = await evaluateIdentification(built.model, unseen, {
    transform,
    split: gallery,
    far: FAR,
  });
  const summary = evaluationSummary(
    { classification, verification, identification },
    { title: what },
  );
  await writeReport(dir, summary.report);
  const m = summary.metrics;
  const { known, unknown } = identification.openSet;
  const numbers: DemoNumbers = {
    accuracy: m.accuracy,
    auc: m.auc,
    eer: m.eer,
    tarAtFar: Object.fromEntries(FAR.map((f) => [String(f), m[`tar@far=${f}`]])),
    rank1: m.rank1,
    dirAtFar: Object.fromEntries(FAR.map((f) => [String(f), m[`dir@far=${f}`]])),
    openSet: {
      knownAccepted: known.correctAccepts,
      knownQueries: known.total,
      unknownRejected: unknown.correctRejects,
      unknownQueries: unknown.total,
    },
  };
  return { numbers, summary };
}

/** The demo's rows: the summary's metrics, two labels saying which data they are on. */
const TABLE_ROWS: [key: string, label?: string][] = [
  ['accuracy', 'closed-set top-1 accuracy (held-out pictures)'],
  ['auc', 'verification AUC (people never seen)'],
  ['eer'],
  ...FAR.map((f): [string] => [`tar@far=${f}`]),
  ['rank1'],
  ...FAR.map((f): [string] => [`dir@far=${f}`]),
];

/** The three models side by side. */
function comparisonTable(models: Record<'untrained' | 'recipe1' | 'recipe3', Measured>): string {
  const summaries = Object.values(models).map((m) => m.summary);
  const labelOf = (key: string) => summaries[0].rows.find((r) => r.key === key)?.label ?? key;
  return table([
    ['', MODEL_LABELS.untrained, MODEL_LABELS.recipe1, MODEL_LABELS.recipe3],
    ...TABLE_ROWS.map(([key, label]) => [
      label ?? labelOf(key),
      ...summaries.map((s) => fmt(s.metrics[key])),
    ]),
  ]);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function curves(history: { recipe1: EpochLogs[]; recipe3: EpochLogs[] }): string {
  const n1 = history.recipe1.length;
  const at = (logs: EpochLogs[], offset: number, key: string) =>
    logs.map((h, i) => ({ x: offset + i + 1, y: h[key] }));
  const both = (key: string) => [...at(history.recipe1, 0, key), ...at(history.recipe3, n1, key)];
  const loss: Series[] = [
    { name: 'recipe 1: cross-entropy', points: at(history.recipe1, 0, 'loss') },
    { name: 'recipe 3: ArcFace loss', points: at(history.recipe3, n1, 'loss') },
  ];
  const metrics: Series[] = [
    { name: 'held-out accuracy', points: both('val_accuracy') },
    { name: 'verification AUC', points: both('val_auc') },
    { name: `TAR @ FAR=${FAR[1]}`, points: both(`val_tar@far=${FAR[1]}`) },
  ];
  return trainingCurvesSvg(loss, metrics, [{ x: n1 + 0.5, text: 'ArcFace' }]);
}

const name = 'demo';

export const demoCommand: Command = {
  name,
  summary:
    'The end-to-end demo on synthetic faces: train recipe 1 (softmax), then recipe 3 (ArcFace ' +
    'fine-tuning), and report closed-set accuracy, verification AUC/EER/TAR@FAR and open-set 1:N ' +
    "identification on people never seen, next to an untrained network's numbers. Writes a report " +
    'with plots into --out.',
  usage: '[flags]',
  flags: {
    out: {
      type: 'string',
      description: 'output folder (its runs/, untrained/, recipe1/ and recipe3/ are replaced)',
      default: 'demo-output',
      value: 'dir',
    },
    backend: BACKEND_FLAG,
    threads: THREADS_FLAG,
    backbone: {
      type: 'string',
      description: 'network (default: iresnet-tiny; convnet-tiny on the cpu backend)',
      value: 'name',
      choices: BACKBONES,
    },
    'image-size': { type: 'string', description: 'picture side in pixels', value: 'px' },
    'embedding-size': { type: 'string', description: 'embedding width', value: 'n' },
    identities: {
      type: 'string',
      description: 'synthetic people (a quarter are never trained on)',
      value: 'n',
    },
    'images-per-identity': { type: 'string', description: 'pictures per person', value: 'n' },
    difficulty: {
      type: 'string',
      description: 'nuisance level of the pictures, 0 to 1',
      value: 'x',
    },
    'classification-epochs': { type: 'string', description: 'epochs of recipe 1', value: 'n' },
    'margin-epochs': {
      type: 'string',
      description: 'epochs of the ArcFace phase of recipe 3',
      value: 'n',
    },
    batch: { type: 'string', description: 'images per batch', value: 'n' },
    lr: { type: 'string', description: 'learning rate', value: 'x' },
    seed: { type: 'string', description: 'seed of everything', value: 'n' },
    quick: { type: 'boolean', description: 'tiny sizes: a smoke run of seconds' },
  },
  details: 'Example:\n  face demo --out demo-output',
  run: async (v: Values, io: Io) => {
    noPositionals(name, v);
    const int = (flag: string, min: number) => numberFlag(name, v, flag, { integer: true, min });
    await runDemo(
      {
        out: stringFlag(name, v, 'out')!,
        backend: stringFlag(name, v, 'backend') as BackendChoice,
        threads: int('threads', 1),
        backbone: stringFlag(name, v, 'backbone') as BackboneName | undefined,
        imageSize: int('image-size', 8),
        embeddingSize: int('embedding-size', 2),
        identities: int('identities', 8),
        imagesPerIdentity: int('images-per-identity', 3),
        difficulty: numberFlag(name, v, 'difficulty', { min: 0 }),
        classificationEpochs: int('classification-epochs', 1),
        marginEpochs: int('margin-epochs', 1),
        batch: int('batch', 2),
        lr: numberFlag(name, v, 'lr', { min: 0 }),
        seed: int('seed', -(2 ** 31)),
        quick: !!v.quick,
      },
      io,
    );
    return 0;
  },
};
