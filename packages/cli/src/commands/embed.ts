import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic, writeFilesAtomic } from '@face/core';
import { embedDataset, embeddingRow } from '@face/recipes';
import { numberFlag, stringFlag, UsageError, type Command, type Io, type Values } from '../args';
import { FACE_CROP_FLAGS } from '../face-crop';
import { skippedFiles, skippedFilesLine, type BadImagePolicy } from '../datasets';
import { writeNpy } from '../npy';
import { refuseInsideModel } from '../report';
import {
  BACKEND_FLAG,
  THREADS_FLAG,
  DATA_FLAG,
  MODEL_FLAG,
  BATCH_FLAG,
  ON_BAD_IMAGE_FLAG,
  SEED_FLAG,
  SYNTHETIC_FLAGS,
  noPositionals,
  modelAndData,
  disposeModelAndData,
} from './common';

const name = 'embed';

export const embedCommand: Command = {
  name,
  summary:
    'Compute an embedding per image with a saved model (or dlib-resnet) and write them to a file: ' +
    '.json (one record per image: source, identity, embedding) or .npy (a float32 [n, d] matrix ' +
    'NumPy reads, plus <file>.json with the sources and identities).',
  usage:
    '--model <dir|dlib-resnet> --data <folder|list.csv|synthetic> --out <file.json|file.npy> [flags]',
  flags: {
    model: MODEL_FLAG,
    data: DATA_FLAG,
    out: { type: 'string', description: 'output file: .json or .npy', value: 'file' },
    'flip-tta': {
      type: 'boolean',
      description:
        'embed each image and its mirror, and write the mean (the LFW protocol of InsightFace)',
    },
    'l2-normalize': {
      type: 'boolean',
      description:
        "write unit-length embeddings, as InsightFace does (otherwise norms are the backbone's own, ~7-9 for margin-trained models)",
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
    'Example:',
    '  face embed --model runs/seq/model --data ~/faces --out faces.npy --l2-normalize',
    '',
    'Embeddings are not unit-length unless --l2-normalize: their norm is what the backbone gives',
    '(about 7-9 for models trained with a margin head). Cosine similarity ignores it.',
  ].join('\n'),
  run: embed,
};

async function embed(v: Values, io: Io): Promise<number> {
  noPositionals(name, v);
  const modelSpec = stringFlag(name, v, 'model', true)!;
  const data = stringFlag(name, v, 'data', true)!;
  const out = stringFlag(name, v, 'out', true)!;
  const format = out.endsWith('.npy') ? 'npy' : out.endsWith('.json') ? 'json' : null;
  if (!format)
    throw new UsageError(`face ${name}: flag --out must end in .json or .npy, got '${out}'`);
  refuseInsideModel(name, 'out', out, modelSpec);
  const batchSize = numberFlag(name, v, 'batch', { integer: true, min: 1 })!;
  const seed = numberFlag(name, v, 'seed', { integer: true })!;
  const { model, opened } = await modelAndData(name, v, io, { modelSpec, data, seed });
  const { dataset } = opened;
  const t0 = Date.now();
  const e = await embedDataset(model.backbone, dataset, {
    batchSize,
    // Files go through the preprocessing the model was saved with; synthetic images are drawn
    // at its input size already.
    transform: opened.sized ? model.normalization : model.preprocess,
    onBadImage: stringFlag(name, v, 'on-bad-image') as BadImagePolicy,
    flip: v['flip-tta'] === true,
    l2Normalize: v['l2-normalize'] === true,
  });
  // Row i is image e.indices[i]: unreadable images have no row.
  const items = Array.from(e.indices, (index) => ({
    source: dataset.source(index),
    identity: dataset.classNames[dataset.labels[index]],
  }));
  mkdirSync(dirname(out), { recursive: true });
  const header = {
    model: modelSpec,
    count: e.count,
    dim: e.dim,
    // How the numbers were made: a reader comparing files must not mix these.
    flipTta: v['flip-tta'] === true,
    l2Normalized: v['l2-normalize'] === true,
    // Everything left out, as eval's report lists it: listing problems and undecodable images.
    skipped: skippedFiles(opened),
  };
  if (format === 'json') {
    const records = items.map((item, i) => ({
      ...item,
      embedding: Array.from(embeddingRow(e, i)),
    }));
    await writeFileAtomic(out, `${JSON.stringify({ ...header, items: records })}\n`);
  } else {
    // The matrix and its index replaced as one: a full disk leaves the previous pair whole.
    await writeFilesAtomic([
      { path: out, data: writeNpy(e.embeddings, [e.count, e.dim]) },
      { path: `${out}.json`, data: `${JSON.stringify({ ...header, items }, null, 1)}\n` },
    ]);
  }
  io.out(
    `wrote ${e.count} embeddings of ${e.dim} dimensions to ${out}${format === 'npy' ? ` (+ ${out}.json)` : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const skipped = skippedFilesLine(opened);
  if (skipped) io.err(skipped);
  disposeModelAndData({ model, opened });
  return 0;
}
