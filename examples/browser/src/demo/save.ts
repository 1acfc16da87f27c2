import * as tfl from '@tensorflow/tfjs-layers';
// The backbone's custom layers register themselves when @face/layers is imported: a model that
// uses them loads only after this import.
import '@face/layers';

/**
 * Saves `model` to IndexedDB, loads it back, and compares what `embed` gives with each: the
 * largest absolute difference (0 when the round trip is exact).
 */
export async function indexedDbRoundTrip(
  model: tfl.LayersModel,
  embed: (model: tfl.LayersModel) => Promise<number[][]>,
  url = 'indexeddb://face-demo',
): Promise<{ maxAbsDiff: number; weightBytes: number }> {
  const saved = await model.save(url);
  const again = await tfl.loadLayersModel(url);
  const a = await embed(model);
  const b = await embed(again);
  again.dispose();
  let maxAbsDiff = 0;
  a.forEach((row, i) =>
    row.forEach((v, j) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - b[i][j])))),
  );
  return { maxAbsDiff, weightBytes: saved.modelArtifactsInfo.weightDataBytes ?? 0 };
}

/** Downloads `<name>.json` and `<name>.weights.bin`: TF.js's layout, which `loadModel` reads in Node. */
export async function downloadModel(model: tfl.LayersModel, name = 'face-demo'): Promise<void> {
  await model.save(`downloads://${name}`);
}
