// Face classification (closed set): which of N known people is this?
// Recipe 1 on drawn faces: an IResNet backbone, a linear classifier, softmax cross-entropy with
// label smoothing; accuracy on pictures held out from training.
//
//   pnpm build && node examples/classification-node/index.mjs [--quick]
import { pathToFileURL } from 'node:url';
import { useBackend } from '@face/backends';
import { SyntheticFaces, splitByImage, subset } from '@face/data';
import { iresnet } from '@face/layers';
import { classificationRecipe, evaluateClassification } from '@face/recipes';

export async function main({
  quick = false,
  backend = 'auto',
  out = 'runs/classification-node',
  log = console.log,
} = {}) {
  // tfjs-node when installed, otherwise wasm with @face/backends' training kernels; gradients too.
  const selection = await useBackend(backend);
  log(`backend: ${selection.backend} (${selection.reason})`);

  // 1. Data: people drawn from a seed; 20% of each person's pictures held out.
  const size = quick ? 16 : 32;
  const faces = new SyntheticFaces({
    identities: quick ? 6 : 50,
    imagesPerIdentity: quick ? 5 : 16,
    size,
    seed: 1,
  });
  const split = splitByImage(faces, { testFraction: 0.2, seed: 1 });
  const train = subset(faces, split.train);
  const test = subset(faces, split.test);

  // 2. Backbone: a small IResNet (images -> 64-d embeddings).
  const backbone = iresnet({
    stages: [1, 1, 1, 1],
    width: quick ? 0.0625 : 0.125,
    inputSize: size,
    embeddingSize: 64,
    seed: 1,
  });

  // 3. Recipe 1: linear classifier, CE + label smoothing 0.1, AdamW, cosine schedule,
  //    evaluation each epoch, checkpoints and logs in `out` (resume with run.resume()).
  const run = classificationRecipe({
    backbone,
    train,
    epochs: quick ? 1 : 10,
    batchSize: quick ? 8 : 16,
    head: 'linear',
    labelSmoothing: 0.1,
    optimizer: { kind: 'adamw', lr: 3e-3 },
    schedule: { kind: 'cosine', warmupEpochs: quick ? 0 : 1 },
    validation: { classification: test },
    progress: { mode: 'lines', stream: { write: (text) => log(text.trimEnd()) } },
    out,
  });
  const before = await evaluateClassification(backbone, run.head, test);
  await run.resume(); // continues an interrupted run in `out`; a no-op on a fresh directory
  const result = await run.fit();

  // 4. Closed-set accuracy on the held-out pictures.
  const after = await evaluateClassification(backbone, run.head, test, { k: [1, 5] });
  log(
    `held-out top-1 accuracy: ${before.accuracy.toFixed(3)} untrained -> ${after.accuracy.toFixed(3)} trained (top-5 ${after.topK[5]?.toFixed(3)})`,
  );
  log(`model saved in ${out}/model (loadFaceModel reads it back)`);
  run.dispose();
  backbone.dispose();
  return { before: before.accuracy, after: after.accuracy, epochs: result.epochs };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main({ quick: process.argv.includes('--quick') });
}
