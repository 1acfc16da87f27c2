// Pins the batches of test/determinism.ts in test/fixtures/determinism.json, so the test checks
// "same seed -> same batches" across processes, machines and versions, not only within one run.
// Rerun only when a change to sampling, augmentation or synthesis is intended:
//   node scripts/run-ts.mjs scripts/gen-determinism-fixture.ts
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { pinnedBatches } from '../test/determinism';

await tf.setBackend('cpu');
writeFileSync(
  'test/fixtures/determinism.json',
  `${JSON.stringify(await pinnedBatches(), null, 1)}\n`,
);
console.log('wrote test/fixtures/determinism.json');
