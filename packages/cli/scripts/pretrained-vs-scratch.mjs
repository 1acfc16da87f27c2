// Verification on synthetic faces: dlib's pretrained ResNet as is, fine-tuned (recipe 3: an ArcFace
// head on its 128-d output, early blocks frozen, the backbone at a tenth of the head's rate), and a
// network trained from scratch on the same people (recipe 3 from softmax). All tested on the same
// pairs of people none of them trained on. Build first (`pnpm build`), then:
//   node packages/cli/scripts/pretrained-vs-scratch.mjs [--backend auto] [--identities 40] [--images 10]
//        [--epochs 3] [--trainable-from conv256_down] [--scratch-size 32]
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SyntheticFaces, compose, randomHorizontalFlip, splitByIdentity, subset } from '@face/data';
import { evaluateVerification, sequentialRecipe, verificationSet } from '@face/recipes';
import { buildBackbone, selectBackend } from '@face/cli';

const { values: o } = parseArgs({
  options: {
    backend: { type: 'string', default: 'auto' },
    identities: { type: 'string', default: '40' },
    images: { type: 'string', default: '10' },
    epochs: { type: 'string', default: '3' },
    'trainable-from': { type: 'string', default: 'conv256_down' },
    'scratch-backbone': { type: 'string' },
    'scratch-size': { type: 'string', default: '32' },
    pairs: { type: 'string', default: '300' },
    seed: { type: 'string', default: '0' },
    weights: { type: 'string' },
    lr: { type: 'string', default: '3e-4' },
    'backbone-lr-scale': { type: 'string', default: '0.1' },
    scale: { type: 'string', default: '16' },
    margin: { type: 'string', default: '0.2' },
  },
});
const t0 = Date.now();
const backend = await selectBackend(o.backend, console.log);
const seed = Number(o.seed);
const far = [0.01, 0.1];
const weights =
  o.weights ??
  join(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json'), '..', 'model');
const people = (size) =>
  new SyntheticFaces({
    identities: Number(o.identities),
    imagesPerIdentity: Number(o.images),
    size,
    seed,
    difficulty: 0.5,
  });

// The same split of people at every size (a person's looks depend on (seed, label), not on size).
const split = splitByIdentity(people(16), { testFraction: 0.25, seed });
const sets = (size) => {
  const all = people(size);
  const unseen = subset(all, split.test);
  return {
    train: subset(all, split.train, { relabel: true }),
    pairs: verificationSet(unseen, { pairs: Number(o.pairs), seed }),
  };
};
const rows = [];
const record = (name, r, seconds) => {
  rows.push({ name, auc: r.auc, eer: r.eer.eer, tar: r.tarAtFar.map((p) => p.tar), seconds });
  console.log(
    `${name}: AUC ${r.auc.toFixed(3)} EER ${r.eer.eer.toFixed(3)} (${seconds.toFixed(0)} s)`,
  );
};

{
  const dlib = await buildBackbone('dlib-resnet', { weights, trainableFrom: o['trainable-from'] });
  const { train, pairs } = sets(150);
  const opts = { transform: dlib.normalization, far, batchSize: 16 };
  let t = Date.now();
  record(
    'dlib-resnet, pretrained',
    await evaluateVerification(dlib.model, pairs, opts),
    (Date.now() - t) / 1000,
  );
  t = Date.now();
  const run = sequentialRecipe({
    backbone: dlib.model,
    backboneName: 'dlib-resnet',
    train,
    transform: compose([randomHorizontalFlip(), dlib.normalization]),
    evalTransform: dlib.normalization,
    seed,
    classification: { epochs: 0 },
    margin: {
      epochs: Number(o.epochs),
      batchSize: 16,
      head: 'arcface',
      headOptions: { scale: Number(o.scale), margin: Number(o.margin) },
      // The fresh head learns fast; the pretrained backbone slowly, after a warm-up, so that the
      // head's first random gradients do not undo what the backbone knows.
      optimizer: {
        kind: 'adamw',
        lr: Number(o.lr),
        headLrScale: 10,
        backboneLrScale: Number(o['backbone-lr-scale']),
      },
      schedule: { kind: 'cosine', warmupEpochs: 1 },
    },
    progress: { mode: 'lines' },
  });
  await run.fit();
  record(
    `dlib-resnet, fine-tuned from ${o['trainable-from']} (${o.epochs} epochs)`,
    await evaluateVerification(dlib.model, pairs, opts),
    (Date.now() - t) / 1000,
  );
  run.dispose();
  dlib.model.dispose();
}
{
  const name = o['scratch-backbone'] ?? (backend === 'cpu' ? 'convnet-tiny' : 'iresnet-tiny');
  const size = Number(o['scratch-size']);
  const scratch = await buildBackbone(name, { imageSize: size, embeddingSize: 64, seed });
  const { train, pairs } = sets(size);
  const opts = { transform: scratch.normalization, far };
  let t = Date.now();
  record(
    `${name} ${size} px, untrained`,
    await evaluateVerification(scratch.model, pairs, opts),
    (Date.now() - t) / 1000,
  );
  t = Date.now();
  const epochs = Number(o.epochs) * 4;
  const run = sequentialRecipe({
    backbone: scratch.model,
    train,
    transform: compose([randomHorizontalFlip(), scratch.normalization]),
    evalTransform: scratch.normalization,
    seed,
    classification: { epochs, batchSize: 32, optimizer: { kind: 'adamw', lr: 3e-3 } },
    margin: {
      epochs: Math.ceil(epochs / 2),
      batchSize: 32,
      headOptions: { scale: 16, margin: 0.2 },
      optimizer: { kind: 'adamw', lr: 1.5e-3, backboneLrScale: 1 },
    },
    progress: { mode: 'lines' },
  });
  await run.fit();
  record(
    `${name} ${size} px, from scratch (${epochs} + ${Math.ceil(epochs / 2)} epochs)`,
    await evaluateVerification(scratch.model, pairs, opts),
    (Date.now() - t) / 1000,
  );
  run.dispose();
  scratch.model.dispose();
}
console.log(
  `\nbackend ${backend}; ${o.identities} synthetic people x ${o.images} pictures, a quarter never trained on; ${rows[0] ? '' : ''}${Number(o.pairs) * 2} pairs; ${((Date.now() - t0) / 1000).toFixed(0)} s in all\n`,
);
console.log(`| model | AUC | EER | TAR@FAR=0.01 | TAR@FAR=0.1 | time |`);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: |`);
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.auc.toFixed(3)} | ${r.eer.toFixed(3)} | ${r.tar[0].toFixed(3)} | ${r.tar[1].toFixed(3)} | ${r.seconds.toFixed(0)} s |`,
  );
