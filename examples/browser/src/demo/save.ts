import * as tfl from '@tensorflow/tfjs-layers';
// The backbone's custom layers register themselves when @face/layers is imported: a model that
// uses them loads only after this import.
import '@face/layers';
// Registers the `downloads://` router. tfjs-core's index imports this module only for its
// `browserFiles` export, and Vite 8's bundler dropped the module (and with it the router) when
// that export was unused: `model.save('downloads://...')` then found no handler.
import '@tensorflow/tfjs-core/dist/io/browser_files';

export interface RoundTrip {
  /** Every weight of the reloaded model has the same float32 bits as the saved one. */
  weightsIdentical: boolean;
  /** Largest |difference| of the embeddings computed with each model. */
  maxAbsDiff: number;
  /** Largest |embedding| (the scale of `maxAbsDiff`). */
  maxAbs: number;
  weightBytes: number;
}

const bitsEqual = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

/**
 * Saves `model` to IndexedDB, loads it back, and compares the weights and what `embed` gives
 * with each. On WebGL the embeddings may differ in the last bits even with identical weights:
 * freshly uploaded weights can take other shader paths (packed or not) than trained ones.
 */
export async function indexedDbRoundTrip(
  model: tfl.LayersModel,
  embed: (model: tfl.LayersModel) => Promise<number[][]>,
  url = 'indexeddb://face-demo',
): Promise<RoundTrip> {
  const saved = await model.save(url);
  const again = await tfl.loadLayersModel(url);
  try {
    const before = model.getWeights();
    const after = again.getWeights();
    const bits = await Promise.all([...before, ...after].map((w) => w.data()));
    const weightsIdentical =
      before.length === after.length &&
      before.every((_, i) => bitsEqual(bits[i], bits[before.length + i]));
    const a = await embed(model);
    const b = await embed(again);
    let maxAbsDiff = 0;
    let maxAbs = 0;
    a.forEach((row, i) =>
      row.forEach((v, j) => {
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - b[i][j]));
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }),
    );
    return {
      weightsIdentical,
      maxAbsDiff,
      maxAbs,
      weightBytes: saved.modelArtifactsInfo.weightDataBytes ?? 0,
    };
  } finally {
    again.dispose();
  }
}

/** Downloads `<name>.json` and `<name>.weights.bin`: TF.js's layout, which `loadModel` reads in Node. */
export async function downloadModel(model: tfl.LayersModel, name = 'face-demo'): Promise<void> {
  await model.save(`downloads://${name}`);
}
