import type { Transform } from '@face/data';
import { checkPoints, type Point } from './similarity';
import { alignmentTemplate, type AlignmentTemplate, type TemplateName } from './templates';
import { alignmentMatrix, warpAffine, warpAffinePixels } from './warp';

export interface AlignTransformOptions {
  /** Where the landmarks are in every input image (e.g. their mean over an LFW-style set). */
  landmarks: readonly Point[];
  /** Default 'arcface' (112x112). */
  template?: TemplateName | AlignmentTemplate;
}

/**
 * A @face/data transform that warps every image by the same similarity: the one taking
 * `landmarks` onto the template. For data whose faces sit at known places (LFW's funneled images,
 * a fixed camera), it is the aligned counterpart of `centerCrop`; for per-image landmarks use
 * `alignFaces` or a detector (`alignedDataset`). Both the tensor and the pixel path.
 */
export function alignTransform(options: AlignTransformOptions): Transform {
  const t = alignmentTemplate(options.template ?? 'arcface');
  const landmarks = checkPoints('alignTransform', 'options.landmarks', options.landmarks);
  const m = alignmentMatrix(landmarks, t);
  const size: [number, number] = [t.height, t.width];
  return {
    name: `align(${t.name})`,
    apply: (images) => warpAffine(images, Array<typeof m>(images.shape[0]).fill(m), size),
    applyToPixels: (image) => warpAffinePixels(image, m, size),
  };
}
