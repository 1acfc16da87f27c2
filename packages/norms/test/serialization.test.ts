import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { norm, type NormSpec } from '@face/norms';
import { Rng } from '@face/core';

/** Saves to memory and loads back through the class registry, as any tf.io handler would. */
async function roundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(saved!));
}

const specs: NormSpec[] = [
  'batch',
  { kind: 'batch', momentum: 0.3, eps: 1e-3, center: false },
  { kind: 'group', groups: 2 },
  { kind: 'instance', center: true, scale: true },
  'layer',
  { kind: 'layer', normalizedRank: 1 },
];

describe('norm layers survive save -> load', () => {
  it.each(specs.map((s) => [JSON.stringify(s), s] as const))(
    '%s: same config, bitwise-identical outputs',
    async (_, spec) => {
      const input = tfl.input({ shape: [3, 3, 4] });
      const layer = norm(spec);
      const model = tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
      const rng = new Rng(7);
      // Non-trivial weights (running statistics included), set before saving.
      model.setWeights(
        model.getWeights().map((w) =>
          tf.tensor(
            Array.from({ length: w.size }, () => rng.uniform(0.5, 1.5)),
            w.shape,
          ),
        ),
      );
      const x = tf.tensor(
        Array.from({ length: 2 * 36 }, () => rng.normal()),
        [2, 3, 3, 4],
      );
      const loaded = await roundTrip(model);
      const restored = loaded.layers[1];
      expect(restored.getClassName()).toBe(layer.getClassName());
      expect(restored.getConfig()).toEqual(layer.getConfig());
      const a = (model.predict(x) as tf.Tensor).dataSync();
      const b = (loaded.predict(x) as tf.Tensor).dataSync();
      expect(Array.from(b)).toEqual(Array.from(a));
    },
  );
});
