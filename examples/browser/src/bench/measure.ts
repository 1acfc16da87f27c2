import * as tf from '@tensorflow/tfjs-core';
import type { DemoConfig } from '../demo/config';
import { makeData } from '../demo/data';
import { embedDataset } from '../demo/evaluate';
import { buildBackbone, buildHead } from '../demo/model';
import { trainDemo } from '../demo/train';

export interface DemoSpeed {
  backend: string;
  batch: number;
  /** Inference: pictures embedded per second (the second pass over the held-out people). */
  inferencePerSecond: number;
  /** One training update of the demo (batch, forward, backward, AdamW), after `warmup` updates. */
  msPerStep: number | null;
  trainPerSecond: number | null;
  /** Why training did not run (a backend without some gradient kernel). */
  trainError?: string;
}

/**
 * Times the demo's own code on the current backend: `embedDataset` over the held-out people
 * (twice; the first pass compiles shaders), then `trainDemo` for `warmup + steps` updates.
 */
export async function measureDemo(
  config: DemoConfig,
  { warmup = 1, steps = 3 }: { warmup?: number; steps?: number } = {},
): Promise<DemoSpeed> {
  const data = makeData(config);
  const backbone = buildBackbone(config);
  const head = buildHead(config, data.numClasses);
  const batch = config.p * config.k;
  const result: DemoSpeed = {
    backend: tf.getBackend(),
    batch,
    inferencePerSecond: 0,
    msPerStep: null,
    trainPerSecond: null,
  };
  try {
    for (let pass = 0; pass < 2; pass++) {
      const start = performance.now();
      const e = await embedDataset(backbone, data.test, batch);
      await e.data();
      e.dispose();
      result.inferencePerSecond = data.test.size / ((performance.now() - start) / 1000);
    }
    const times: number[] = [];
    try {
      await trainDemo(
        backbone,
        head,
        data,
        { ...config, epochs: 1, batchesPerEpoch: warmup + steps },
        {
          onStep: () => void times.push(performance.now()),
        },
      );
      result.msPerStep = (times[times.length - 1] - times[warmup - 1]) / steps;
      result.trainPerSecond = (1000 * batch) / result.msPerStep;
    } catch (err) {
      result.trainError = err instanceof Error ? err.message : String(err);
    }
  } finally {
    backbone.dispose();
    head.dispose();
  }
  return result;
}
