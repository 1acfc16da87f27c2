// The page half of model-spec.test.ts, bundled by that test: loads a face model saved in Node from
// its files (face-model.json and backbone/, fetched), prepares images as its spec says and embeds
// them on this browser's `cpu` backend. Only what a browser app would import.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@face/core';
// Registers the layers a saved backbone may use.
import '@face/layers';
import { faceModelSpecFromJson, preprocessOf } from '@face/recipes';

export interface PageImages {
  /** 0..255 pixels, images of `height` x `width` x 3, one after the other. */
  pixels: number[];
  count: number;
  height: number;
  width: number;
}

/** Embeddings of `images` by the model under `base` (a URL ending in '/'), row after row. */
export async function embedWithSavedModel(base: string, images: PageImages): Promise<number[]> {
  await tf.setBackend('cpu');
  const spec = faceModelSpecFromJson(await (await fetch(`${base}face-model.json`)).json());
  const model = await tfl.loadLayersModel(`${base}backbone/model.json`);
  const preprocess = preprocessOf(spec.input);
  const { pixels, count, height, width } = images;
  const embeddings = tf.tidy(() => {
    const x = tf.tensor4d(pixels, [count, height, width, 3]);
    const rngs = Array.from({ length: count }, () => new Rng(0));
    return model.predict(preprocess.apply(x, rngs)) as tf.Tensor;
  });
  const rows = Array.from(await embeddings.data());
  embeddings.dispose();
  model.dispose();
  return rows;
}

declare global {
  interface Window {
    __faceModelSpec: { embed: typeof embedWithSavedModel };
  }
}
window.__faceModelSpec = { embed: embedWithSavedModel };
