// A small, fully seeded training problem shared by the resume tests and their child process:
// a 2-layer MLP with dropout drawn from the trainer's RNG and a running-mean state variable
// (BatchNorm-like), AdamW with two parameter groups, warm-up + cosine, clipping, callbacks.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@face/core';
import {
  AdamW,
  CheckpointManager,
  Trainer,
  checkpointCallback,
  cosineAnnealing,
  earlyStopping,
  jsonlLogger,
  linearWarmup,
  nanGuard,
  shuffledBatches,
  splitWeightDecay,
  type Callback,
  type CheckpointStorage,
  type ResumableBatchSource,
} from '@face/train';

export const EXAMPLES = 40;
export const BATCH = 8; // 5 batches per epoch
export const EPOCHS = 3;
const IN = 6;
const HIDDEN = 8;
const CLASSES = 3;

function normalTensor(rng: Rng, shape: number[], std: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => rng.normal(0, std)),
    shape,
  );
}

type Batch = { x: tf.Tensor2D; y: tf.Tensor1D };

export interface Problem {
  trainer: Trainer<Batch>;
  source: ResumableBatchSource<Batch>;
  variables: Record<string, tf.Variable>;
  manager: CheckpointManager;
  dispose(): void;
}

export function makeProblem(
  dir: string,
  {
    extraCallbacks = [],
    storage,
  }: { extraCallbacks?: Callback[]; storage?: CheckpointStorage } = {},
): Problem {
  const init = new Rng(7);
  const data = new Rng(11);
  const xs = Float32Array.from({ length: EXAMPLES * IN }, () => data.normal());
  const ys = Int32Array.from({ length: EXAMPLES }, (_, i) => {
    const row = xs.subarray(i * IN, (i + 1) * IN);
    return row[0] + row[1] > 0.5 ? 0 : row[2] - row[3] > 0 ? 1 : 2;
  });
  const variables = {
    'fc1/kernel': tf.variable(normalTensor(init, [IN, HIDDEN], 0.5)),
    'fc1/bias': tf.variable(tf.zeros([HIDDEN])),
    'fc2/kernel': tf.variable(normalTensor(init, [HIDDEN, CLASSES], 0.5)),
    'fc2/bias': tf.variable(tf.zeros([CLASSES])),
  };
  const runningMean = tf.variable(tf.zeros([HIDDEN]), false);
  const source = shuffledBatches<Batch>(
    EXAMPLES,
    BATCH,
    (indices) => ({
      x: tf.tensor2d(
        indices.flatMap((i) => Array.from(xs.subarray(i * IN, (i + 1) * IN))),
        [indices.length, IN],
      ),
      y: tf.tensor1d(
        indices.map((i) => ys[i]),
        'int32',
      ),
    }),
    { seed: 3 },
  );
  const optimizer = new AdamW(splitWeightDecay(variables), { lr: 0.05, weightDecay: 0.01 });
  const total = EPOCHS * (EXAMPLES / BATCH);
  const manager = new CheckpointManager(dir, {
    keepLast: 2,
    keepBest: { monitor: 'loss', mode: 'min' },
    storage,
  });
  const trainer = new Trainer<Batch>({
    optimizer,
    state: { 'hidden/running_mean': runningMean },
    lossFn: ({ x, y }, { rng }) => {
      const h = tf.relu(tf.add(tf.matMul(x, variables['fc1/kernel']), variables['fc1/bias']));
      runningMean.assign(tf.add(tf.mul(runningMean, 0.9), tf.mul(tf.mean(h, 0), 0.1)));
      // Inverted dropout (p = 0.25) with a mask drawn from the trainer's checkpointed RNG.
      const mask = tf.tensor(
        Float32Array.from({ length: h.size }, () => (rng.next() < 0.25 ? 0 : 1 / 0.75)),
        h.shape,
      );
      const logits = tf.add(
        tf.matMul(tf.mul(h, mask), variables['fc2/kernel']),
        variables['fc2/bias'],
      );
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, CLASSES), logits) as tf.Scalar;
      const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
      return { loss, metrics: { accuracy } };
    },
    schedule: linearWarmup(cosineAnnealing(0.05, total - 3, { minLr: 0.001 }), {
      warmupSteps: 3,
      startFactor: 0.2,
    }),
    clipGradNorm: 1,
    rng: 5,
    config: { problem: 'mlp', hidden: HIDDEN },
    callbacks: [
      nanGuard(),
      earlyStopping({ monitor: 'loss', patience: 10 }),
      jsonlLogger(`${dir}/log.jsonl`, { every: 'step' }),
      checkpointCallback(manager, { everySteps: 3 }),
      ...extraCallbacks,
    ],
  });
  return {
    trainer,
    source,
    variables,
    manager,
    dispose() {
      optimizer.dispose();
      tf.dispose([...Object.values(variables), runningMean]);
    },
  };
}

/** Every variable's bits, for exact comparisons. */
export function weightBits(p: Problem): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const v of [...p.trainer.variables, ...p.trainer.stateVariables]) {
    out[v.name] = Array.from(new Uint32Array(Float32Array.from(v.variable.dataSync()).buffer));
  }
  return out;
}
