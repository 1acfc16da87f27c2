import { SyntheticFaces, type FaceDataset } from '@face/data';
import { modelFingerprint, type GalleryModel, type Template } from '@face/gallery';
import { embedDataset, embeddingRow, syntheticKey } from '@face/recipes';
import type { BadImagePolicy, OpenedDataset } from './datasets';
import type { LoadedModel } from './models';

/** What a gallery records of a model: @face/gallery's fingerprint of its backbone weights. */
export function galleryModelOf(model: LoadedModel): Promise<GalleryModel> {
  const weights = model.backbone
    .getWeights()
    .map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
  const shape = model.backbone.outputs[0].shape;
  return modelFingerprint(weights, shape[shape.length - 1] as number);
}

/**
 * The name a gallery keeps for the person of image `index`. Synthetic people are padded to the
 * width of the largest index (`synthetic-7` of 10 people is `synthetic-07` of 14), yet person i
 * depends only on the seed and i: enrolled and identified by number, so that a gallery of 10 and
 * queries of 14 agree (as `face eval`'s split does, @face/recipes' training-split).
 */
export function galleryIdentity(dataset: FaceDataset, index: number): string {
  const name = dataset.classNames[dataset.labels[index]];
  return dataset instanceof SyntheticFaces ? syntheticKey(name) : name;
}

/**
 * Embeds the images `indices` of a dataset `chunk` at a time through @face/recipes'
 * embedDataset (the preprocessing `face embed` uses), yielding one template per readable image:
 * a stream a gallery enrols while the next chunk is computed, and that a resume restarts from.
 */
export async function* embedTemplates(
  model: LoadedModel,
  opened: OpenedDataset,
  indices: readonly number[],
  options: { batchSize: number; onBadImage: BadImagePolicy; chunk: number },
): AsyncGenerator<Template> {
  const { dataset } = opened;
  for (let i0 = 0; i0 < indices.length; i0 += options.chunk) {
    const e = await embedDataset(model.backbone, dataset, {
      batchSize: options.batchSize,
      indices: indices.slice(i0, i0 + options.chunk),
      // Files go through the model's saved preprocessing; synthetic images come at its size.
      transform: opened.sized ? model.normalization : model.preprocess,
      onBadImage: options.onBadImage,
    });
    for (let r = 0; r < e.count; r++) {
      const index = e.indices[r];
      yield {
        identity: galleryIdentity(dataset, index),
        source: dataset.source(index),
        embedding: embeddingRow(e, r),
      };
    }
  }
}
