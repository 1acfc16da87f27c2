import type * as tfl from '@tensorflow/tfjs-layers';
import { modelFingerprint, type GalleryModel } from '@face/gallery';

/**
 * What a gallery stores about the model whose embeddings it holds: @face/gallery's fingerprint of
 * the backbone's weights (the scheme of `face gallery`) and the embedding size. A model reloaded
 * from IndexedDB with bit-identical weights gets the same one.
 */
export async function galleryModelOf(backbone: tfl.LayersModel): Promise<GalleryModel> {
  const weights = await Promise.all(
    backbone
      .getWeights()
      .map(async (w) => ({ shape: w.shape, data: (await w.data()) as Float32Array })),
  );
  const shape = backbone.outputs[0].shape;
  return modelFingerprint(weights, shape[shape.length - 1] as number);
}
