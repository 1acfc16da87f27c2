// Face verification (open set): are two faces the same person, and is a face someone we know?
// Trains the same backbone two ways on drawn faces and tests on people never seen in training:
//   joint:      0.7 * cross-entropy + 0.3 * triplet loss (batch-hard, in P x K batches), one step;
//   sequential: softmax classification, then the backbone fine-tuned with an ArcFace head.
// Verification scores pairs by the cosine similarity of embeddings, never by identity logits.
//
//   pnpm build && node examples/verification-node/index.mjs [--quick]
import { pathToFileURL } from 'node:url';
import { useBackend } from '@face/backends';
import { SyntheticFaces, splitByIdentity, subset } from '@face/data';
import { iresnet } from '@face/layers';
import {
  evaluateIdentification,
  evaluateVerification,
  jointRecipe,
  sequentialRecipe,
  verificationSet,
} from '@face/recipes';

export async function main({
  quick = false,
  backend = 'auto',
  out = 'runs/verification-node',
  log = console.log,
} = {}) {
  // tfjs-node when installed, otherwise wasm with @face/backends' training kernels; gradients too.
  const selection = await useBackend(backend);
  log(`backend: ${selection.backend} (${selection.reason})`);

  // 1. Data: a quarter of the people are held out entirely (open set).
  const size = quick ? 16 : 32;
  const faces = new SyntheticFaces({
    identities: quick ? 12 : 100,
    imagesPerIdentity: quick ? 4 : 12,
    size,
    seed: 2,
  });
  const split = splitByIdentity(faces, { testFraction: 0.25, seed: 2 });
  const train = subset(faces, split.train, { relabel: true }); // labels 0..C-1 for the classifier
  const unseen = subset(faces, split.test);
  const pairs = verificationSet(unseen, { pairs: quick ? 10 : 200, seed: 2 }); // same + different pairs
  const makeBackbone = () =>
    iresnet({
      stages: [1, 1, 1, 1],
      width: quick ? 0.0625 : 0.125,
      inputSize: size,
      embeddingSize: 32,
      seed: 2,
    });
  const epochs = quick ? 1 : 8;
  const progress = { mode: 'lines', stream: { write: (text) => log(text.trimEnd()) } };
  const results = {};

  // 2. Joint loss: w1 CE + w2 triplet in each P x K batch (P identities x K pictures).
  {
    const backbone = makeBackbone();
    const before = await evaluateVerification(backbone, pairs);
    const run = jointRecipe({
      backbone,
      train,
      epochs,
      p: quick ? 3 : 8,
      k: 4,
      weights: { ce: 0.7, triplet: 0.3 },
      triplet: { margin: 0.2, miner: 'batch-hard' },
      optimizer: { kind: 'adamw', lr: 3e-3 },
      validation: { verification: pairs },
      progress,
      out: `${out}/joint`,
    });
    await run.fit();
    const after = await evaluateVerification(backbone, pairs, { far: [0.01, 0.1] });
    results.joint = { before: before.auc, after: after.auc };
    log(
      `joint: verification AUC ${before.auc.toFixed(3)} untrained -> ${after.auc.toFixed(3)}, EER ${after.eer.eer.toFixed(3)}, TAR@FAR=0.1 ${after.tarAtFar[1].tar.toFixed(3)}`,
    );
    run.dispose();
    backbone.dispose();
  }

  // 3. Sequential: classification first, then ArcFace on the same backbone.
  {
    const backbone = makeBackbone();
    const run = sequentialRecipe({
      backbone,
      train,
      classification: { epochs, batchSize: 16, optimizer: { kind: 'adamw', lr: 3e-3 } },
      margin: {
        epochs: quick ? 1 : 4,
        batchSize: 16,
        head: 'arcface',
        headOptions: { scale: 16, margin: 0.2 },
        optimizer: { kind: 'adamw', lr: 1.5e-3, backboneLrScale: 1 },
      },
      validation: { verification: pairs },
      progress,
      out: `${out}/sequential`, // phase1/, phase2/, model/
    });
    await run.fit();
    const after = await evaluateVerification(backbone, pairs, { far: [0.01, 0.1] });
    // Open-set 1:N: half of the unseen people enrol one picture; the other half must be rejected.
    const id = await evaluateIdentification(backbone, unseen, {
      split: { unknownFraction: 0.5, seed: 2 },
      far: [0.1],
    });
    results.sequential = { after: after.auc, rank1: id.cmc[0] };
    log(
      `sequential: verification AUC ${after.auc.toFixed(3)}, EER ${after.eer.eer.toFixed(3)}; 1:N rank-1 ${id.cmc[0].toFixed(3)}, DIR@FAR=0.1 ${id.dirAtFar[0].dir.toFixed(3)}`,
    );
    run.dispose();
    backbone.dispose();
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main({ quick: process.argv.includes('--quick') });
}
