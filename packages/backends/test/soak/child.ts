// The soak's child process: `SOAK_STEPS` training steps of a tiny conv net on wasm with the
// default threads, then it returns without process.exit: Node must exit on its own, which it
// cannot while a pthread worker keeps the event loop alive.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@face/backends';

const steps = Number(process.env.SOAK_STEPS ?? '1000');
const selection = await useBackend('wasm', {
  threads: process.env.SOAK_THREADS ? Number(process.env.SOAK_THREADS) : undefined,
});
console.log(`backend ${selection.backend} threads ${selection.threads} (${selection.reason})`);

// Big enough that XNNPACK splits the convolutions over the threads, small enough to be quick.
const w1 = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 3, 16], 0, 0.2, 'float32', 1));
const w2 = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 16, 16], 0, 0.1, 'float32', 2));
const dense = tf.variable(tf.randomNormal<tf.Rank.R2>([16, 10], 0, 0.1, 'float32', 3));
const x = tf.randomNormal<tf.Rank.R4>([8, 16, 16, 3], 0, 1, 'float32', 4);
const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
const optimizer = tf.train.adam(1e-3);
const loss = () =>
  tf.tidy(() => {
    const h = tf.relu(tf.conv2d(x, w1, 1, 'same'));
    const g = tf.relu(
      tf.depthwiseConv2d(tf.conv2d(h, w2, 2, 'same'), tf.ones([3, 3, 16, 1]), 1, 'same'),
    );
    const logits = tf.matMul(tf.mean(g, [1, 2]), dense);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  });

const t0 = performance.now();
let first = 0;
let last = 0;
let tensors = 0;
for (let i = 0; i < steps; i++) {
  const cost = optimizer.minimize(loss, true)!;
  last = cost.dataSync()[0];
  cost.dispose();
  if (i === 0) {
    first = last;
    tensors = tf.memory().numTensors;
  }
}
const ms = performance.now() - t0;
console.log(
  `done ${steps} steps in ${ms.toFixed(0)} ms, loss ${first.toFixed(4)} -> ${last.toFixed(4)}, ` +
    `tensors ${tensors} -> ${tf.memory().numTensors}`,
);
